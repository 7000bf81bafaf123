//! Segments (saved filters) over a real database: every filter part, live counts, the daily
//! snapshot that tells who entered and who left, exports of a segment, and bulk role changes.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::Duration;
use common::{draft, now, open, TestDb};
use hearth_core::domain::{IdentityKind::*, MemberFilter};
use hearth_core::io::export::{CsvEncoding, ExportColumn, ExportFormat};
use hearth_core::ops::export::{export_members, ExportMembers, ExportScope};
use hearth_core::ops::members::{self, ListMembers, RoleChange};
use hearth_core::ops::segments::{self, SaveSegment};
use hearth_core::{Ctx, ErrorCode, FixedClock};

/// 张伟 (北京, 讲者+VIP, speaker, joined 2024-03), 李娜 (上海, VIP, volunteer, 2025-01),
/// 王芳 (北京, 新人, no role, 2025-06), Tom (Berlin, 讲者, speaker, no join date).
fn community(db: &TestDb) -> Vec<i64> {
    let people = [
        (
            "张伟",
            "北京",
            &["讲者", "VIP"][..],
            "speaker",
            Some("2024-03-05"),
            "微信群",
        ),
        (
            "李娜",
            "上海",
            &["VIP"][..],
            "volunteer",
            Some("2025-01-10"),
            "QQ群",
        ),
        (
            "王芳",
            "北京",
            &["新人"][..],
            "",
            Some("2025-06-30"),
            "微信群",
        ),
        ("Tom", "Berlin", &["讲者"][..], "speaker", None, "Meetup"),
    ];
    people
        .iter()
        .enumerate()
        .map(|(i, (name, city, tags, role, joined, source))| {
            let mut d = draft(name, &[(Phone, &format!("1380013800{i}"))], tags);
            d.city = (*city).into();
            d.role = (*role).into();
            d.joined_at = joined.map(str::to_owned);
            d.source = (*source).into();
            members::create(&db.ctx, d).unwrap().id
        })
        .collect()
}

fn names(db: &TestDb, filter: MemberFilter) -> Vec<String> {
    let mut out: Vec<String> = members::list(
        &db.ctx,
        ListMembers {
            filter: Some(filter),
            limit: 100,
            ..Default::default()
        },
    )
    .unwrap()
    .members
    .into_iter()
    .map(|m| m.display_name)
    .collect();
    out.sort();
    out
}

fn tags(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_part_of_a_filter_narrows_the_list() {
    let db = open();
    community(&db);
    let f = MemberFilter::default;
    assert_eq!(
        names(
            &db,
            MemberFilter {
                tags_all: tags(&["讲者", "VIP"]),
                ..f()
            }
        ),
        ["张伟"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                tags_any: tags(&["新人", "讲者"]),
                ..f()
            }
        ),
        ["Tom", "张伟", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                tags_none: tags(&["VIP"]),
                ..f()
            }
        ),
        ["Tom", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                roles: tags(&["speaker"]),
                ..f()
            }
        ),
        ["Tom", "张伟"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                cities: tags(&["北京"]),
                ..f()
            }
        ),
        ["张伟", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                sources: tags(&["QQ群", "Meetup"]),
                ..f()
            }
        ),
        ["Tom", "李娜"]
    );
    // The last day counts in full; members without a join date fall outside any range.
    assert_eq!(
        names(
            &db,
            MemberFilter {
                joined_from: Some("2025-01-10".into()),
                joined_to: Some("2025-06-30".into()),
                ..f()
            }
        ),
        ["李娜", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                cities: tags(&["北京"]),
                tags_none: tags(&["新人"]),
                roles: tags(&["speaker"]),
                ..f()
            }
        ),
        ["张伟"]
    );
    // Search and filter together; the total is the filtered total.
    let page = members::list(
        &db.ctx,
        ListMembers {
            search: Some("zw".into()),
            filter: Some(MemberFilter {
                cities: tags(&["北京"]),
                ..f()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.members[0].display_name, "张伟");
}

#[test]
fn a_bad_date_in_a_filter_is_refused_with_its_field() {
    let db = open();
    let err = members::list(
        &db.ctx,
        ListMembers {
            filter: Some(MemberFilter {
                joined_from: Some("2025-13-01".into()),
                ..Default::default()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidDate);
    assert_eq!(err.field.as_deref(), Some("joined_from"));
}

#[test]
fn segments_keep_live_counts_and_tell_who_entered_and_left_since_yesterday() {
    let db = open();
    let ids = community(&db);
    let vip = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "VIP 会员".into(),
            filter: MemberFilter {
                tags_all: tags(&["VIP"]),
                ..Default::default()
            },
        },
    )
    .unwrap();
    assert_eq!(vip.count, 2);
    assert_eq!(vip.entered, None, "no earlier snapshot yet");
    // A name another segment has is refused.
    let clash = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "vip 会员".into(),
            filter: MemberFilter::default(),
        },
    )
    .unwrap_err();
    assert_eq!(clash.code, ErrorCode::NameTaken);

    // The next day: 王芳 becomes VIP, 李娜 loses it.
    let tomorrow = Ctx::open_in_dir(
        db.dir.path(),
        Arc::new(FixedClock(now() + Duration::days(1))),
    )
    .unwrap();
    members::bulk_tag(
        &tomorrow,
        members::BulkTag {
            ids: vec![ids[2]],
            add: tags(&["VIP"]),
            remove: vec![],
            expires_on: None,
        },
    )
    .unwrap();
    members::bulk_tag(
        &tomorrow,
        members::BulkTag {
            ids: vec![ids[1]],
            add: vec![],
            remove: tags(&["VIP"]),
            expires_on: None,
        },
    )
    .unwrap();
    let listed = segments::list(&tomorrow).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].count, 2);
    assert_eq!((listed[0].entered, listed[0].left), (Some(1), Some(1)));
    assert_eq!(listed[0].since.as_deref(), Some("2026-11-25"));
    let changes = segments::changes(&tomorrow, vip.id).unwrap();
    assert_eq!(
        changes
            .entered
            .iter()
            .map(|m| m.display_name.as_str())
            .collect::<Vec<_>>(),
        ["王芳"]
    );
    assert_eq!(
        changes
            .left
            .iter()
            .map(|m| m.display_name.as_str())
            .collect::<Vec<_>>(),
        ["李娜"]
    );

    // The board lists a segment's members; an export of it writes exactly them.
    let page = members::list(
        &tomorrow,
        ListMembers {
            segment: Some(vip.id),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 2);
    let path = db.dir.path().join("vip.csv");
    let out = export_members(
        &tomorrow,
        &ExportMembers {
            path: path.to_string_lossy().into_owned(),
            format: ExportFormat::Csv,
            scope: ExportScope::Segment { id: vip.id },
            columns: vec![ExportColumn::Name],
            csv_encoding: CsvEncoding::Utf8Bom,
            chinese_headers: true,
            neutralise_formulas: true,
            include_custom: true,
        },
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(out.members, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("张伟") && text.contains("王芳") && !text.contains("李娜"),
        "{text}"
    );

    // Delete gives back what Undo needs to save it again.
    let gone = segments::delete(&tomorrow, vip.id).unwrap();
    assert!(segments::list(&tomorrow).unwrap().is_empty());
    let back = segments::save(&tomorrow, gone).unwrap();
    assert_eq!(back.count, 2);
}

#[test]
fn bulk_role_change_returns_the_old_roles_for_undo() {
    let db = open();
    let ids = community(&db);
    let previous = members::set_roles(
        &db.ctx,
        ids.iter()
            .map(|id| RoleChange {
                id: *id,
                role: "志愿者".into(),
            })
            .collect(),
    )
    .unwrap();
    assert_eq!(
        names(
            &db,
            MemberFilter {
                roles: tags(&["志愿者"]),
                ..Default::default()
            }
        )
        .len(),
        4
    );
    let roles: Vec<&str> = previous.iter().map(|c| c.role.as_str()).collect();
    assert_eq!(roles, ["speaker", "volunteer", "", "speaker"]);
    members::set_roles(&db.ctx, previous).unwrap();
    assert_eq!(
        names(
            &db,
            MemberFilter {
                roles: tags(&["speaker"]),
                ..Default::default()
            }
        ),
        ["Tom", "张伟"]
    );
    let facets = members::facets(&db.ctx).unwrap();
    assert_eq!(facets.roles[0], ("speaker".to_owned(), 2));
    assert!(facets.cities.contains(&("北京".to_owned(), 2)));
}

#[test]
fn a_segment_and_the_filter_bar_must_both_hold() {
    let db = open();
    community(&db);
    let beijing = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "北京".into(),
            filter: MemberFilter {
                cities: tags(&["北京"]),
                ..Default::default()
            },
        },
    )
    .unwrap();
    let page = members::list(
        &db.ctx,
        ListMembers {
            segment: Some(beijing.id),
            filter: Some(MemberFilter {
                roles: tags(&["speaker"]),
                ..Default::default()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    let names: Vec<&str> = page
        .members
        .iter()
        .map(|m| m.display_name.as_str())
        .collect();
    assert_eq!(names, ["张伟"], "Tom is a speaker but not in Beijing");
}
