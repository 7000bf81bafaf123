//! The credit score (信用分) over a real database on a fixed clock, with hand-computed scores:
//! the start score and tier boundaries (90 提醒 / 70 限制发言 / 50 移出群), points coming back
//! when a rule's expiry passes (move the clock), appeals (overturned gives points back at once,
//! upheld keeps them, one pending at a time), refusals that write nothing, the door's no-show
//! strikes and their Undo, merges and their undo, erase, channels with their 群规, who crossed
//! into a worse tier this week, the member timeline, and the CLI.

mod common;

use std::process::Output;
use std::sync::Arc;

use chrono::Duration;
use common::{draft, dump_db, hearth, now, open, TestDb};
use hearth_core::domain::{EventDraft, EventMode, EventStatus, IdentityKind::*};
use hearth_core::ops::credit::{
    self, AppealStatus, DecideAppeal, Decision, Deduct, EntryStatus, FileAppeal, Platform,
    SaveChannel, SaveRule, Tier, TierAction,
};
use hearth_core::ops::events::{self, door, registrations};
use hearth_core::ops::members::{self, EraseMembers, MergeMembers, TimelineEntry, UndoMerge};
use hearth_core::store::Store;
use hearth_core::{Ctx, ErrorCode, FixedClock};

fn member(db: &TestDb, name: &str) -> i64 {
    members::create(&db.ctx, draft(name, &[], &[])).unwrap().id
}

/// The same database seen from `days` days after (negative: before) the fixed "now".
fn ctx_at(db: &TestDb, days: i64) -> Ctx {
    Ctx::new(
        Store::open(db.ctx.store.path()).unwrap(),
        Arc::new(FixedClock(now() + Duration::days(days))),
    )
}

fn deduct_as(
    ctx: &Ctx,
    member_id: i64,
    rule: &str,
    points: Option<i64>,
    evidence: &str,
) -> credit::Deducted {
    credit::deduct(
        ctx,
        Deduct {
            member_id,
            rule_key: rule.into(),
            points,
            evidence: evidence.into(),
            channel_id: None,
            occurred_at: None,
        },
    )
    .unwrap()
}

fn custom(ctx: &Ctx, member_id: i64, points: i64) -> credit::Deducted {
    deduct_as(
        ctx,
        member_id,
        "custom",
        Some(points),
        "群里骂人，截图见 2026-11-25.png",
    )
}

fn score(ctx: &Ctx, member_id: i64) -> i64 {
    credit::of_member(ctx, member_id).unwrap().score
}

fn tier(ctx: &Ctx, member_id: i64) -> Option<TierAction> {
    credit::of_member(ctx, member_id)
        .unwrap()
        .tier
        .map(|t| t.action)
}

fn everything(db: &TestDb) -> String {
    dump_db(db.ctx.store.path(), |_| true)
}

fn count(db: &TestDb, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_member_starts_at_the_start_score_and_the_tier_follows_deductions() {
    let db = open();
    let a = member(&db, "张伟");
    let c = credit::of_member(&db.ctx, a).unwrap();
    assert_eq!((c.score, c.start_score, c.tier), (100, 100, None));
    assert!(c.entries.is_empty());

    // Tiers: ≤ 90 提醒, ≤ 70 限制发言, ≤ 50 移出群; the lowest matching threshold wins.
    custom(&db.ctx, a, 9);
    assert_eq!((score(&db.ctx, a), tier(&db.ctx, a)), (91, None));
    custom(&db.ctx, a, 1);
    assert_eq!(
        (score(&db.ctx, a), tier(&db.ctx, a)),
        (90, Some(TierAction::Warning))
    );
    custom(&db.ctx, a, 19);
    assert_eq!(
        (score(&db.ctx, a), tier(&db.ctx, a)),
        (71, Some(TierAction::Warning))
    );
    let d = custom(&db.ctx, a, 1);
    assert_eq!(d.score.score, 70);
    let t = d.score.tier.unwrap();
    assert_eq!(
        (t.name_zh.as_str(), t.name_en.as_str(), t.action),
        ("限制发言", "Restricted", TierAction::Restricted)
    );
    custom(&db.ctx, a, 19);
    assert_eq!(
        (score(&db.ctx, a), tier(&db.ctx, a)),
        (51, Some(TierAction::Restricted))
    );
    // The built-in rules carry their own points: 广告/刷屏 10.
    let spam = deduct_as(&db.ctx, a, "spam", None, "发广告链接");
    assert_eq!(spam.entry.points, 10);
    assert_eq!(
        (spam.score.score, spam.score.tier.map(|t| t.action)),
        (41, Some(TierAction::Remove))
    );
    // Undo of the last deduction: as if it never was.
    let back = credit::undo_deduct(&db.ctx, spam.entry.id).unwrap();
    assert_eq!(
        (back.score, back.tier.map(|t| t.action)),
        (51, Some(TierAction::Restricted))
    );
    assert_eq!(
        credit::undo_deduct(&db.ctx, spam.entry.id).unwrap().score,
        51,
        "undo twice changes nothing"
    );
    let entries = credit::of_member(&db.ctx, a).unwrap().entries;
    assert_eq!(entries[0].status, EntryStatus::Voided);
    assert_eq!(entries.len(), 6);

    // A higher starting score lifts everyone; it must stay above every tier.
    assert_eq!(credit::set_start_score(&db.ctx, 120).unwrap(), 120);
    assert_eq!(
        (score(&db.ctx, a), tier(&db.ctx, a)),
        (71, Some(TierAction::Warning))
    );
    let err = credit::set_start_score(&db.ctx, 90).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("start_score"))
    );
    // Scores of a page of members at once, in the order asked.
    let b = member(&db, "李娜");
    let page = credit::scores(&db.ctx, &[b, a]).unwrap();
    assert_eq!(
        page.iter()
            .map(|s| (s.member_id, s.score))
            .collect::<Vec<_>>(),
        [(b, 120), (a, 71)]
    );
}

#[test]
fn points_come_back_when_the_rule_expires() {
    let db = open();
    let a = member(&db, "张伟");
    // 违反群规: 5 points for 90 days; 广告/刷屏: 10 points for 180 days.
    let broke = deduct_as(&db.ctx, a, "rule_break", None, "深夜刷屏");
    assert_eq!(
        broke.entry.expires_at.as_deref(),
        Some("2027-02-23T09:30:00Z"),
        "90 days after 2026-11-25T09:30Z"
    );
    deduct_as(&db.ctx, a, "spam", None, "发广告");
    assert_eq!(score(&db.ctx, a), 85);

    let day_89 = ctx_at(&db, 89);
    assert_eq!(score(&day_89, a), 85, "day 89: both still count");
    let day_91 = ctx_at(&db, 91);
    assert_eq!(score(&day_91, a), 90, "day 91: the 5 are back");
    let c = credit::of_member(&day_91, a).unwrap();
    let statuses: Vec<(&str, EntryStatus)> = c
        .entries
        .iter()
        .map(|e| (e.rule_key.as_str(), e.status))
        .collect();
    assert!(statuses.contains(&("rule_break", EntryStatus::Expired)));
    assert!(statuses.contains(&("spam", EntryStatus::Active)));
    assert_eq!(score(&ctx_at(&db, 181), a), 100, "day 181: all back");
    // An expired deduction cannot be appealed.
    let err = credit::file_appeal(
        &day_91,
        FileAppeal {
            entry_id: broke.entry.id,
            reason: "不是我".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAppealable);
}

#[test]
fn appeals_overturned_give_the_points_back_at_once_and_upheld_keep_them() {
    let db = open();
    let a = member(&db, "张伟");
    let spam = deduct_as(&db.ctx, a, "spam", None, "群里发广告");
    let appeal = credit::file_appeal(
        &db.ctx,
        FileAppeal {
            entry_id: spam.entry.id,
            reason: "  那是活动通知，不是广告  ".into(),
        },
    )
    .unwrap();
    assert_eq!(
        (appeal.status, appeal.reason.as_str()),
        (AppealStatus::Pending, "那是活动通知，不是广告")
    );
    let c = credit::of_member(&db.ctx, a).unwrap();
    assert_eq!(
        (c.score, c.entries[0].status),
        (90, EntryStatus::UnderAppeal),
        "a pending appeal does not give points back yet"
    );

    // One pending appeal per deduction; the refusal writes nothing.
    let before = everything(&db);
    let err = credit::file_appeal(
        &db.ctx,
        FileAppeal {
            entry_id: spam.entry.id,
            reason: "再申诉一次".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::AppealPending);
    assert_eq!(
        err.params.get("filed_at").map(String::as_str),
        Some(common::NOW)
    );
    let err = credit::file_appeal(
        &db.ctx,
        FileAppeal {
            entry_id: spam.entry.id,
            reason: "   ".into(),
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Required, Some("reason"))
    );
    assert_eq!(everything(&db), before);

    let pending = credit::pending_appeals(&db.ctx).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].member_name.as_str(), pending[0].entry.points),
        ("张伟", 10)
    );

    // Decided a day later: overturned, the 10 points are back at once.
    let later = ctx_at(&db, 1);
    let decided = credit::decide_appeal(
        &later,
        DecideAppeal {
            appeal_id: appeal.id,
            decision: Decision::Overturned,
            note: "确认是活动通知".into(),
        },
    )
    .unwrap();
    assert_eq!(decided.score.score, 100);
    assert_eq!(decided.entry.status, EntryStatus::Overturned);
    assert_eq!(decided.appeal.status, AppealStatus::Overturned);
    assert_eq!(
        decided.appeal.decided_at.as_deref(),
        Some("2026-11-26T09:30:00Z")
    );
    assert!(credit::pending_appeals(&later).unwrap().is_empty());
    // Before the decision the points still counted (seen from the original clock).
    assert_eq!(score(&db.ctx, a), 90);
    let err = credit::decide_appeal(
        &later,
        DecideAppeal {
            appeal_id: appeal.id,
            decision: Decision::Upheld,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::AppealDecided);
    let err = credit::file_appeal(
        &later,
        FileAppeal {
            entry_id: spam.entry.id,
            reason: "再来".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAppealable);

    // Upheld: the deduction stands; a later appeal (new facts) may be filed.
    let broke = deduct_as(&later, a, "rule_break", None, "刷屏");
    let second = credit::file_appeal(
        &later,
        FileAppeal {
            entry_id: broke.entry.id,
            reason: "网络卡了重复发送".into(),
        },
    )
    .unwrap();
    let upheld = credit::decide_appeal(
        &later,
        DecideAppeal {
            appeal_id: second.id,
            decision: Decision::Upheld,
            note: "连续 20 条".into(),
        },
    )
    .unwrap();
    assert_eq!(
        (upheld.score.score, upheld.entry.status),
        (95, EntryStatus::Active)
    );
    credit::file_appeal(
        &later,
        FileAppeal {
            entry_id: broke.entry.id,
            reason: "补充截图".into(),
        },
    )
    .unwrap();
    let c = credit::of_member(&later, a).unwrap();
    let appeals: Vec<AppealStatus> = c.entries[0].appeals.iter().map(|x| x.status).collect();
    assert_eq!(appeals, [AppealStatus::Upheld, AppealStatus::Pending]);
}

#[test]
fn bad_deductions_are_refused_with_a_clear_message_and_write_nothing() {
    let db = open();
    let a = member(&db, "张伟");
    deduct_as(&db.ctx, a, "spam", None, "发广告");
    let before = everything(&db);
    let attempt =
        |member_id: i64, rule: &str, points: Option<i64>, evidence: &str, at: Option<&str>| {
            credit::deduct(
                &db.ctx,
                Deduct {
                    member_id,
                    rule_key: rule.into(),
                    points,
                    evidence: evidence.into(),
                    channel_id: None,
                    occurred_at: at.map(str::to_owned),
                },
            )
            .unwrap_err()
        };
    let err = attempt(a, "spam", None, "   ", None);
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Required, Some("evidence"))
    );
    assert_eq!(err.message, "Evidence is required");
    assert_eq!(err.localized("zh-CN"), "证据不能为空");
    let err = attempt(a, "dancing", None, "x", None);
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("rule_key"))
    );
    let tomorrow = (now() + Duration::days(1)).to_rfc3339();
    let err = attempt(a, "spam", None, "x", Some(&tomorrow));
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::FutureDate, Some("occurred_at"))
    );
    let err = attempt(a, "spam", None, "x", Some("下周三"));
    assert_eq!(err.code, ErrorCode::InvalidDate);
    let err = attempt(999, "spam", None, "x", None);
    assert_eq!(err.code, ErrorCode::NotFound);
    for bad in [0, -5, 1001] {
        let err = attempt(a, "spam", Some(bad), "x", None);
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::InvalidInput, Some("points")),
            "{bad}"
        );
    }
    let err = attempt(a, "custom", None, "x", None);
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::Required, Some("points")),
        "其他 has no fixed points"
    );
    let err = credit::deduct(
        &db.ctx,
        Deduct {
            member_id: a,
            rule_key: "spam".into(),
            points: None,
            evidence: "x".into(),
            channel_id: Some(42),
            occurred_at: None,
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(everything(&db), before, "no refusal wrote anything");
    assert_eq!(score(&db.ctx, a), 90);
    // A member in the trash takes no deductions.
    let b = member(&db, "李娜");
    members::delete(&db.ctx, members::DeleteMembers { ids: vec![b] }).unwrap();
    let before = everything(&db);
    assert_eq!(
        attempt(b, "spam", None, "x", None).code,
        ErrorCode::NotFound
    );
    assert_eq!(everything(&db), before);

    // A back-dated deduction (a local day) is fine and expires from when it happened.
    let d = credit::deduct(
        &db.ctx,
        Deduct {
            member_id: a,
            rule_key: "rule_break".into(),
            points: None,
            evidence: "上周刷屏".into(),
            channel_id: None,
            occurred_at: Some("2026-11-18".into()),
        },
    )
    .unwrap();
    assert_eq!(d.entry.occurred_at, "2026-11-18T00:00:00Z");
    assert_eq!(d.entry.expires_at.as_deref(), Some("2027-02-16T00:00:00Z"));
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
fn marking_no_shows_gives_strikes_and_undo_takes_exactly_those_back() {
    let db = open();
    let came = member(&db, "张伟");
    let b = member(&db, "李娜");
    let c = member(&db, "王芳");
    let event = saturday_event(&db);
    registrations::register(
        &db.ctx,
        registrations::Register {
            event_id: event,
            member_ids: vec![came, b, c],
            companions: 0,
            note: String::new(),
        },
    )
    .unwrap();
    door::check_in(
        &db.ctx,
        door::CheckIn {
            event_id: event,
            member_id: came,
            walk_in: false,
            reinstate: false,
            over_capacity: false,
        },
    )
    .unwrap();
    // B also has a manual deduction that the no-shows must not touch.
    deduct_as(&db.ctx, b, "spam", None, "发广告");

    let marked = door::mark_no_shows(&db.ctx, event).unwrap();
    assert_eq!(marked.registration_ids.len(), 2);
    // 报名未到场: 3 points.
    assert_eq!(
        (score(&db.ctx, came), score(&db.ctx, b), score(&db.ctx, c)),
        (100, 87, 97)
    );
    let strike = credit::of_member(&db.ctx, c).unwrap().entries.remove(0);
    assert_eq!(strike.rule_key, "no_show");
    assert_eq!(strike.rule_zh, "报名未到场");
    assert_eq!(
        (strike.source.as_str(), strike.reference.clone()),
        ("event", format!("event:{event}"))
    );
    assert_eq!(
        strike.evidence,
        "报名「周六读书会」（2026-11-25）未到场 / No-show at 周六读书会 (2026-11-25)"
    );
    // 17:00 in Shanghai is 09:00 UTC: the strike happened when the event ended.
    assert_eq!(strike.occurred_at, "2026-11-25T09:00:00Z");
    assert_eq!(strike.expires_at.as_deref(), Some("2027-02-23T09:00:00Z"));

    assert_eq!(
        door::undo_no_shows(&db.ctx, marked.registration_ids).unwrap(),
        2
    );
    assert_eq!(
        (score(&db.ctx, came), score(&db.ctx, b), score(&db.ctx, c)),
        (100, 90, 100)
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM credit_entries WHERE rule_key = 'no_show' AND voided_at IS NOT NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM credit_entries WHERE voided_at IS NULL"
        ),
        1,
        "only the manual deduction is still live"
    );

    // Marked again, then C turns out to have come after all: checking them in lifts the
    // strike; undoing that check-in puts them back as a no-show, strike included.
    door::mark_no_shows(&db.ctx, event).unwrap();
    assert_eq!(score(&db.ctx, c), 97);
    let checked = door::check_in(
        &db.ctx,
        door::CheckIn {
            event_id: event,
            member_id: c,
            walk_in: false,
            reinstate: false,
            over_capacity: false,
        },
    )
    .unwrap();
    assert_eq!(score(&db.ctx, c), 100);
    door::undo_check_in(&db.ctx, checked.registration.id).unwrap();
    assert_eq!(score(&db.ctx, c), 97);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM credit_entries WHERE rule_key = 'no_show' AND voided_at IS NULL"
        ),
        2,
        "one live strike each for B and C"
    );

    // With the no_show rule retired, the door gives no strikes.
    let rule = credit::rules(&db.ctx)
        .unwrap()
        .into_iter()
        .find(|r| r.key == "no_show")
        .unwrap();
    credit::save_rule(
        &db.ctx,
        SaveRule {
            key: Some(rule.key),
            name_zh: rule.name_zh,
            name_en: rule.name_en,
            points: rule.points,
            expiry_days: rule.expiry_days,
            channel_id: None,
            rule_ref: String::new(),
            active: false,
        },
    )
    .unwrap();
    let d = member(&db, "赵磊");
    registrations::register(
        &db.ctx,
        registrations::Register {
            event_id: event,
            member_ids: vec![d],
            companions: 0,
            note: String::new(),
        },
    )
    .unwrap();
    door::mark_no_shows(&db.ctx, event).unwrap();
    assert_eq!(score(&db.ctx, d), 100);
}

#[test]
fn a_merge_moves_deductions_to_the_member_kept_and_undo_moves_exactly_them_back() {
    let db = open();
    let a = member(&db, "张伟");
    let b = members::create(&db.ctx, draft("张伟", &[(Email, "zw@example.com")], &[]))
        .unwrap()
        .id;
    deduct_as(&db.ctx, a, "spam", None, "发广告");
    let broke = deduct_as(&db.ctx, b, "rule_break", None, "刷屏");
    custom(&db.ctx, b, 7);
    credit::file_appeal(
        &db.ctx,
        FileAppeal {
            entry_id: broke.entry.id,
            reason: "不是我".into(),
        },
    )
    .unwrap();
    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a,
            merge_id: b,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    // 100 − 10 − 5 − 7.
    assert_eq!(score(&db.ctx, a), 78);
    assert_eq!(credit::of_member(&db.ctx, a).unwrap().entries.len(), 3);
    let pending = credit::pending_appeals(&db.ctx).unwrap();
    assert_eq!(
        (pending[0].member_id, pending[0].entry.id),
        (a, broke.entry.id),
        "the appeal follows its deduction"
    );
    // A deduction made after the merge stays with the member kept.
    let after = deduct_as(&db.ctx, a, "rule_break", None, "又刷屏");
    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    assert_eq!((score(&db.ctx, a), score(&db.ctx, b)), (85, 88));
    let kept: Vec<i64> = credit::of_member(&db.ctx, a)
        .unwrap()
        .entries
        .iter()
        .map(|e| e.id)
        .collect();
    assert!(kept.contains(&after.entry.id));
    assert_eq!(kept.len(), 2);
    assert_eq!(count(&db, "SELECT count(*) FROM merge_credit"), 0);
}

#[test]
fn erasing_a_member_leaves_no_credit_rows_of_them() {
    let db = open();
    let a = member(&db, "张伟");
    let b = members::create(&db.ctx, draft("张伟", &[(Email, "zw@example.com")], &[]))
        .unwrap()
        .id;
    let other = member(&db, "李娜");
    let spam = deduct_as(&db.ctx, a, "spam", None, "发广告");
    deduct_as(&db.ctx, b, "rule_break", None, "刷屏");
    deduct_as(&db.ctx, other, "rule_break", None, "刷屏");
    credit::file_appeal(
        &db.ctx,
        FileAppeal {
            entry_id: spam.entry.id,
            reason: "不是我".into(),
        },
    )
    .unwrap();
    members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a,
            merge_id: b,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    assert_eq!(count(&db, "SELECT count(*) FROM merge_credit"), 1);
    members::erase(&db.ctx, EraseMembers { ids: vec![a] }).unwrap();
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM credit_entries WHERE member_id <> {other}")
        ),
        0
    );
    assert_eq!(count(&db, "SELECT count(*) FROM credit_appeals"), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM merge_credit"), 0);
    assert_eq!(score(&db.ctx, other), 95, "other members keep theirs");
}

#[test]
fn channels_keep_their_group_rules_and_rules_point_into_them() {
    let db = open();
    let channel = credit::save_channel(
        &db.ctx,
        SaveChannel {
            id: None,
            name: "读书会1群".into(),
            platform: Platform::Wechat,
            rules: "第1条 友善交流\n第2条 禁止广告\n第3条 禁止刷屏".into(),
        },
    )
    .unwrap();
    let err = credit::save_channel(
        &db.ctx,
        SaveChannel {
            id: None,
            name: "读书会1群".into(),
            platform: Platform::Qq,
            rules: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NameTaken);
    let renamed = credit::save_channel(
        &db.ctx,
        SaveChannel {
            id: Some(channel.id),
            name: "读书会一群".into(),
            platform: Platform::Wechat,
            rules: channel.rules.clone(),
        },
    )
    .unwrap();
    assert_eq!(renamed.name, "读书会一群");

    // 违反群规 now costs 8 and refers to 第3条 of that group's rules.
    let rule = credit::save_rule(
        &db.ctx,
        SaveRule {
            key: Some("rule_break".into()),
            name_zh: "违反群规".into(),
            name_en: "Broke a group rule".into(),
            points: Some(8),
            expiry_days: Some(90),
            channel_id: Some(channel.id),
            rule_ref: "第3条".into(),
            active: true,
        },
    )
    .unwrap();
    assert_eq!(rule.channel_name.as_deref(), Some("读书会一群"));
    let a = member(&db, "张伟");
    let d = deduct_as(&db.ctx, a, "rule_break", None, "连续刷屏 20 条");
    assert_eq!(
        (
            d.entry.points,
            d.entry.channel_name.as_deref(),
            d.entry.rule_ref.as_str()
        ),
        (8, Some("读书会一群"), "第3条")
    );
    // A new rule of the manager's own, whose points never come back.
    let own = credit::save_rule(
        &db.ctx,
        SaveRule {
            key: None,
            name_zh: "人身攻击".into(),
            name_en: String::new(),
            points: Some(30),
            expiry_days: None,
            channel_id: None,
            rule_ref: String::new(),
            active: true,
        },
    )
    .unwrap();
    assert!(!own.builtin);
    assert_eq!(own.name_en, "人身攻击");
    let d = deduct_as(&db.ctx, a, &own.key, None, "骂人截图");
    assert_eq!(d.entry.expires_at, None);
    assert_eq!(score(&ctx_at(&db, 3650), a), 70, "never comes back");
    let cfg = credit::config(&db.ctx).unwrap();
    assert_eq!(cfg.rules.len(), 5);
    assert_eq!(cfg.channels.len(), 1);

    // Tiers: thresholds distinct and below the starting score.
    let tiers = |t: &[(i64, TierAction)]| -> Vec<Tier> {
        t.iter()
            .map(|(threshold, action)| Tier {
                threshold: *threshold,
                name_zh: format!("档{threshold}"),
                name_en: String::new(),
                action: *action,
            })
            .collect()
    };
    let before = everything(&db);
    for bad in [
        tiers(&[(100, TierAction::Warning)]),
        tiers(&[(60, TierAction::Warning), (60, TierAction::Remove)]),
    ] {
        let err = credit::save_tiers(&db.ctx, bad).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::InvalidInput, Some("threshold"))
        );
    }
    assert_eq!(everything(&db), before);
    let saved = credit::save_tiers(
        &db.ctx,
        tiers(&[(40, TierAction::Remove), (80, TierAction::Warning)]),
    )
    .unwrap();
    assert_eq!(
        saved.iter().map(|t| t.threshold).collect::<Vec<_>>(),
        [40, 80]
    );
    assert_eq!(tier(&db.ctx, a), Some(TierAction::Warning), "62 ≤ 80");
}

#[test]
fn needing_action_lists_each_tier_and_who_fell_into_a_worse_one_this_week() {
    let db = open();
    let ten_days_ago = ctx_at(&db, -10);
    let two_days_ago = ctx_at(&db, -2);
    // 谢: 95 last week (no tier), 68 now (限制发言): crossed.
    let xie = member(&db, "谢芳");
    custom(&ten_days_ago, xie, 5);
    custom(&two_days_ago, xie, 27);
    // 杨: already at 60 last week, nothing since: in 限制发言 but did not cross.
    let yang = member(&db, "杨洋");
    custom(&ten_days_ago, yang, 40);
    // 周: 85 → 79, still 提醒: did not cross.
    let zhou = member(&db, "周杰");
    custom(&ten_days_ago, zhou, 15);
    custom(&two_days_ago, zhou, 6);
    // 王: 100 → 45 this week (移出群): crossed.
    let wang = member(&db, "王强");
    custom(&db.ctx, wang, 55);
    // 吴: recorded today for something 10 days ago: as the records stood last week they were
    // at 100, so they crossed this week.
    let wu = member(&db, "吴敏");
    credit::deduct(
        &db.ctx,
        Deduct {
            member_id: wu,
            rule_key: "custom".into(),
            points: Some(35),
            evidence: "上上周的事，今天才有人举报".into(),
            channel_id: None,
            occurred_at: Some((now() - Duration::days(10)).to_rfc3339()),
        },
    )
    .unwrap();
    // 孙 is in the trash: left out.
    let sun = member(&db, "孙丽");
    custom(&db.ctx, sun, 60);
    members::delete(&db.ctx, members::DeleteMembers { ids: vec![sun] }).unwrap();

    let n = credit::needing_action(&db.ctx).unwrap();
    assert_eq!(n.days, 7);
    type Group = (TierAction, u32, Vec<(i64, i64)>);
    let groups: Vec<Group> = n
        .tiers
        .iter()
        .map(|g| {
            (
                g.tier.action,
                g.count,
                g.members.iter().map(|m| (m.member_id, m.score)).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (TierAction::Remove, 1, vec![(wang, 45)]),
            (
                TierAction::Restricted,
                3,
                vec![(yang, 60), (wu, 65), (xie, 68)]
            ),
            (TierAction::Warning, 1, vec![(zhou, 79)]),
        ]
    );
    let crossed: Vec<(&str, i64, i64, Option<TierAction>, TierAction)> = n
        .crossed
        .iter()
        .map(|c| {
            (
                c.display_name.as_str(),
                c.score_before,
                c.score,
                c.tier_before.as_ref().map(|t| t.action),
                c.tier.action,
            )
        })
        .collect();
    assert_eq!(
        crossed,
        [
            ("王强", 100, 45, None, TierAction::Remove),
            ("吴敏", 100, 65, None, TierAction::Restricted),
            ("谢芳", 95, 68, None, TierAction::Restricted),
        ]
    );
    assert_eq!(n.pending_appeals, 0);
}

#[test]
fn the_timeline_shows_deductions_and_appeal_decisions() {
    let db = open();
    let a = member(&db, "张伟");
    let spam = deduct_as(&db.ctx, a, "spam", None, "发广告");
    let appeal = credit::file_appeal(
        &db.ctx,
        FileAppeal {
            entry_id: spam.entry.id,
            reason: "是活动通知".into(),
        },
    )
    .unwrap();
    credit::decide_appeal(
        &ctx_at(&db, 1),
        DecideAppeal {
            appeal_id: appeal.id,
            decision: Decision::Overturned,
            note: "确认".into(),
        },
    )
    .unwrap();
    let entries = members::timeline(&ctx_at(&db, 1), a).unwrap();
    assert!(matches!(
        &entries[0],
        TimelineEntry::CreditAppeal { status: AppealStatus::Overturned, note, points: 10, .. }
            if note == "确认"
    ));
    assert!(entries.iter().any(|e| matches!(
        e,
        TimelineEntry::CreditDeducted { evidence, status: EntryStatus::Overturned, rule_zh, .. }
            if evidence == "发广告" && rule_zh == "广告/刷屏"
    )));
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_cli_deducts_shows_appeals_and_lists_credit() {
    let dir = tempfile::tempdir().unwrap();
    let added = json(&hearth(
        dir.path(),
        &["members", "add", "--name", "张伟", "--json"],
    ));
    let id = added["id"].as_i64().unwrap().to_string();
    let out = hearth(
        dir.path(),
        &[
            "credit",
            "deduct",
            "--member",
            &id,
            "--rule",
            "spam",
            "--evidence",
            " ",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Evidence is required"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = json(&hearth(
        dir.path(),
        &[
            "credit",
            "deduct",
            "--member",
            &id,
            "--rule",
            "spam",
            "--evidence",
            "发广告",
            "--json",
        ],
    ));
    assert_eq!(d["score"]["score"], 90);
    let entry = d["entry"]["id"].as_i64().unwrap().to_string();
    let shown = json(&hearth(
        dir.path(),
        &["credit", "show", "--member", &id, "--json"],
    ));
    assert_eq!(shown["score"], 90);
    assert_eq!(shown["tier"]["action"], "warning");
    assert_eq!(shown["entries"][0]["evidence"], "发广告");
    assert_eq!(shown["entries"][0]["status"], "active");
    let appeal = json(&hearth(
        dir.path(),
        &[
            "credit",
            "appeal",
            &entry,
            "--reason",
            "是活动通知",
            "--json",
        ],
    ));
    let appeal_id = appeal["id"].as_i64().unwrap().to_string();
    let pending = json(&hearth(dir.path(), &["credit", "appeals", "--json"]));
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let decided = json(&hearth(
        dir.path(),
        &[
            "credit",
            "decide",
            &appeal_id,
            "--overturn",
            "--note",
            "确认",
            "--json",
        ],
    ));
    assert_eq!(decided["score"]["score"], 100);
    let list = json(&hearth(dir.path(), &["members", "list", "--json"]));
    assert_eq!(list[0]["credit"], 100);
    let rules = hearth(dir.path(), &["credit", "rules"]);
    assert!(rules.status.success());
    assert!(String::from_utf8_lossy(&rules.stdout).contains("rule_break"));
}
