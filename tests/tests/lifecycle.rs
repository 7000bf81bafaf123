//! Lifecycle stages over a real database on a fixed clock, with hand-computed expectations:
//! promotion at once, demotion only after the hold, overrides with their reasons, weights, opinion
//! leaders, idempotent recompute, and bulk logging that gives exactly what one-by-one logging
//! gives.
//!
//! "Today" is 2026-11-25 (`common::NOW`, UTC); T+n below means n days later.

mod common;

use std::sync::Arc;

use chrono::{Duration, Utc};
use common::{draft, dump_db, now, open, TestDb};
use hearth_core::domain::MemberDraft;
use hearth_core::ops::engagement::{self, LogActivities, NewLog};
use hearth_core::ops::lifecycle::{
    self, Cause, SetOpinionLeader, SetOverride, Slipping, Stage, StageChange,
};
use hearth_core::ops::members;
use hearth_core::store::Store;
use hearth_core::{Ctx, ErrorCode, FixedClock};

/// A member who joined on `joined` (`YYYY-MM-DD`).
fn member(db: &TestDb, name: &str, joined: &str) -> i64 {
    members::create(
        &db.ctx,
        MemberDraft {
            joined_at: Some(joined.into()),
            ..draft(name, &[], &[])
        },
    )
    .unwrap()
    .id
}

/// The same database seen `days` days after `NOW`.
fn later(db: &TestDb, days: i64) -> Ctx {
    Ctx::new(
        Store::open(db.ctx.store.path()).unwrap(),
        Arc::new(FixedClock(now() + Duration::days(days))),
    )
}

/// Logs one activity of `kind` for `id`, `days_ago` days before the context's now.
fn log_at(ctx: &Ctx, id: i64, kind: &str, days_ago: i64) -> engagement::Logged {
    let at = ctx.clock.now() - Duration::days(days_ago);
    engagement::log(
        ctx,
        LogActivities {
            member_ids: vec![id],
            kind: kind.into(),
            occurred_at: Some(at.to_rfc3339()),
            note: String::new(),
        },
    )
    .unwrap()
}

fn changes(ctx: &Ctx, id: i64) -> Vec<(Stage, Stage, Cause, String, String)> {
    let mut all: Vec<StageChange> = lifecycle::history(ctx, id).unwrap();
    all.reverse();
    all.into_iter()
        .map(|c| (c.from_stage, c.to_stage, c.cause, c.day, c.note))
        .collect()
}

fn stage(ctx: &Ctx, id: i64) -> Stage {
    lifecycle::show(ctx, id).unwrap().stage
}

#[test]
fn two_active_days_in_a_week_promote_a_new_member_at_once() {
    let db = open();
    let a = member(&db, "张伟", "2026-11-20");
    assert_eq!(stage(&db.ctx, a), Stage::New, "joined 5 days ago, quiet");
    log_at(&db.ctx, a, "spoke", 0);
    // One active day: not yet "2 days in a week"; still new. First assessment: no history.
    let shown = lifecycle::show(&db.ctx, a).unwrap();
    assert_eq!((shown.stage, shown.active_days), (Stage::New, [1, 1, 1]));
    assert!(changes(&db.ctx, a).is_empty());
    // A second day this week (logged late for yesterday): active at once.
    log_at(&db.ctx, a, "spoke", 1);
    assert_eq!(stage(&db.ctx, a), Stage::Active);
    assert_eq!(
        changes(&db.ctx, a),
        [(
            Stage::New,
            Stage::Active,
            Cause::Promotion,
            "2026-11-25".into(),
            String::new()
        )]
    );
    let e = engagement::of_member(&db.ctx, a).unwrap();
    assert_eq!((e.stage, e.stage_overridden), (Stage::Active, false));
}

/// Spoke on each of the 8 days up to today: 8 active days in the month → loyal (not core: fewer
/// than 20 in the quarter). The first log lifts a long-quiet member from dormant to active, the
/// seventh day to loyal; the history is then cleared of those for the tests' own expectations.
fn loyal_member(db: &TestDb) -> i64 {
    let a = member(db, "李娜", "2025-01-01");
    for d in 0..8 {
        log_at(&db.ctx, a, "spoke", d);
    }
    assert_eq!(stage(&db.ctx, a), Stage::Loyal);
    let promotion = |from, to| {
        (
            from,
            to,
            Cause::Promotion,
            "2026-11-25".into(),
            String::new(),
        )
    };
    assert_eq!(
        changes(&db.ctx, a),
        [
            promotion(Stage::Dormant, Stage::Active),
            promotion(Stage::Active, Stage::Loyal)
        ]
    );
    a
}

/// The history after the two promotions of [`loyal_member`].
fn changes_after_loyal(ctx: &Ctx, id: i64) -> Vec<(Stage, Stage, Cause, String, String)> {
    changes(ctx, id).split_off(2)
}

#[test]
fn a_lower_stage_shows_only_after_the_hold() {
    let db = open();
    let a = loyal_member(&db);
    // Active days T-7..T. The month count falls below 7 on T+24 (only T-5..T left in
    // T-5..T+24), so the computed stage is "active" from T+24 and "dormant" from T+31 (more than
    // 30 days since T). The stored stage keeps the highest of the last 15 days (hold 14).
    let at = |days: i64| {
        let ctx = later(&db, days);
        let report = lifecycle::recompute(&ctx).unwrap();
        let shown = lifecycle::show(&ctx, a).unwrap();
        (report, shown)
    };
    let (_, t23) = at(23);
    assert_eq!(
        (t23.stored_stage, t23.computed_stage),
        (Stage::Loyal, Stage::Loyal)
    );
    let (_, t37) = at(37);
    assert_eq!(
        (t37.stored_stage, t37.computed_stage),
        (Stage::Loyal, Stage::Dormant),
        "13 days of lower stages are not enough"
    );
    assert_eq!(t37.demotes_on.as_deref(), Some("2027-01-02"));
    let (report, t38) = at(38);
    assert_eq!(
        t38.stored_stage,
        Stage::Active,
        "T+24..T+38 held no loyal day"
    );
    assert_eq!((report.demoted, report.promoted), (1, 0));
    let (_, t44) = at(44);
    assert_eq!(
        t44.stored_stage,
        Stage::Active,
        "T+30 (active) is still within the hold"
    );
    let (_, t45) = at(45);
    assert_eq!(t45.stored_stage, Stage::Dormant);
    let ctx = later(&db, 45);
    assert_eq!(
        changes_after_loyal(&ctx, a),
        [
            (
                Stage::Loyal,
                Stage::Active,
                Cause::Demotion,
                "2027-01-02".into(),
                String::new()
            ),
            (
                Stage::Active,
                Stage::Dormant,
                Cause::Demotion,
                "2027-01-09".into(),
                String::new()
            ),
        ]
    );
    // Coming back is a promotion at once, whatever the hold.
    log_at(&ctx, a, "spoke", 0);
    assert_eq!(stage(&ctx, a), Stage::Active);
    assert_eq!(changes(&ctx, a).last().unwrap().2, Cause::Promotion);
}

#[test]
fn a_closed_laptop_does_not_delay_demotion() {
    // Nothing ran between T and T+45: the first run already knows the lower stage has lasted.
    let db = open();
    let a = loyal_member(&db);
    let ctx = later(&db, 45);
    lifecycle::recompute(&ctx).unwrap();
    assert_eq!(stage(&ctx, a), Stage::Dormant);
}

#[test]
fn an_override_wins_until_cleared_and_both_are_in_the_history() {
    let db = open();
    let a = loyal_member(&db);
    let before = dump_db(db.ctx.store.path(), |_| true);
    let err = lifecycle::set_override(
        &db.ctx,
        SetOverride {
            member_id: a,
            stage: Some(Stage::Core),
            reason: "  ".into(),
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Required, Some("reason"))
    );
    let err = lifecycle::set_override(
        &db.ctx,
        SetOverride {
            member_id: 999,
            stage: Some(Stage::Core),
            reason: "x".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(
        dump_db(db.ctx.store.path(), |_| true),
        before,
        "refusals write nothing"
    );

    let shown = lifecycle::set_override(
        &db.ctx,
        SetOverride {
            member_id: a,
            stage: Some(Stage::Core),
            reason: "读书会的组织者".into(),
        },
    )
    .unwrap();
    assert_eq!(
        (shown.stage, shown.stored_stage),
        (Stage::Core, Stage::Loyal)
    );
    assert_eq!(
        shown.override_.as_ref().map(|o| o.reason.as_str()),
        Some("读书会的组织者")
    );
    let e = engagement::of_member(&db.ctx, a).unwrap();
    assert_eq!((e.stage, e.stage_overridden), (Stage::Core, true));

    // The computed stage falls (T+38: loyal → active) but the override still shows, and the
    // history records no demotion nobody saw.
    let ctx = later(&db, 38);
    lifecycle::recompute(&ctx).unwrap();
    let shown = lifecycle::show(&ctx, a).unwrap();
    assert_eq!(
        (shown.stage, shown.stored_stage),
        (Stage::Core, Stage::Active)
    );
    assert_eq!(lifecycle::counts(&ctx).unwrap().core, 1);

    let shown = lifecycle::set_override(
        &ctx,
        SetOverride {
            member_id: a,
            stage: None,
            reason: String::new(),
        },
    )
    .unwrap();
    assert_eq!(shown.stage, Stage::Active, "back to the stored stage");
    assert_eq!(
        changes_after_loyal(&ctx, a),
        [
            (
                Stage::Loyal,
                Stage::Core,
                Cause::Override,
                "2026-11-25".into(),
                "读书会的组织者".into()
            ),
            (
                Stage::Core,
                Stage::Active,
                Cause::OverrideCleared,
                "2027-01-02".into(),
                String::new()
            ),
        ]
    );
}

#[test]
fn a_weight_zero_kind_never_makes_a_day_active() {
    let db = open();
    let a = member(&db, "王芳", "2025-01-01");
    let mut rules = lifecycle::rules(&db.ctx).unwrap();
    for k in &mut rules.kinds {
        if k.key == "checkin" {
            k.weight = 0.0;
        }
    }
    lifecycle::set_rules(&db.ctx, rules.clone()).unwrap();
    for d in 0..10 {
        log_at(&db.ctx, a, "checkin", d);
    }
    let shown = lifecycle::show(&db.ctx, a).unwrap();
    assert_eq!(
        (shown.active_days, shown.last_active, shown.stage),
        ([0, 0, 0], None, Stage::Dormant),
        "ten 签到 of weight 0: never active"
    );
    assert_eq!(engagement::of_member(&db.ctx, a).unwrap().points, 10);

    // A day needs weight 2: one 发言 (1) is not enough, one 回答 (2) is.
    rules.day_weight = 2.0;
    lifecycle::set_rules(&db.ctx, rules.clone()).unwrap();
    log_at(&db.ctx, a, "spoke", 0);
    assert_eq!(lifecycle::show(&db.ctx, a).unwrap().active_days, [0, 0, 0]);
    log_at(&db.ctx, a, "answered", 1);
    assert_eq!(lifecycle::show(&db.ctx, a).unwrap().active_days, [1, 1, 1]);
    log_at(&db.ctx, a, "spoke", 0);
    assert_eq!(
        lifecycle::show(&db.ctx, a).unwrap().active_days,
        [2, 2, 2],
        "two 发言 on one day add up"
    );

    let mut bad = rules.clone();
    bad.churned_after_days = bad.dormant_after_days;
    let before = dump_db(db.ctx.store.path(), |_| true);
    let err = lifecycle::set_rules(&db.ctx, bad).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("churned_after_days"))
    );
    let mut bad = rules;
    bad.kinds[0].key = "dancing".into();
    assert_eq!(
        lifecycle::set_rules(&db.ctx, bad)
            .unwrap_err()
            .field
            .as_deref(),
        Some("kind")
    );
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), before);
}

#[test]
fn eight_answers_in_90_days_make_an_opinion_leader_unless_the_manager_says_otherwise() {
    let db = open();
    let a = member(&db, "陈静", "2025-01-01");
    // Seven answers within the last 90 days and one 95 days ago: 7 voices.
    for d in [0, 10, 20, 30, 40, 50, 60, 95] {
        log_at(&db.ctx, a, "answered", d);
    }
    let shown = lifecycle::show(&db.ctx, a).unwrap();
    assert_eq!((shown.voices, shown.opinion_leader), (7, false));
    log_at(&db.ctx, a, "shared", 70);
    let shown = lifecycle::show(&db.ctx, a).unwrap();
    assert_eq!((shown.voices, shown.opinion_leader), (8, true));
    assert!(engagement::of_member(&db.ctx, a).unwrap().opinion_leader);

    let err = lifecycle::set_opinion_leader(
        &db.ctx,
        SetOpinionLeader {
            member_id: a,
            opinion_leader: Some(false),
            reason: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("reason"));
    let shown = lifecycle::set_opinion_leader(
        &db.ctx,
        SetOpinionLeader {
            member_id: a,
            opinion_leader: Some(false),
            reason: "答疑都是转发官方文档".into(),
        },
    )
    .unwrap();
    assert_eq!(
        (shown.opinion_leader, shown.opinion_leader_computed),
        (false, true)
    );
    assert_eq!(lifecycle::counts(&db.ctx).unwrap().opinion_leaders, 0);
    let shown = lifecycle::set_opinion_leader(
        &db.ctx,
        SetOpinionLeader {
            member_id: a,
            opinion_leader: None,
            reason: String::new(),
        },
    )
    .unwrap();
    assert!(shown.opinion_leader);
}

/// A small community with a spread of histories (40 members: enough for bulk logging to take
/// its range-scan paths).
fn community(db: &TestDb) -> Vec<i64> {
    let ids: Vec<i64> = (0..40)
        .map(|i| member(db, &format!("成员{i}"), "2025-06-01"))
        .collect();
    let kinds = ["spoke", "checkin", "answered", "shared", "invited"];
    let mut rows = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        // Member i is active every (i+1)th day over the last 120 days, stopping i*9 days ago.
        for d in (i as i64 * 9..120).step_by(i + 1) {
            rows.push(NewLog {
                member_id: *id,
                kind: kinds[(d as usize + i) % kinds.len()].into(),
                occurred_at: now() - Duration::days(d) - Duration::minutes(i as i64 * 7),
                note: String::new(),
                source: "test".into(),
                reference: String::new(),
            });
        }
    }
    engagement::log_many(&db.ctx, rows).unwrap();
    ids
}

#[test]
fn recompute_is_idempotent_and_agrees_with_the_incremental_refresh() {
    let db = open();
    let ids = community(&db);
    let first = lifecycle::recompute(&db.ctx).unwrap();
    assert_eq!(first.members, 40);
    // log_many refreshed every member it touched; the 26 who never did anything (members 14–39
    // stop before day 120) get their first row now, "dormant" as yesterday: no change.
    assert_eq!((first.written, first.promoted, first.demoted), (26, 0, 0));
    let stages: Vec<Stage> = ids.iter().map(|id| stage(&db.ctx, *id)).collect();
    assert!(
        stages.contains(&Stage::Core) && stages.contains(&Stage::Dormant),
        "{stages:?}"
    );
    let dump = dump_db(db.ctx.store.path(), |_| true);
    let again = lifecycle::recompute(&db.ctx).unwrap();
    assert_eq!((again.written, again.promoted, again.demoted), (0, 0, 0));
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), dump);

    // Weeks later with no run in between: the first recompute changes things, the second not.
    let ctx = later(&db, 40);
    let moved = lifecycle::recompute(&ctx).unwrap();
    assert!(moved.demoted > 0, "{moved:?}");
    let dump = dump_db(db.ctx.store.path(), |_| true);
    let again = lifecycle::recompute(&ctx).unwrap();
    assert_eq!((again.written, again.promoted, again.demoted), (0, 0, 0));
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), dump);

    // One quick log refreshes its member; the full recompute then finds nothing to change.
    let quiet = ids[11];
    log_at(&ctx, quiet, "hosted_event", 0);
    log_at(&ctx, quiet, "spoke", 1);
    let dump = dump_db(db.ctx.store.path(), |_| true);
    let after = lifecycle::recompute(&ctx).unwrap();
    assert_eq!((after.written, after.promoted, after.demoted), (0, 0, 0));
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), dump);
    assert_eq!(changes(&ctx, quiet).last().unwrap().2, Cause::Promotion);
    // Undo is an incremental change too.
    let undo_ids = log_at(&ctx, quiet, "spoke", 2).activity_ids;
    engagement::undo(&ctx, undo_ids).unwrap();
    let dump = dump_db(db.ctx.store.path(), |_| true);
    assert_eq!(lifecycle::recompute(&ctx).unwrap().written, 0);
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), dump);
}

fn batch(ids: &[i64]) -> Vec<NewLog> {
    let (a, b) = (ids[0], ids[1]);
    let row = |member_id: i64, kind: &str, days_ago: i64, minute: i64| NewLog {
        member_id,
        kind: kind.into(),
        occurred_at: now() - Duration::days(days_ago) - Duration::minutes(minute),
        note: format!("{kind} {minute}"),
        source: "manual".into(),
        reference: String::new(),
    };
    let mut rows = Vec::new();
    for m in 0..3 {
        rows.push(row(a, "checkin", 0, m)); // cap 1 a day
    }
    for m in 0..7 {
        rows.push(row(b, "spoke", 0, m)); // cap 5 a day; b already has 2 today
        rows.push(row(a, "spoke", 1, m));
    }
    rows.push(row(b, "invited", 0, 1)); // no cap
    rows.push(row(b, "invited", 0, 2));
    rows.push(row(a, "checkin", 3, 0));
    // Everyone else: a 签到 today (some already have one) and two 分享 (cap 3) two days ago.
    for (i, &id) in ids.iter().enumerate().skip(2) {
        rows.push(row(id, "checkin", 0, i as i64));
        rows.push(row(id, "shared", 2, i as i64));
        rows.push(row(id, "shared", 2, i as i64 + 1));
    }
    rows
}

/// Logs `batch` into two databases, one by one and with `log_many`, after the same history
/// (two 发言 today for the second member; a 签到 today and two 分享 two days ago for every third
/// of the others).
fn one_by_one_and_many(members: usize) -> (TestDb, TestDb, engagement::LoggedMany) {
    let one = open();
    let many = open();
    let setup = |db: &TestDb| -> Vec<i64> {
        let mut ids = vec![
            member(db, "张伟", "2026-11-01"),
            member(db, "李娜", "2025-01-01"),
        ];
        ids.extend((2..members).map(|i| member(db, &format!("成员{i}"), "2025-06-01")));
        for _ in 0..2 {
            log_at(&db.ctx, ids[1], "spoke", 0);
        }
        for &id in ids.iter().skip(2).step_by(3) {
            log_at(&db.ctx, id, "checkin", 0);
            log_at(&db.ctx, id, "shared", 2);
            log_at(&db.ctx, id, "shared", 2);
        }
        ids
    };
    let ids = setup(&one);
    assert_eq!(setup(&many), ids);
    for r in batch(&ids) {
        let out = engagement::log(
            &one.ctx,
            LogActivities {
                member_ids: vec![r.member_id],
                kind: r.kind,
                occurred_at: Some(r.occurred_at.to_rfc3339()),
                note: r.note,
            },
        )
        .unwrap();
        assert_eq!(out.activity_ids.len(), 1);
    }
    let out = engagement::log_many(&many.ctx, batch(&ids)).unwrap();
    (one, many, out)
}

/// Row for row the same activities, ledger and stored stages. Not the same stage history: one by
/// one, 张伟 is first assessed "new" after today's 签到 and then promoted by the backdated 发言;
/// in one batch both arrive together and his first assessment is already "active" (as it was
/// yesterday, given those backdated days).
fn same_but_history(one: &TestDb, many: &TestDb) {
    let keep = |t: &str| t != "stage_history";
    assert_eq!(
        dump_db(many.ctx.store.path(), keep),
        dump_db(one.ctx.store.path(), keep),
    );
}

#[test]
fn log_many_gives_the_same_ledger_as_logging_one_by_one() {
    let (one, many, out) = one_by_one_and_many(2);
    // a: 签到 1 + 0 + 0, 发言 yesterday 5 of 7, 签到 3 days ago 1; b: 发言 3 of 7 (2 earlier),
    // 邀请 10 + 10.
    assert_eq!((out.points, out.capped), (1 + 5 + 1 + 3 + 20, 2 + 2 + 4));
    assert_eq!(out.earned[..3], [1, 0, 0]);
    same_but_history(&one, &many);
}

#[test]
fn log_many_for_many_members_gives_the_same_ledger_too() {
    // 40 members: the existence check, the daily caps and the lifecycle refresh take their
    // range-scan paths.
    let (one, many, out) = one_by_one_and_many(40);
    // Of the 38 others, 13 already had today's 签到 and their two 分享: their new 签到 and one
    // of the two new 分享 are capped (1 + 2 + 1 > 3).
    assert_eq!(out.capped, 2 + 2 + 4 + 13 * 2);
    same_but_history(&one, &many);
    assert_eq!(lifecycle::recompute(&many.ctx).unwrap().written, 0);
}

#[test]
fn log_many_refuses_a_bad_row_and_writes_nothing() {
    let db = open();
    let a = member(&db, "张伟", "2026-11-01");
    let before = dump_db(db.ctx.store.path(), |_| true);
    let mut rows = batch(&[a, a]);
    rows[5].kind = "dancing".into();
    let err = engagement::log_many(&db.ctx, rows).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("kind"))
    );
    let mut rows = batch(&[a, a]);
    rows.last_mut().unwrap().occurred_at = Utc::now() + Duration::days(400);
    let err = engagement::log_many(&db.ctx, rows).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::FutureDate, Some("occurred_at"))
    );
    let mut rows = batch(&[a, a]);
    rows[0].member_id = 999;
    assert_eq!(
        engagement::log_many(&db.ctx, rows).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), before);
    // A member in the trash takes no activities either.
    let gone = member(&db, "李娜", "2026-11-01");
    members::delete(&db.ctx, members::DeleteMembers { ids: vec![gone] }).unwrap();
    let before = dump_db(db.ctx.store.path(), |_| true);
    let mut rows = batch(&[a, a]);
    rows[0].member_id = gone;
    assert_eq!(
        engagement::log_many(&db.ctx, rows).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), before);
}

#[test]
fn bulk_logging_leaves_every_reference_sound_and_erasing_still_takes_everything() {
    // log_many checks members and kinds itself and has SQLite skip its own checks for that one
    // transaction; afterwards the checks are on again, refused batch or not.
    let db = open();
    let ids = community(&db);
    let mut bad = batch(&ids);
    bad[3].member_id = 999;
    engagement::log_many(&db.ctx, bad).unwrap_err();
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    let count = |sql: &str, id: i64| -> i64 { conn.query_row(sql, [id], |r| r.get(0)).unwrap() };
    let busy = ids[0];
    assert!(count("SELECT count(*) FROM activities WHERE member_id = ?1", busy) > 10);
    members::erase(&db.ctx, members::EraseMembers { ids: vec![busy] }).unwrap();
    for table in [
        "activities",
        "points_ledger",
        "member_lifecycle",
        "stage_history",
    ] {
        assert_eq!(
            count(
                &format!("SELECT count(*) FROM {table} WHERE member_id = ?1"),
                busy
            ),
            0,
            "{table} keeps nothing of an erased member"
        );
    }
}

#[test]
fn slipping_lists_valuable_members_gone_quiet_and_counts_add_up() {
    let db = open();
    let ids = community(&db);
    let ctx = later(&db, 12);
    lifecycle::recompute(&ctx).unwrap();
    let list = lifecycle::slipping(
        &ctx,
        Slipping {
            days: 14,
            limit: 50,
        },
    )
    .unwrap();
    assert!(!list.is_empty());
    for s in &list {
        assert!(s.quiet_days > 14 && s.quiet_days <= 30, "{s:?}");
        assert!(matches!(
            s.stage,
            Stage::Active | Stage::Loyal | Stage::Core
        ));
    }
    assert!(list
        .windows(2)
        .all(|w| w[0].stage.rank() >= w[1].stage.rank()));
    let counts = lifecycle::counts(&ctx).unwrap();
    let total =
        counts.new + counts.active + counts.loyal + counts.core + counts.dormant + counts.churned;
    assert_eq!(total as usize, ids.len());
    // A member added since the last recompute is counted too.
    members::create(
        &ctx,
        MemberDraft {
            joined_at: Some("2026-12-05".into()),
            ..draft("新人", &[], &[])
        },
    )
    .unwrap();
    assert_eq!(lifecycle::counts(&ctx).unwrap().new, counts.new + 1);
}

#[test]
fn a_merge_updates_the_stored_stage_of_the_member_kept_and_undo_restores_it() {
    use hearth_core::ops::members::{MergeMembers, UndoMerge};
    let db = open();
    let a = member(&db, "张伟", "2025-01-01");
    let b = members::create(
        &db.ctx,
        MemberDraft {
            joined_at: Some("2025-01-01".into()),
            ..draft(
                "张伟",
                &[(hearth_core::domain::IdentityKind::Email, "zw@example.com")],
                &[],
            )
        },
    )
    .unwrap()
    .id;
    // a: three active days (active); b: four more days, together seven in the month (loyal).
    for d in 0..3 {
        log_at(&db.ctx, a, "spoke", d);
    }
    for d in 3..7 {
        log_at(&db.ctx, b, "spoke", d);
    }
    assert_eq!(stage(&db.ctx, a), Stage::Active);
    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a,
            merge_id: b,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    let stored = |ctx: &Ctx| lifecycle::show(ctx, a).unwrap().stored_stage;
    assert_eq!(
        stored(&db.ctx),
        Stage::Loyal,
        "promoted with the merged days"
    );
    assert_eq!(
        engagement::of_member(&db.ctx, a).unwrap().stage,
        Stage::Loyal
    );
    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    // Stages follow from the activities alone: with the merge undone, the days were never the
    // kept member's, so there is no "lower stage lasting" to wait for. The history keeps both.
    let shown = lifecycle::show(&db.ctx, a).unwrap();
    assert_eq!(
        (shown.stored_stage, shown.computed_stage),
        (Stage::Active, Stage::Active)
    );
    let causes: Vec<Cause> = changes(&db.ctx, a).iter().map(|c| c.2).collect();
    assert_eq!(
        causes,
        [Cause::Promotion, Cause::Promotion, Cause::Demotion],
        "dormant → active (first log), active → loyal (merge), loyal → active (undo)"
    );
    assert_eq!(lifecycle::recompute(&db.ctx).unwrap().written, 0);
}
