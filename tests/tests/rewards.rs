//! The engagement engine's rewards part over a real database on a fixed clock, every number
//! worked out by hand: automatic badges awarded once and taken back by an undo, badges by hand
//! needing a reason, redemption (refused over the balance or out of stock, writing nothing; not
//! lowering the leaderboard; undoable), invite claw-back inside and outside the window, the
//! leaderboard switch, edited levels, and the points history.

mod common;

use chrono::Duration;
use common::{draft, dump_db, now, open, TestDb};
use hearth_core::domain::{EventDraft, EventMode, EventStatus};
use hearth_core::ops::engagement::{self, AdjustPoints, LogActivities, Window};
use hearth_core::ops::events::{self, door, registrations};
use hearth_core::ops::invites::{self, Invite};
use hearth_core::ops::members::{self, DeleteMembers, MergeMembers};
use hearth_core::ops::rewards::{
    self, AwardBadge, BadgeDraft, Criteria, EngagementSettingsPatch, Level, Redeem, RewardDraft,
};
use hearth_core::{Ctx, ErrorCode};

fn member(db: &TestDb, name: &str) -> i64 {
    members::create(&db.ctx, draft(name, &[], &[])).unwrap().id
}

fn days_ago(d: i64) -> String {
    (now() - Duration::days(d)).to_rfc3339()
}

fn log_at(ctx: &Ctx, id: i64, kind: &str, at: &str) -> engagement::Logged {
    engagement::log(
        ctx,
        LogActivities {
            member_ids: vec![id],
            kind: kind.into(),
            occurred_at: Some(at.into()),
            note: String::new(),
        },
    )
    .unwrap()
}

fn grant(ctx: &Ctx, id: i64, delta: i64) -> i64 {
    engagement::adjust(
        ctx,
        AdjustPoints {
            member_id: id,
            delta,
            reason: "测试".into(),
        },
    )
    .unwrap()
}

fn points(ctx: &Ctx, id: i64) -> i64 {
    engagement::of_member(ctx, id).unwrap().points
}

fn badge_keys(ctx: &Ctx, id: i64) -> Vec<String> {
    rewards::member_badges(ctx, id)
        .unwrap()
        .into_iter()
        .map(|b| b.badge_key)
        .collect()
}

/// (live, revoked) award rows of one badge for one member, read straight from the file.
fn award_rows(db: &TestDb, id: i64, key: &str) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    conn.query_row(
        "SELECT count(*) FILTER (WHERE revoked_at IS NULL),
                count(*) FILTER (WHERE revoked_at IS NOT NULL)
           FROM member_badges WHERE member_id = ?1 AND badge_key = ?2",
        rusqlite::params![id, key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn dump(db: &TestDb) -> String {
    dump_db(db.ctx.store.path(), |_| true)
}

fn all_time(ctx: &Ctx) -> Vec<(String, i64)> {
    engagement::leaderboard(ctx, Window::AllTime, 10)
        .unwrap()
        .into_iter()
        .map(|s| (s.display_name, s.points))
        .collect()
}

fn event_today(db: &TestDb) -> i64 {
    events::create(
        &db.ctx,
        EventDraft {
            title: "周三分享会".into(),
            mode: EventMode::Offline,
            starts_local: "2026-11-25T14:00".into(),
            ends_local: "2026-11-25T17:00".into(),
            time_zone: "Asia/Shanghai".into(),
            venue: "咖啡馆".into(),
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
fn the_tenth_event_awards_the_regular_badge_once_and_undoing_a_check_in_takes_it_back() {
    let db = open();
    let a = member(&db, "张伟");
    // Nine events attended on nine earlier days (as if marked after each event).
    for d in 1..=9 {
        log_at(&db.ctx, a, "attended_event", &days_ago(d * 7));
    }
    assert_eq!(
        badge_keys(&db.ctx, a),
        ["first_event"],
        "the first event earned 首次参会; nine are not yet 活动常客"
    );
    // The tenth: checked in at today's event.
    let event = event_today(&db);
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
    assert_eq!(badge_keys(&db.ctx, a), ["first_event", "event_regular"]);
    let regular = rewards::member_badges(&db.ctx, a).unwrap()[1].clone();
    assert_eq!(
        (
            regular.name_zh.as_str(),
            regular.auto,
            regular.awarded_at.as_str()
        ),
        ("活动常客", true, common::NOW)
    );
    // An eleventh event does not award it again.
    log_at(&db.ctx, a, "attended_event", &days_ago(70));
    assert_eq!(award_rows(&db, a, "event_regular"), (1, 0), "awarded once");

    // Undo the door check-in and one logged event: nine left, the badge goes back.
    door::undo_check_in(&db.ctx, checked.registration.id).unwrap();
    assert_eq!(award_rows(&db, a, "event_regular"), (1, 0), "still ten");
    let eleventh = engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![a],
            kind: "spoke".into(),
            occurred_at: None,
            note: String::new(),
        },
    )
    .unwrap();
    engagement::undo(&db.ctx, eleventh.activity_ids).unwrap();
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    let last_event: i64 = conn
        .query_row(
            "SELECT max(id) FROM activities WHERE member_id = ?1 AND kind = 'attended_event'
               AND voided_at IS NULL",
            [a],
            |r| r.get(0),
        )
        .unwrap();
    engagement::undo(&db.ctx, vec![last_event]).unwrap();
    assert_eq!(badge_keys(&db.ctx, a), ["first_event"]);
    assert_eq!(
        award_rows(&db, a, "event_regular"),
        (0, 1),
        "revoked, and the award stays in the history"
    );
    // Checked in again: ten again, a new award.
    door::check_in(
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
    assert_eq!(award_rows(&db, a, "event_regular"), (1, 1));
    // 10 events × 10 points (the undone ones reversed).
    assert_eq!(points(&db.ctx, a), 100);
}

#[test]
fn points_and_active_day_badges_follow_their_rules() {
    let db = open();
    let a = member(&db, "李娜");
    grant(&db.ctx, a, 999);
    assert!(badge_keys(&db.ctx, a).is_empty());
    grant(&db.ctx, a, 1);
    assert_eq!(badge_keys(&db.ctx, a), ["club_1000"], "1,000 points earned");
    // Spending does not lower what was earned.
    let cup = rewards::save_reward(
        &db.ctx,
        RewardDraft {
            id: None,
            name_zh: "保温杯".into(),
            name_en: "Thermos".into(),
            cost: 500,
            stock: None,
            active: true,
        },
    )
    .unwrap();
    rewards::redeem(
        &db.ctx,
        Redeem {
            member_id: a,
            reward_id: cup.id,
            note: String::new(),
        },
    )
    .unwrap();
    assert_eq!(badge_keys(&db.ctx, a), ["club_1000"]);
    // A deduction does.
    grant(&db.ctx, a, -1);
    assert!(badge_keys(&db.ctx, a).is_empty());

    // 30 distinct days of 签到 earn 持之以恒; the 30th day is what tips it.
    for d in 0..29 {
        log_at(&db.ctx, a, "checkin", &days_ago(d));
    }
    assert!(!badge_keys(&db.ctx, a).contains(&"steady".to_owned()));
    log_at(&db.ctx, a, "checkin", &days_ago(40));
    assert!(badge_keys(&db.ctx, a).contains(&"steady".to_owned()));
}

#[test]
fn badges_by_hand_need_a_reason_and_refusals_write_nothing() {
    let db = open();
    let a = member(&db, "王芳");
    let before = dump(&db);
    let award = |reason: &str| {
        rewards::award_badge(
            &db.ctx,
            AwardBadge {
                member_id: a,
                badge_key: "volunteer".into(),
                reason: reason.into(),
            },
        )
    };
    let err = award("   ").unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Required, Some("reason"))
    );
    let err = rewards::award_badge(
        &db.ctx,
        AwardBadge {
            member_id: a,
            badge_key: "no_such_badge".into(),
            reason: "年会".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(dump(&db), before, "refused awards wrote nothing");

    let held = award("年会志愿者").unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (
            held[0].name_zh.as_str(),
            held[0].auto,
            held[0].note.as_str()
        ),
        ("优秀志愿者", false, "年会志愿者")
    );
    assert_eq!(
        award("再发一次").unwrap_err().code,
        ErrorCode::InvalidInput,
        "a badge is held once"
    );

    // Revoking needs a reason too.
    let before = dump(&db);
    let err = rewards::revoke_badge(
        &db.ctx,
        AwardBadge {
            member_id: a,
            badge_key: "volunteer".into(),
            reason: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("reason"));
    assert_eq!(dump(&db), before);

    // An automatic badge taken away by hand is not given back by its rule.
    log_at(&db.ctx, a, "attended_event", &days_ago(3));
    assert_eq!(badge_keys(&db.ctx, a), ["first_event", "volunteer"]);
    let held = rewards::revoke_badge(
        &db.ctx,
        AwardBadge {
            member_id: a,
            badge_key: "first_event".into(),
            reason: "记录有误".into(),
        },
    )
    .unwrap();
    assert_eq!(held.len(), 1);
    log_at(&db.ctx, a, "attended_event", &days_ago(2));
    rewards::evaluate_all(&db.ctx).unwrap();
    assert_eq!(badge_keys(&db.ctx, a), ["volunteer"]);
}

#[test]
fn editing_a_badge_rule_re_evaluates_everyone() {
    let db = open();
    let a = member(&db, "张伟");
    let b = member(&db, "李娜");
    for d in 1..=3 {
        log_at(&db.ctx, a, "answered", &days_ago(d));
    }
    log_at(&db.ctx, b, "answered", &days_ago(1));
    let rule = |n: i64| BadgeDraft {
        key: Some("answer_expert".into()),
        name_zh: "答疑达人".into(),
        name_en: "Helpful answerer".into(),
        description_zh: String::new(),
        description_en: String::new(),
        icon: "💡".into(),
        criteria: Criteria::KindCount {
            kind: "answered".into(),
            n,
        },
        enabled: true,
    };
    let badge = rewards::save_badge(&db.ctx, rule(3)).unwrap();
    assert_eq!(badge.holders, 1);
    assert_eq!(badge_keys(&db.ctx, a), ["answer_expert"]);
    let badge = rewards::save_badge(&db.ctx, rule(1)).unwrap();
    assert_eq!(badge.holders, 2);
    let badge = rewards::save_badge(&db.ctx, rule(5)).unwrap();
    assert_eq!(badge.holders, 0, "a raised bar takes automatic awards back");

    let before = dump(&db);
    let mut bad = rule(5);
    bad.criteria = Criteria::KindCount {
        kind: "dancing".into(),
        n: 5,
    };
    let err = rewards::save_badge(&db.ctx, bad).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("criteria"))
    );
    let mut bad = rule(0);
    bad.name_zh = "x".into();
    assert_eq!(
        rewards::save_badge(&db.ctx, bad)
            .unwrap_err()
            .field
            .as_deref(),
        Some("criteria")
    );
    assert_eq!(dump(&db), before);

    // A new badge gets a generated key and lands last.
    let mut new = rule(2);
    new.key = None;
    new.name_zh = "热心肠".into();
    let created = rewards::save_badge(&db.ctx, new).unwrap();
    assert_eq!((created.key.as_str(), created.holders), ("custom_1", 1));
    assert_eq!(
        rewards::badges(&db.ctx).unwrap().last().unwrap().key,
        "custom_1"
    );
}

fn reward(db: &TestDb, name: &str, cost: i64, stock: Option<i64>) -> i64 {
    rewards::save_reward(
        &db.ctx,
        RewardDraft {
            id: None,
            name_zh: name.into(),
            name_en: String::new(),
            cost,
            stock,
            active: true,
        },
    )
    .unwrap()
    .id
}

fn redeem(db: &TestDb, member_id: i64, reward_id: i64) -> hearth_core::Result<rewards::Redeemed> {
    rewards::redeem(
        &db.ctx,
        Redeem {
            member_id,
            reward_id,
            note: String::new(),
        },
    )
}

#[test]
fn redemption_is_refused_over_the_balance_lowers_the_balance_not_the_leaderboard_and_undoes() {
    let db = open();
    let a = member(&db, "张伟");
    let b = member(&db, "李娜");
    // 张伟: 3 answers today (3 × 3) + a 签到 (1) = 10; plus a grant of 90 = 100.
    for _ in 0..3 {
        log_at(&db.ctx, a, "answered", common::NOW);
    }
    log_at(&db.ctx, a, "checkin", common::NOW);
    grant(&db.ctx, a, 90);
    grant(&db.ctx, b, 70);
    assert_eq!(points(&db.ctx, a), 100);
    let speaker = reward(&db, "蓝牙音箱", 150, None);
    let cup = reward(&db, "保温杯", 60, Some(1));

    let before = dump(&db);
    let err = redeem(&db, a, speaker).unwrap_err();
    assert_eq!(err.code, ErrorCode::InsufficientPoints);
    assert_eq!(
        (err.params["balance"].as_str(), err.params["cost"].as_str()),
        ("100", "150")
    );
    assert_eq!(
        err.localized("zh-CN"),
        "积分不足：当前余额 100 分，兑换「蓝牙音箱」需要 150 分"
    );
    assert_eq!(dump(&db), before, "a refused redemption writes nothing");

    let out = redeem(&db, a, cup).unwrap();
    assert_eq!((out.balance, out.stock), (40, Some(0)));
    assert_eq!(points(&db.ctx, a), 40);
    assert_eq!(
        engagement::of_member(&db.ctx, a).unwrap().level_zh,
        "新手",
        "the level follows the balance"
    );
    assert_eq!(
        all_time(&db.ctx),
        [("张伟".to_owned(), 100), ("李娜".to_owned(), 70)],
        "spending does not lower the leaderboard"
    );
    let week = engagement::leaderboard(&db.ctx, Window::Days7, 10).unwrap();
    assert_eq!(week[0].points, 100);

    // The last cup is gone.
    let before = dump(&db);
    let err = redeem(&db, b, cup).unwrap_err();
    assert_eq!(
        (err.code, err.params["reward_name"].as_str()),
        (ErrorCode::OutOfStock, "保温杯")
    );
    assert_eq!(dump(&db), before);

    // Undo gives the points and the cup back, with a new ledger row; twice changes nothing.
    let undone = rewards::undo_redeem(&db.ctx, out.redemption_id).unwrap();
    assert_eq!((undone.balance, undone.stock), (100, Some(1)));
    let again = rewards::undo_redeem(&db.ctx, out.redemption_id).unwrap();
    assert_eq!((again.balance, again.stock), (100, Some(1)));
    assert_eq!(
        all_time(&db.ctx),
        [("张伟".to_owned(), 100), ("李娜".to_owned(), 70)],
        "nor does its undo raise it"
    );
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT delta, reason FROM points_ledger WHERE member_id = ?1 AND reason LIKE 'redeem%' ORDER BY id")
        .unwrap()
        .query_map([a], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, [(-60, "redeem".into()), (60, "redeem_undo".into())]);
    // Now 李娜 can have it.
    assert_eq!(redeem(&db, b, cup).unwrap().balance, 10);
    let history = rewards::redemptions(&db.ctx, None).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (
            history[0].member_name.as_str(),
            history[0].undone_at.is_some()
        ),
        ("李娜", false)
    );
    assert!(history[1].undone_at.is_some());
    let catalogue = rewards::rewards(&db.ctx).unwrap();
    assert_eq!(catalogue[1].redeemed, 1);
}

fn invite(db: &TestDb, inviter: i64, invitee: i64, days: i64) -> hearth_core::Result<i64> {
    invites::invite(
        &db.ctx,
        Invite {
            inviter_id: inviter,
            invitee_id: invitee,
            occurred_at: Some(days_ago(days)),
            note: String::new(),
        },
    )
    .map(|i| i.points)
}

fn trash(db: &TestDb, id: i64) {
    members::delete(&db.ctx, DeleteMembers { ids: vec![id] }).unwrap();
}

fn restore(db: &TestDb, id: i64) {
    members::restore(&db.ctx, DeleteMembers { ids: vec![id] }).unwrap();
}

#[test]
fn an_invitee_leaving_within_the_window_takes_the_invite_points_back_and_restoring_returns_them() {
    let db = open();
    let host = member(&db, "张伟");
    let early = member(&db, "李娜");
    let late = member(&db, "王芳");
    assert_eq!(invite(&db, host, early, 29).unwrap(), 10);
    assert_eq!(invite(&db, host, late, 31).unwrap(), 10);
    assert_eq!(points(&db.ctx, host), 20);

    // 李娜 leaves on day 29 of 30: the 10 points go.
    trash(&db, early);
    assert_eq!(points(&db.ctx, host), 10);
    assert_eq!(all_time(&db.ctx), [("张伟".to_owned(), 10)]);
    // Trashing twice takes nothing more.
    trash(&db, early);
    assert_eq!(points(&db.ctx, host), 10);
    // She comes back: so do the points.
    restore(&db, early);
    assert_eq!(points(&db.ctx, host), 20);
    restore(&db, early);
    assert_eq!(
        points(&db.ctx, host),
        20,
        "restoring twice gives nothing more"
    );

    // 王芳 leaves on day 31: the points stay.
    trash(&db, late);
    assert_eq!(points(&db.ctx, host), 20);

    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT delta, reason FROM points_ledger WHERE member_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([host], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (10, "activity".into()),
            (10, "activity".into()),
            (-10, "clawback".into()),
            (10, "clawback_undo".into()),
        ]
    );

    // Undoing an invite whose points were clawed back reverses nothing more.
    trash(&db, early);
    assert_eq!(points(&db.ctx, host), 10);
    let activity: i64 = conn
        .query_row(
            "SELECT id FROM activities WHERE ref = ?1",
            [format!("member:{early}")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(engagement::undo(&db.ctx, vec![activity]).unwrap(), 0);
    restore(&db, early);
    assert_eq!(
        points(&db.ctx, host),
        10,
        "an undone invite is not given back"
    );
}

#[test]
fn erasing_an_invitee_within_the_window_takes_the_points_back_and_leaves_no_reference() {
    let db = open();
    let host = member(&db, "张伟");
    let recent = member(&db, "李娜");
    let old = member(&db, "王芳");
    let trashed = member(&db, "刘洋");
    invite(&db, host, recent, 3).unwrap();
    invite(&db, host, old, 45).unwrap();
    invite(&db, host, trashed, 5).unwrap();
    assert_eq!(points(&db.ctx, host), 30);

    // Erased 3 days after joining: the inviter's 10 points go; 45 days after: they stay.
    let erase = |ids: Vec<i64>| {
        members::erase(&db.ctx, members::EraseMembers { ids }).unwrap();
    };
    erase(vec![recent, old]);
    assert_eq!(points(&db.ctx, host), 20);
    // Trashed first (points taken then), erased later: nothing is taken twice.
    trash(&db, trashed);
    assert_eq!(points(&db.ctx, host), 10);
    erase(vec![trashed]);
    assert_eq!(points(&db.ctx, host), 10);
    assert_eq!(all_time(&db.ctx), [("张伟".to_owned(), 10)]);

    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    let refs: Vec<String> = conn
        .prepare("SELECT ref FROM activities WHERE kind = 'invited' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(refs, ["", "", ""], "no invite names an erased member");
}

#[test]
fn the_claw_back_window_is_a_setting_and_follows_merges() {
    let db = open();
    let host = member(&db, "张伟");
    let a = member(&db, "李娜");
    let a_again = member(&db, "李娜 (QQ)");
    invite(&db, host, a, 10).unwrap();
    // 李娜 had a second record; merged into it, then that one leaves: still her.
    members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a_again,
            merge_id: a,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    assert_eq!(points(&db.ctx, host), 10, "a merge is not leaving");
    trash(&db, a_again);
    assert_eq!(points(&db.ctx, host), 0);
    restore(&db, a_again);
    assert_eq!(points(&db.ctx, host), 10);

    // A 7-day window: day 10 is outside it.
    let s = rewards::update_engagement_settings(
        &db.ctx,
        EngagementSettingsPatch {
            leaderboards_enabled: None,
            invite_clawback_days: Some(7),
        },
    )
    .unwrap();
    assert_eq!((s.leaderboards_enabled, s.invite_clawback_days), (true, 7));
    trash(&db, a_again);
    assert_eq!(points(&db.ctx, host), 10);
}

#[test]
fn bad_invites_are_refused_and_write_nothing() {
    let db = open();
    let host = member(&db, "张伟");
    let other = member(&db, "王芳");
    let guest = member(&db, "李娜");
    invite(&db, host, guest, 1).unwrap();
    let before = dump(&db);
    let err = invite(&db, other, guest, 0).unwrap_err();
    assert_eq!(err.code, ErrorCode::AlreadyInvited);
    assert_eq!(
        (
            err.params["invitee_name"].as_str(),
            err.params["inviter_name"].as_str()
        ),
        ("李娜", "张伟")
    );
    assert_eq!(
        invite(&db, host, host, 0).unwrap_err().field.as_deref(),
        Some("invitee_id")
    );
    assert_eq!(
        invite(&db, host, 999, 0).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        invite(&db, host, other, -2).unwrap_err().code,
        ErrorCode::FutureDate,
        "not in the future"
    );
    assert_eq!(dump(&db), before);
}

#[test]
fn switching_leaderboards_off_makes_the_leaderboard_say_so() {
    let db = open();
    let a = member(&db, "张伟");
    grant(&db.ctx, a, 5);
    let s = rewards::engagement_settings(&db.ctx).unwrap();
    assert_eq!((s.leaderboards_enabled, s.invite_clawback_days), (true, 30));
    let off = rewards::update_engagement_settings(
        &db.ctx,
        EngagementSettingsPatch {
            leaderboards_enabled: Some(false),
            invite_clawback_days: None,
        },
    )
    .unwrap();
    assert!(!off.leaderboards_enabled);
    for window in [Window::Days7, Window::Days30, Window::AllTime] {
        let err = engagement::leaderboard(&db.ctx, window, 10).unwrap_err();
        assert_eq!(err.code, ErrorCode::LeaderboardsOff);
    }
    assert_eq!(points(&db.ctx, a), 5, "points go on");
    let before = dump(&db);
    let err = rewards::update_engagement_settings(
        &db.ctx,
        EngagementSettingsPatch {
            leaderboards_enabled: Some(true),
            invite_clawback_days: Some(400),
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("invite_clawback_days"));
    assert_eq!(dump(&db), before);
    rewards::update_engagement_settings(
        &db.ctx,
        EngagementSettingsPatch {
            leaderboards_enabled: Some(true),
            invite_clawback_days: None,
        },
    )
    .unwrap();
    assert_eq!(all_time(&db.ctx), [("张伟".to_owned(), 5)]);
}

fn level(threshold: i64, zh: &str, en: &str) -> Level {
    Level {
        threshold,
        name_zh: zh.into(),
        name_en: en.into(),
    }
}

#[test]
fn edited_level_thresholds_change_a_members_level() {
    let db = open();
    let a = member(&db, "张伟");
    grant(&db.ctx, a, 60);
    let e = engagement::of_member(&db.ctx, a).unwrap();
    assert_eq!((e.level_zh.as_str(), e.to_next_level), ("活跃", Some(240)));

    let saved = rewards::save_levels(
        &db.ctx,
        vec![
            level(500, "达人", "Expert"),
            level(0, "新人", ""),
            level(100, "活跃", "Regular"),
        ],
    )
    .unwrap();
    assert_eq!(
        saved,
        [
            level(0, "新人", "新人"),
            level(100, "活跃", "Regular"),
            level(500, "达人", "Expert")
        ],
        "sorted, the English name falling back to the Chinese"
    );
    let e = engagement::of_member(&db.ctx, a).unwrap();
    assert_eq!(
        (e.level_zh.as_str(), e.level_en.as_str(), e.to_next_level),
        ("新人", "新人", Some(40))
    );

    let before = dump(&db);
    for (bad, field) in [
        (
            vec![level(0, "新手", ""), level(0, "活跃", "")],
            "level_threshold",
        ),
        (vec![level(10, "新手", "")], "level_threshold"),
        (vec![level(0, " ", "")], "name_zh"),
        (
            vec![level(0, "新手", ""), level(-5, "x", "")],
            "level_threshold",
        ),
    ] {
        let err = rewards::save_levels(&db.ctx, bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
    }
    assert_eq!(
        rewards::save_levels(&db.ctx, vec![]).unwrap_err().code,
        ErrorCode::Required
    );
    assert_eq!(dump(&db), before, "refused ladders write nothing");
}

#[test]
fn the_points_history_is_the_ledger_newest_first_with_running_balances() {
    let db = open();
    let a = member(&db, "张伟");
    log_at(&db.ctx, a, "shared", &days_ago(1)); // +5
    grant(&db.ctx, a, 20); // 25
    let cup = reward(&db, "保温杯", 15, None);
    let r = redeem(&db, a, cup).unwrap(); // 10
    rewards::undo_redeem(&db.ctx, r.redemption_id).unwrap(); // 25
    let history = rewards::points_history(&db.ctx, a).unwrap();
    let rows: Vec<(&str, i64, i64)> = history
        .iter()
        .map(|p| (p.reason.as_str(), p.delta, p.balance))
        .collect();
    assert_eq!(
        rows,
        [
            ("redeem_undo", 15, 25),
            ("redeem", -15, 10),
            ("grant", 20, 25),
            ("activity", 5, 5),
        ]
    );
    assert_eq!(history[0].reward_name_zh.as_deref(), Some("保温杯"));
    assert_eq!(history[1].reward_name_zh.as_deref(), Some("保温杯"));
    assert_eq!(history[2].note, "测试");
    assert_eq!(
        (
            history[3].activity_kind.as_deref(),
            history[3].kind_name_zh.as_deref()
        ),
        (Some("shared"), Some("分享"))
    );
    assert_eq!(history[0].balance, points(&db.ctx, a));
    assert_eq!(
        rewards::points_history(&db.ctx, 999).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn undoing_a_hand_award_leaves_the_badge_to_its_rule() {
    let db = open();
    let a = member(&db, "秦岚");
    let award = AwardBadge {
        member_id: a,
        badge_key: "club_1000".into(),
        reason: "先发给她".into(),
    };
    rewards::award_badge(&db.ctx, award.clone()).unwrap();
    assert_eq!(badge_keys(&db.ctx, a), vec!["club_1000"]);
    // The toast's Undo: gone, but not "taken away by hand".
    rewards::undo_award(&db.ctx, award).unwrap();
    assert!(badge_keys(&db.ctx, a).is_empty());
    grant(&db.ctx, a, 1000);
    assert_eq!(
        badge_keys(&db.ctx, a),
        vec!["club_1000"],
        "the rule gives it once she earns it"
    );
}
