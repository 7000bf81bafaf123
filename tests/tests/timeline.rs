//! A member's timeline tells where they and each contact came from, which imports touched them
//! and what was merged into them.

mod common;

use std::sync::atomic::AtomicBool;

use common::{draft, open};
use hearth_core::domain::IdentityKind::*;
use hearth_core::ops::import::{self, DuplicatePolicy, ImportOptions};
use hearth_core::ops::members::{self, MergeMembers, TimelineEntry};

#[test]
fn the_timeline_tells_where_a_member_and_each_contact_came_from() {
    let db = open();
    let first = db.dir.path().join("报名表.csv");
    std::fs::write(&first, "姓名,手机号\r\n张伟,13800138000\r\n").unwrap();
    let second = db.dir.path().join("读书会名单.csv");
    std::fs::write(
        &second,
        "姓名,手机号,邮箱\r\n张伟,13800138000,zw@example.com\r\n",
    )
    .unwrap();
    for path in [&first, &second] {
        import::apply(
            &db.ctx,
            &ImportOptions {
                path: path.to_string_lossy().into_owned(),
                policy: DuplicatePolicy::FillEmpty,
                ..Default::default()
            },
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    }
    let other = members::create(&db.ctx, draft("张伟", &[(Wechat, "zhangwei_88")], &[])).unwrap();
    let zw = members::list(
        &db.ctx,
        members::ListMembers {
            search: Some("13800138000".into()),
            limit: 5,
            ..Default::default()
        },
    )
    .unwrap()
    .members
    .remove(0);
    members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: zw.id,
            merge_id: other.id,
            take_from_merged: vec![],
        },
    )
    .unwrap();

    let entries = members::timeline(&db.ctx, zw.id).unwrap();
    assert!(
        entries.contains(&TimelineEntry::Created {
            at: zw.created_at.clone(),
            import: Some("报名表.csv".into())
        }),
        "{entries:?}"
    );
    assert!(entries.iter().any(|e| matches!(e, TimelineEntry::ImportUpdated { file, undone: false, .. } if file == "读书会名单.csv")));
    assert!(entries.iter().any(|e| matches!(e,
        TimelineEntry::ContactAdded { contact_kind, value, import: Some(file), .. }
            if contact_kind == "email" && value == "zw@example.com" && file == "读书会名单.csv")));
    assert!(entries.iter().any(|e| matches!(e, TimelineEntry::MergedIn { other_id, undone: false, .. } if *other_id == other.id)));
}

#[test]
fn the_timeline_shows_the_events_a_member_came_to_and_missed() {
    use hearth_core::domain::{EventDraft, EventMode, EventStatus, RegistrationStatus};
    use hearth_core::ops::events::{self, door, registrations};

    let db = open();
    let zw = members::create(&db.ctx, draft("张伟", &[(Phone, "13800138000")], &[])).unwrap();
    let make = |title: &str, day: &str| {
        events::create(
            &db.ctx,
            EventDraft {
                title: title.into(),
                mode: EventMode::Offline,
                starts_local: format!("{day}T14:00"),
                ends_local: format!("{day}T17:00"),
                time_zone: "Asia/Shanghai".into(),
                venue: "静安区图书馆".into(),
                link: String::new(),
                capacity: None,
                notes: String::new(),
                campaign: String::new(),
                status: EventStatus::Open,
            },
        )
        .unwrap()
    };
    let came = make("十月读书会", "2026-10-17");
    let missed = make("十一月读书会", "2026-11-14");
    for event in [&came, &missed] {
        registrations::register(
            &db.ctx,
            registrations::Register {
                event_id: event.id,
                member_ids: vec![zw.id],
                companions: 0,
                note: String::new(),
            },
        )
        .unwrap();
    }
    door::check_in(
        &db.ctx,
        door::CheckIn {
            event_id: came.id,
            member_id: zw.id,
            walk_in: false,
            reinstate: false,
            over_capacity: false,
        },
    )
    .unwrap();
    door::mark_no_shows(&db.ctx, missed.id).unwrap();

    let entries = members::timeline(&db.ctx, zw.id).unwrap();
    let events: Vec<(String, RegistrationStatus)> = entries
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::Event { title, status, .. } => Some((title.clone(), *status)),
            _ => None,
        })
        .collect();
    assert!(events.contains(&("十月读书会".into(), RegistrationStatus::Attended)));
    assert!(events.contains(&("十一月读书会".into(), RegistrationStatus::NoShow)));
    // The no-show sits at the event's own time (14:00 Shanghai = 06:00 UTC).
    let missed_at = entries.iter().find_map(|e| match e {
        TimelineEntry::Event {
            at,
            status: RegistrationStatus::NoShow,
            ..
        } => Some(at.clone()),
        _ => None,
    });
    assert_eq!(missed_at.as_deref(), Some("2026-11-14T06:00:00Z"));
}
