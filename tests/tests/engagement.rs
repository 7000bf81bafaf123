//! The engagement engine's first part over a real database on a fixed clock: quick log with daily
//! caps, Undo reversing points in the append-only ledger, manual grants with reasons, levels,
//! leaderboard windows, lifecycle stages, event check-ins earning "attended an event", and
//! merges carrying points (and giving them back on undo).

mod common;

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use common::{draft, now, open, TestDb};
use hearth_core::domain::{EventDraft, EventMode, EventStatus, IdentityKind::*};
use hearth_core::ops::engagement::{self, AdjustPoints, LogActivities, Stage, Window};
use hearth_core::ops::events::{self, door, registrations};
use hearth_core::ops::members::{self, MergeMembers, UndoMerge};
use hearth_core::{Ctx, ErrorCode, FixedClock};

fn member(db: &TestDb, name: &str) -> i64 {
    members::create(&db.ctx, draft(name, &[], &[])).unwrap().id
}

fn log(ctx: &Ctx, ids: &[i64], kind: &str, at: Option<&str>) -> engagement::Logged {
    engagement::log(
        ctx,
        LogActivities {
            member_ids: ids.to_vec(),
            kind: kind.into(),
            occurred_at: at.map(str::to_owned),
            note: String::new(),
        },
    )
    .unwrap()
}

fn points(ctx: &Ctx, id: i64) -> i64 {
    engagement::of_member(ctx, id).unwrap().points
}

/// Sum of the ledger read straight from the file, to compare with what the app says.
fn ledger_sum(db: &TestDb, id: i64) -> i64 {
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    conn.query_row(
        "SELECT coalesce(sum(delta), 0) FROM points_ledger WHERE member_id = ?1",
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn quick_log_awards_points_up_to_the_daily_cap_and_undo_reverses_them() {
    let db = open();
    let ids: Vec<i64> = ["张伟", "李娜", "Tom Lee"]
        .iter()
        .map(|n| member(&db, n))
        .collect();
    // 签到: 1 point, at most once a day.
    let first = log(&db.ctx, &ids, "checkin", None);
    assert_eq!((first.points, first.capped), (3, 0));
    let again = log(&db.ctx, &ids[..1], "checkin", None);
    assert_eq!(
        (again.points, again.capped),
        (0, 1),
        "the second 签到 today earns nothing"
    );
    // 发言: 1 point, at most five a day → six logs earn five.
    for _ in 0..6 {
        log(&db.ctx, &ids[1..2], "spoke", None);
    }
    assert_eq!(points(&db.ctx, ids[1]), 1 + 5);
    // Yesterday's 签到 has its own cap.
    let yesterday = (now() - Duration::days(1)).to_rfc3339();
    assert_eq!(
        log(&db.ctx, &ids[..1], "checkin", Some(&yesterday)).points,
        1
    );
    assert_eq!(points(&db.ctx, ids[0]), 2);

    // Undo takes the points back with new ledger rows; nothing is deleted.
    let reversed = engagement::undo(&db.ctx, first.activity_ids.clone()).unwrap();
    assert_eq!(reversed, 3);
    assert_eq!(points(&db.ctx, ids[0]), 1);
    assert_eq!(points(&db.ctx, ids[2]), 0);
    assert_eq!(
        engagement::undo(&db.ctx, first.activity_ids).unwrap(),
        0,
        "undo twice changes nothing"
    );
    for id in &ids {
        assert_eq!(
            points(&db.ctx, *id),
            ledger_sum(&db, *id),
            "balance = sum of the ledger"
        );
    }
}

#[test]
fn bad_logs_are_refused_and_write_nothing() {
    let db = open();
    let a = member(&db, "张伟");
    let err = engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![a],
            kind: "dancing".into(),
            occurred_at: None,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("kind"))
    );
    let err = engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![a, 999],
            kind: "spoke".into(),
            occurred_at: None,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let tomorrow = (now() + Duration::days(1)).to_rfc3339();
    let err = engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![a],
            kind: "spoke".into(),
            occurred_at: Some(tomorrow),
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("occurred_at"));
    assert_eq!(
        points(&db.ctx, a),
        0,
        "the good member of the refused batch got nothing"
    );
    assert_eq!(ledger_sum(&db, a), 0);
}

#[test]
fn grants_need_a_reason_and_levels_follow_points() {
    let db = open();
    let a = member(&db, "张伟");
    let err = engagement::adjust(
        &db.ctx,
        AdjustPoints {
            member_id: a,
            delta: 60,
            reason: "  ".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("reason"));
    let balance = engagement::adjust(
        &db.ctx,
        AdjustPoints {
            member_id: a,
            delta: 60,
            reason: "年会志愿者".into(),
        },
    )
    .unwrap();
    assert_eq!(balance, 60);
    let e = engagement::of_member(&db.ctx, a).unwrap();
    // Default levels: 0 新手, 50 活跃, 300 达人, 1000 元老.
    assert_eq!(
        (e.level_zh.as_str(), e.level_en.as_str()),
        ("活跃", "Regular")
    );
    assert_eq!(e.to_next_level, Some(240));
    let balance = engagement::adjust(
        &db.ctx,
        AdjustPoints {
            member_id: a,
            delta: -20,
            reason: "群内广告".into(),
        },
    )
    .unwrap();
    assert_eq!(balance, 40);
    assert_eq!(engagement::of_member(&db.ctx, a).unwrap().level_zh, "新手");
}

#[test]
fn leaderboards_count_points_in_their_window_and_share_ranks() {
    let db = open();
    let a = member(&db, "张伟");
    let b = member(&db, "李娜");
    let c = member(&db, "王芳");
    // Points earned 20 days ago (logged then, on a clock set back).
    let earlier = Ctx::new(
        hearth_core::store::Store::open(db.ctx.store.path()).unwrap(),
        Arc::new(FixedClock(now() - Duration::days(20))),
    );
    log(&earlier, &[a], "invited", None); // +10, 20 days ago
    log(&db.ctx, &[b], "shared", None); // +5 today
    log(&db.ctx, &[c], "shared", None); // +5 today

    // Logged today for ten days ago: it belongs to ten days ago.
    let ten_days_ago = (now() - Duration::days(10)).to_rfc3339();
    log(&db.ctx, &[c], "invited", Some(&ten_days_ago));
    let week = engagement::leaderboard(&db.ctx, Window::Days7, 10).unwrap();
    let names: Vec<(u32, &str, i64)> = week
        .iter()
        .map(|s| (s.rank, s.display_name.as_str(), s.points))
        .collect();
    assert_eq!(
        names,
        [(1, "李娜", 5), (1, "王芳", 5)],
        "ties share a rank; older points are out, even when logged today"
    );
    let month = engagement::leaderboard(&db.ctx, Window::Days30, 10).unwrap();
    let month: Vec<(&str, i64)> = month
        .iter()
        .map(|s| (s.display_name.as_str(), s.points))
        .collect();
    assert_eq!(month, [("王芳", 15), ("张伟", 10), ("李娜", 5)]);
}

#[test]
fn leaderboard_windows_are_whole_local_days() {
    // Today is 2026-11-25 (the fixed clock's UTC day): the last 7 days are 19–25 November.
    let db = open();
    let a = member(&db, "张伟");
    let b = member(&db, "李娜");
    log(&db.ctx, &[a], "shared", Some("2026-11-19T00:00:30Z")); // +5, first minute of day 1
    log(&db.ctx, &[b], "invited", Some("2026-11-18T23:59:30Z")); // +10, last minute before
    let at = |t: &str| {
        Ctx::new(
            hearth_core::store::Store::open(db.ctx.store.path()).unwrap(),
            Arc::new(FixedClock(
                chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc(),
            )),
        )
    };
    let grant = |ctx: &Ctx, id: i64, delta: i64| {
        engagement::adjust(
            ctx,
            AdjustPoints {
                member_id: id,
                delta,
                reason: "活动志愿者".into(),
            },
        )
        .unwrap();
    };
    grant(&at("2026-11-19T00:10:00Z"), a, 3);
    grant(&at("2026-11-18T23:50:00Z"), b, 20);
    let week: Vec<(String, i64)> = engagement::leaderboard(&db.ctx, Window::Days7, 10)
        .unwrap()
        .into_iter()
        .map(|s| (s.display_name, s.points))
        .collect();
    assert_eq!(week, [("张伟".to_owned(), 8)]);
    let month: Vec<(String, i64)> = engagement::leaderboard(&db.ctx, Window::Days30, 10)
        .unwrap()
        .into_iter()
        .map(|s| (s.display_name, s.points))
        .collect();
    assert_eq!(month, [("李娜".to_owned(), 30), ("张伟".to_owned(), 8)]);
    // An activity taken back leaves every window with its points.
    let undo = log(&db.ctx, &[a], "invited", None).activity_ids;
    engagement::undo(&db.ctx, undo).unwrap();
    assert_eq!(
        engagement::leaderboard(&db.ctx, Window::Days7, 10).unwrap()[0].points,
        8
    );
}

#[test]
fn stages_follow_active_days_with_the_clock_passed_in() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let long_ago = Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    let days_ago = |d: i64| Some(today - Duration::days(d));
    use engagement::stage_for;
    assert_eq!(stage_for(days_ago(3), [0, 0, 0], None, today), Stage::New);
    assert_eq!(stage_for(long_ago, [0, 0, 0], None, today), Stage::Dormant);
    assert_eq!(
        stage_for(long_ago, [2, 2, 2], days_ago(0), today),
        Stage::Active
    );
    assert_eq!(
        stage_for(long_ago, [1, 4, 4], days_ago(5), today),
        Stage::Active
    );
    assert_eq!(
        stage_for(long_ago, [3, 7, 12], days_ago(0), today),
        Stage::Loyal
    );
    assert_eq!(
        stage_for(long_ago, [3, 8, 25], days_ago(0), today),
        Stage::Core
    );
    assert_eq!(
        stage_for(long_ago, [0, 0, 1], days_ago(45), today),
        Stage::Dormant
    );
    assert_eq!(
        stage_for(long_ago, [0, 0, 0], days_ago(120), today),
        Stage::Churned
    );
}

#[test]
fn a_members_stage_is_computed_from_their_activities() {
    let db = open();
    let a = member(&db, "张伟");
    for d in 0..8 {
        let at = (now() - Duration::days(d)).to_rfc3339();
        log(&db.ctx, &[a], "spoke", Some(&at));
    }
    let e = engagement::of_member(&db.ctx, a).unwrap();
    assert_eq!(e.active_days, [7, 8, 8]);
    assert_eq!(e.stage, Stage::Loyal);
    assert_eq!(e.last_active.as_deref(), Some("2026-11-25"));
}

fn saturday_event(db: &TestDb) -> i64 {
    events::create(
        &db.ctx,
        EventDraft {
            title: "周六读书会".into(),
            mode: EventMode::Offline,
            starts_local: "2026-11-25T14:00".into(),
            ends_local: "2026-11-25T17:00".into(),
            time_zone: "Asia/Shanghai".into(),
            venue: "图书馆".into(),
            link: String::new(),
            capacity: None,
            notes: String::new(),
            campaign: String::new(),
            status: EventStatus::Open,
        },
    )
    .unwrap()
    .id
}

#[test]
fn checking_in_at_an_event_earns_attendance_points_and_undo_takes_them_back() {
    let db = open();
    let a = members::create(&db.ctx, draft("张伟", &[(Phone, "13800138000")], &[]))
        .unwrap()
        .id;
    let event = saturday_event(&db);
    registrations::register(
        &db.ctx,
        registrations::Register {
            event_id: event,
            member_ids: vec![a],
            companions: 0,
            note: String::new(),
        },
    )
    .unwrap();
    let checked = door::check_in(
        &db.ctx,
        door::CheckIn {
            event_id: event,
            member_id: a,
            walk_in: false,
            reinstate: false,
            over_capacity: false,
        },
    )
    .unwrap();
    assert_eq!(points(&db.ctx, a), 10, "参加活动 is worth 10");
    door::undo_check_in(&db.ctx, checked.registration.id).unwrap();
    assert_eq!(points(&db.ctx, a), 0);
    // Marked attended by hand after the event: the same 10, once.
    registrations::set_status(
        &db.ctx,
        registrations::SetRegistrationStatus {
            registration_id: checked.registration.id,
            status: hearth_core::domain::RegistrationStatus::Attended,
        },
    )
    .unwrap();
    registrations::set_status(
        &db.ctx,
        registrations::SetRegistrationStatus {
            registration_id: checked.registration.id,
            status: hearth_core::domain::RegistrationStatus::Attended,
        },
    )
    .unwrap();
    assert_eq!(points(&db.ctx, a), 10);
    assert_eq!(points(&db.ctx, a), ledger_sum(&db, a));
}

#[test]
fn a_merge_carries_points_to_the_member_kept_and_undo_gives_them_back() {
    let db = open();
    let a = member(&db, "张伟");
    let b = members::create(&db.ctx, draft("张伟", &[(Email, "zw@example.com")], &[]))
        .unwrap()
        .id;
    log(&db.ctx, &[a], "shared", None);
    log(&db.ctx, &[b], "invited", None);
    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a,
            merge_id: b,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    assert_eq!(points(&db.ctx, a), 15);
    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    assert_eq!(points(&db.ctx, a), 5);
    assert_eq!(points(&db.ctx, b), 10);
}

#[test]
fn the_demo_community_has_points_stages_and_a_leaderboard() {
    let db = common::open_demo();
    let board = engagement::leaderboard(&db.ctx, Window::Days30, 10).unwrap();
    assert_eq!(board.len(), 10);
    assert!(board[0].points >= board[9].points);
    let ids: Vec<i64> = (1..=300).collect();
    let all = engagement::of_members(&db.ctx, &ids).unwrap();
    let stages: std::collections::HashSet<Stage> = all.iter().map(|e| e.stage).collect();
    for stage in [Stage::Active, Stage::Dormant] {
        assert!(stages.contains(&stage), "{stage:?} among {stages:?}");
    }
}

#[test]
fn a_custom_kind_earns_its_points_under_its_cap_and_edits_apply_from_then_on() {
    let db = open();
    let a = member(&db, "郑爽");
    let before = common::dump_db(db.ctx.store.path(), |_| true);
    for bad in [
        engagement::SaveKind {
            key: None,
            name_zh: " ".into(),
            name_en: String::new(),
            points: 2,
            daily_cap: None,
        },
        engagement::SaveKind {
            key: None,
            name_zh: "签到".into(),
            name_en: String::new(),
            points: 2,
            daily_cap: None,
        },
        engagement::SaveKind {
            key: None,
            name_zh: "打卡读书".into(),
            name_en: String::new(),
            points: 2,
            daily_cap: Some(0),
        },
    ] {
        engagement::save_kind(&db.ctx, bad).unwrap_err();
    }
    assert_eq!(
        common::dump_db(db.ctx.store.path(), |_| true),
        before,
        "refusals write nothing"
    );

    let kind = engagement::save_kind(
        &db.ctx,
        engagement::SaveKind {
            key: None,
            name_zh: "打卡读书".into(),
            name_en: "Reading check-in".into(),
            points: 2,
            daily_cap: Some(2),
        },
    )
    .unwrap();
    assert_eq!(kind.key, "custom_1");
    let logged = log(&db.ctx, &[a, a, a], &kind.key, None);
    assert_eq!(
        (logged.points, logged.capped),
        (4, 1),
        "2 + 2, the third over the cap"
    );

    engagement::save_kind(
        &db.ctx,
        engagement::SaveKind {
            key: Some(kind.key.clone()),
            name_zh: "打卡读书".into(),
            name_en: "Reading check-in".into(),
            points: 5,
            daily_cap: None,
        },
    )
    .unwrap();
    let later = log(&db.ctx, &[a], &kind.key, None);
    assert_eq!(later.points, 5, "the new points apply from now on");
    assert_eq!(points(&db.ctx, a), 9, "what was earned stays");
}
