//! The dashboards' numbers against a small community computed by hand, on the fixed clock
//! (2026-11-25 09:30 UTC; the test clock's days are UTC days), the members behind each number,
//! and the plan of every dashboard query over the demo community: no full scan of members or
//! activities.

mod common;

use common::{draft, open, open_demo, TestDb};
use hearth_core::domain::{Drill, EventDraft, EventMode, EventStatus};
use hearth_core::ops::dashboard::{self, BehindQuery, MetricsQuery, SaveDrillMembers};
use hearth_core::ops::engagement::{self, AdjustPoints, LogActivities};
use hearth_core::ops::events::{self, door, registrations};
use hearth_core::ops::members::{self, DeleteMembers};

fn member(db: &TestDb, name: &str, joined: &str) -> i64 {
    let mut d = draft(name, &[], &[]);
    d.joined_at = Some(format!("{joined}T02:00:00Z"));
    members::create(&db.ctx, d).unwrap().id
}

fn log(db: &TestDb, id: i64, kind: &str, at: &str) {
    engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![id],
            kind: kind.into(),
            occurred_at: Some(format!("{at}Z")),
            note: String::new(),
        },
    )
    .unwrap();
}

fn november(db: &TestDb) -> hearth_core::domain::Metrics {
    dashboard::metrics(
        &db.ctx,
        MetricsQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-25".into()),
            compare: true,
            segment: None,
            channel: None,
        },
    )
    .unwrap()
}

fn behind(db: &TestDb, drill: Drill) -> Vec<i64> {
    dashboard::members_behind(&db.ctx, drill).unwrap()
}

fn nov(kind: fn(String, String) -> Drill) -> Drill {
    kind("2026-11-01".into(), "2026-11-25".into())
}

#[test]
fn growth_activity_points_cohorts_and_top_contributors_match_the_hand_count() {
    let db = open();
    let a = member(&db, "阿明", "2026-10-05");
    let b = member(&db, "小北", "2026-11-03");
    let c = member(&db, "晨晨", "2026-11-10");
    let d = member(&db, "大东", "2026-11-20");
    log(&db, a, "spoke", "2026-11-24T10:00:00");
    log(&db, a, "spoke", "2026-11-24T11:00:00");
    log(&db, a, "checkin", "2026-11-25T08:00:00");
    log(&db, b, "answered", "2026-11-20T12:00:00");
    log(&db, c, "checkin", "2026-11-25T09:00:00");
    log(&db, a, "spoke", "2026-10-20T09:00:00");
    engagement::adjust(
        &db.ctx,
        AdjustPoints {
            member_id: a,
            delta: 5,
            reason: "帮忙布置场地".into(),
        },
    )
    .unwrap();
    members::delete(&db.ctx, DeleteMembers { ids: vec![d] }).unwrap();

    let m = november(&db);
    // Growth: 小北 and 晨晨 joined in November (大东 is in the trash), 大东 left today.
    let g = &m.growth;
    assert_eq!((g.members_start, g.members_end), (1, 3));
    assert_eq!((g.new, g.left, g.net), (2, 1, 1));
    assert_eq!(g.months.len(), 1);
    assert_eq!(
        g.weeks.len(),
        5,
        "Nov 1 is a Sunday: 1, 2–8, 9–15, 16–22, 23–25"
    );
    assert_eq!(
        (g.weeks[0].from.as_str(), g.weeks[0].to.as_str()),
        ("2026-11-01", "2026-11-01")
    );
    assert_eq!((g.weeks[1].new, g.weeks[2].new, g.weeks[4].left), (1, 1, 1));
    assert_eq!(
        behind(&db, nov(|from, to| Drill::New { from, to })),
        vec![b, c]
    );
    assert_eq!(
        behind(&db, nov(|from, to| Drill::Left { from, to })),
        vec![d]
    );

    // Activity: DAU(25th) = 阿明, 晨晨; WAU (19th–25th) and MAU add 小北; 阿明's October line
    // is in the MAU window (Oct 27–Nov 25)? No: Oct 20 is before it.
    let s = &m.activity;
    assert_eq!((s.dau, s.wau, s.mau, s.active), (2, 3, 3, 3));
    assert_eq!(s.activities, 5);
    // DAU summed over the range: 1 (20th) + 1 (24th) + 2 (25th) = 4.
    assert!((s.per_active_day - 5.0 / 4.0).abs() < 1e-9);
    assert!((s.stickiness - 4.0 / 30.0 / 3.0).abs() < 1e-9);
    assert_eq!(s.days.len(), 25);
    assert_eq!((s.days[23].active, s.days[23].activities), (1, 2));
    assert_eq!(
        behind(
            &db,
            Drill::Active {
                from: "2026-11-25".into(),
                to: "2026-11-25".into()
            }
        ),
        vec![a, c]
    );

    // Points: spoke 1 + 1, check-ins 1 + 1, an answer 3 = 7 from activities, and a grant of 5.
    let p = &m.points;
    assert_eq!((p.from_activities, p.granted, p.issued), (7, 5, 12));
    // Top contributors by activity points in the range: 阿明 3 (3 activities), 小北 3, 晨晨 1.
    let top: Vec<(i64, u32, i64)> = m
        .top
        .iter()
        .map(|t| (t.member_id, t.activities, t.points))
        .collect();
    assert_eq!(top, vec![(a, 3, 3), (b, 1, 3), (c, 1, 1)]);

    // Cohorts: November's (小北, 晨晨), both active in November.
    assert_eq!(m.cohorts.len(), 1);
    assert_eq!(
        (m.cohorts[0].month.as_str(), m.cohorts[0].size),
        ("2026-11", 2)
    );
    assert_eq!(m.cohorts[0].active, vec![2]);
    assert_eq!(
        behind(
            &db,
            Drill::Cohort {
                month: "2026-11".into(),
                offset: Some(0)
            }
        ),
        vec![b, c]
    );
    assert_eq!(
        behind(
            &db,
            Drill::Cohort {
                month: "2026-10".into(),
                offset: Some(1)
            }
        ),
        vec![a]
    );

    // The previous 25 days (Oct 7–31): 阿明 spoke once on Oct 20, nobody joined.
    let prev = m.previous.as_ref().unwrap();
    assert_eq!(
        (prev.from.as_str(), prev.to.as_str()),
        ("2026-10-07", "2026-10-31")
    );
    assert_eq!(
        (prev.new, prev.active, prev.activities, prev.points_issued),
        (0, 1, 1, 1)
    );
}

#[test]
fn event_participation_counts_registrations_check_ins_and_no_shows_of_past_events() {
    let db = open();
    let ids: Vec<i64> = ["甲", "乙", "丙", "丁"]
        .iter()
        .map(|n| member(&db, n, "2026-09-01"))
        .collect();
    let draft = |title: &str, day: &str, status: EventStatus| EventDraft {
        title: title.into(),
        mode: EventMode::Offline,
        starts_local: format!("{day}T14:00"),
        ends_local: format!("{day}T17:00"),
        time_zone: "UTC".into(),
        venue: String::new(),
        link: String::new(),
        capacity: None,
        notes: String::new(),
        campaign: String::new(),
        status,
    };
    let event = |title: &str, day: &str| {
        events::create(&db.ctx, draft(title, day, EventStatus::Open))
            .unwrap()
            .id
    };
    let past = event("读书会", "2026-11-10");
    let coming = event("年终聚会", "2026-11-28");
    let cancelled = event("取消的", "2026-11-12");
    for (e, who) in [
        (past, &ids[..3]),
        (coming, &ids[..2]),
        (cancelled, &ids[..]),
    ] {
        registrations::register(
            &db.ctx,
            registrations::Register {
                event_id: e,
                member_ids: who.to_vec(),
                companions: 0,
                note: String::new(),
            },
        )
        .unwrap();
    }
    events::update(
        &db.ctx,
        cancelled,
        draft("取消的", "2026-11-12", EventStatus::Cancelled),
    )
    .unwrap();
    for who in [ids[0], ids[1]] {
        door::check_in(
            &db.ctx,
            door::CheckIn {
                event_id: past,
                member_id: who,
                walk_in: false,
                reinstate: false,
                over_capacity: false,
            },
        )
        .unwrap();
    }
    let m = dashboard::metrics(
        &db.ctx,
        MetricsQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            compare: false,
            segment: None,
            channel: None,
        },
    )
    .unwrap();
    let e = &m.events;
    // Held: 读书会 and 年终聚会 (the cancelled one is not); 3 + 2 registered, 2 came; of the
    // 3 registered at the past event 1 did not come.
    assert_eq!((e.held, e.registered, e.attended), (2, 5, 2));
    assert_eq!((e.registered_past, e.no_show), (3, 1));
    assert_eq!(e.attendance_rate, Some(2.0 / 3.0));
    assert_eq!(e.no_show_rate, Some(1.0 / 3.0));
    let nov = |kind: fn(String, String) -> Drill| kind("2026-11-01".into(), "2026-11-30".into());
    assert_eq!(
        behind(&db, nov(|from, to| Drill::NoShow { from, to })),
        vec![ids[2]]
    );
    assert_eq!(
        behind(&db, nov(|from, to| Drill::Attended { from, to })),
        vec![ids[0], ids[1]]
    );
    assert_eq!(
        behind(&db, nov(|from, to| Drill::Registered { from, to })),
        ids[..3].to_vec()
    );
}

#[test]
fn no_dashboard_query_scans_all_members_or_activities() {
    let db = open_demo();
    let plans = db.ctx.store.read(|r| {
        hearth_core::store::dashboard::queries()
            .into_iter()
            .map(|(name, sql)| Ok((name, hearth_core::store::dashboard::plan(r, &sql)?)))
            .collect::<hearth_core::Result<Vec<_>>>()
    });
    let plans = plans.unwrap();
    assert!(plans.len() >= 15);
    for (name, steps) in plans {
        for step in &steps {
            // "SCAN t" reads all of t (or all of an index of it); "SEARCH t" reads a range.
            let mut words = step.split_whitespace();
            let scanned = match (words.next(), words.next()) {
                (Some("SCAN"), Some(table)) => table,
                _ => continue,
            };
            assert!(
                !["members", "m", "activities", "a", "member_days", "d"].contains(&scanned),
                "{name}: {step} (plan: {steps:?})"
            );
        }
    }
}

#[test]
fn the_members_behind_a_number_come_page_by_page_and_save_as_a_hand_picked_segment() {
    let db = open();
    member(&db, "阿明", "2026-10-05");
    let b = member(&db, "小北", "2026-11-03");
    let c = member(&db, "晨晨", "2026-11-10");
    let d = member(&db, "大东", "2026-11-20");
    let new_in_november = nov(|from, to| Drill::New { from, to });
    let page = |offset, limit| {
        dashboard::members_page(
            &db.ctx,
            BehindQuery {
                drill: new_in_november.clone(),
                segment: None,
                offset,
                limit,
            },
        )
    };

    // Every member is reachable: the total is the number, pages follow one another.
    let first = page(0, 2).unwrap();
    assert_eq!(first.total, 3);
    let names: Vec<_> = first
        .members
        .iter()
        .map(|m| (m.id, m.display_name.as_str()))
        .collect();
    assert_eq!(names, [(b, "小北"), (c, "晨晨")]);
    let second = page(2, 2).unwrap();
    assert_eq!((second.total, second.offset), (3, 2));
    assert_eq!(second.members.len(), 1);
    assert_eq!(second.members[0].id, d);
    assert!(page(9, 2).unwrap().members.is_empty());
    for bad in [0, dashboard::PAGE_MAX + 1] {
        let err = page(0, bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("limit"));
    }

    // Saved as a segment: a hand-picked list of exactly those members.
    let segment = dashboard::save_members(
        &db.ctx,
        SaveDrillMembers {
            drill: new_in_november,
            segment: None,
            name: "十一月新成员".into(),
        },
    )
    .unwrap();
    assert!(segment.is_list);
    assert_eq!(segment.count, 3);
    assert_eq!(segment.name, "十一月新成员");

    // Nobody behind a number: nothing to save.
    let nobody = Drill::New {
        from: "2026-01-01".into(),
        to: "2026-01-31".into(),
    };
    let err = dashboard::save_members(
        &db.ctx,
        SaveDrillMembers {
            drill: nobody,
            segment: None,
            name: "空".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("drill"));
}
