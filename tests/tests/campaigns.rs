//! The community plan and campaigns over a real database on a fixed clock (2026-12-08, UTC):
//! every metric against a fixture computed by hand (with a member merged, one trashed and
//! restored, one left in the trash), the classic template, forecasts at the edges, money exact
//! in fen, task templates across month ends, Today's tasks, and the report read back with
//! pdftotext.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::draft;
use hearth_core::domain::{
    BudgetCategory, CampaignDraft, CampaignStatus, Contribution, EventDraft, EventMode,
    EventStatus, FundingSource, GoalStatus, Metric, PartnerDraft, PartnerStatus, TaskOwner,
    TaskStatus,
};
use hearth_core::ops::campaigns::{
    self, AddFunding, AddGoal, AddReading, AddTask, ApplyTemplate, LinkPartner, PlanTemplate,
    SaveBudgetLine, SavePartner, SaveRetrospective, TaskTemplate,
};
use hearth_core::ops::engagement::{self, LogActivities};
use hearth_core::ops::lifecycle::{self, SetOpinionLeader};
use hearth_core::ops::members::{self, DeleteMembers, MergeMembers};
use hearth_core::ops::{events, today};
use hearth_core::print::PrintLang;
use hearth_core::{Ctx, ErrorCode, FixedClock};

const NOW: &str = "2026-12-08T09:30:00Z";

fn at(stamp: &str) -> Ctx {
    let now: DateTime<Utc> = stamp.parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.keep();
    Ctx::open_in_dir(&path, Arc::new(FixedClock(now))).unwrap()
}

fn member(ctx: &Ctx, name: &str, joined: &str) -> i64 {
    let mut d = draft(name, &[], &[]);
    d.joined_at = Some(joined.into());
    members::create(ctx, d).unwrap().id
}

fn log(ctx: &Ctx, id: i64, kind: &str, when: &str) {
    engagement::log(
        ctx,
        LogActivities {
            member_ids: vec![id],
            kind: kind.into(),
            occurred_at: Some(when.into()),
            note: String::new(),
        },
    )
    .unwrap();
}

struct Fixture {
    ctx: Ctx,
    a: i64,
    b: i64,
    c: i64,
    e: i64,
}

/// A joined 5 Aug (active 10 Oct = day 66, and today); B joined 20 Aug (active 7 and 8 Dec:
/// outside days 61–90); E joined 10 Aug (active 20 Oct = day 71), trashed and restored; C joined
/// 20 Nov (spoke three times today); D joined 1 Dec, checked in on 5 Dec, merged into C; F joined
/// 1 Sep, checked in today, in the trash. One event on 28 Nov: A came, B did not, C cancelled, F
/// (trashed) registered; one cancelled event on 1 Dec.
fn fixture() -> Fixture {
    let ctx = at(NOW);
    let a = member(&ctx, "阿安", "2026-08-05");
    let b = member(&ctx, "Ben", "2026-08-20");
    let c = member(&ctx, "陈晨", "2026-11-20");
    let d = member(&ctx, "陈晨2", "2026-12-01");
    let e = member(&ctx, "Emma", "2026-08-10");
    let f = member(&ctx, "方方", "2026-09-01");
    log(&ctx, a, "checkin", "2026-10-10T02:00:00Z");
    log(&ctx, a, "checkin", "2026-12-08T01:00:00Z");
    log(&ctx, b, "checkin", "2026-12-07T01:00:00Z");
    log(&ctx, b, "checkin", "2026-12-08T01:00:00Z");
    for hour in 1..=3 {
        log(&ctx, c, "spoke", &format!("2026-12-08T0{hour}:00:00Z"));
    }
    log(&ctx, d, "checkin", "2026-12-05T01:00:00Z");
    log(&ctx, e, "checkin", "2026-10-20T01:00:00Z");
    log(&ctx, f, "checkin", "2026-12-08T01:00:00Z");
    members::merge(
        &ctx,
        MergeMembers {
            keep_id: c,
            merge_id: d,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    members::delete(&ctx, DeleteMembers { ids: vec![e] }).unwrap();
    members::restore(&ctx, DeleteMembers { ids: vec![e] }).unwrap();

    let event = |title: &str, day: &str, status: EventStatus| {
        events::create(
            &ctx,
            EventDraft {
                title: title.into(),
                mode: EventMode::Offline,
                starts_local: format!("{day}T14:00"),
                ends_local: format!("{day}T16:00"),
                time_zone: "UTC".into(),
                venue: String::new(),
                link: String::new(),
                capacity: None,
                notes: String::new(),
                campaign: String::new(),
                status,
            },
        )
        .unwrap()
        .id
    };
    let meetup = event("读书会", "2026-11-28", EventStatus::Finished);
    event("取消的", "2026-12-01", EventStatus::Cancelled);
    let conn = rusqlite::Connection::open(ctx.store.path()).unwrap();
    for (m, status, checked) in [
        (a, "attended", Some("2026-11-28T14:05:00Z")),
        (b, "no_show", None),
        (c, "cancelled", None),
        (f, "registered", None),
    ] {
        conn.execute(
            "INSERT INTO registrations (event_id, member_id, status, registered_at, checked_in_at,
                                        updated_at)
             VALUES (?1, ?2, ?3, '2026-11-20T00:00:00Z', ?4, '2026-11-20T00:00:00Z')",
            rusqlite::params![meetup, m, status, checked],
        )
        .unwrap();
    }
    members::delete(&ctx, DeleteMembers { ids: vec![f] }).unwrap();
    lifecycle::set_opinion_leader(
        &ctx,
        SetOpinionLeader {
            member_id: a,
            opinion_leader: Some(true),
            reason: "读书会领读人".into(),
        },
    )
    .unwrap();
    Fixture { ctx, a, b, c, e }
}

fn goal(ctx: &Ctx, metric: Metric, target: f64) -> hearth_core::domain::GoalProgress {
    campaigns::add_goal(
        ctx,
        AddGoal {
            campaign_id: None,
            metric,
            label: String::new(),
            target,
            start_on: None,
            due_on: "2027-12-08".into(),
        },
    )
    .unwrap()
}

#[test]
fn every_metric_matches_the_hand_computed_fixture_with_the_members_behind_it() {
    let fx = fixture();
    let ctx = &fx.ctx;
    let (a, b, c, e) = (fx.a, fx.b, fx.c, fx.e);
    // (metric, value, members behind it)
    let expected: Vec<(Metric, f64, Vec<i64>)> = vec![
        // A, B, C, E: D is merged, F in the trash; E is back from it.
        (Metric::MemberCount, 4.0, vec![a, b, c, e]),
        // Joined 9 Nov – 8 Dec: C (D, merged, is not counted).
        (Metric::NewMembers30d, 1.0, vec![c]),
        // Today: A, B, C; F is in the trash.
        (Metric::Dau, 3.0, vec![a, b, c]),
        // 2–8 Dec: C also through D's check-in on 5 Dec, now C's.
        (Metric::Wau, 3.0, vec![a, b, c]),
        (Metric::Mau, 3.0, vec![a, b, c]),
        // 7 activities (A 1, B 2, C 3 + D's 1) over DAU 1 (5 Dec) + 1 (7 Dec) + 3 (8 Dec).
        (Metric::InteractionsPerActive, 1.4, vec![a, b, c]),
        // The August cohort (A, B, E): A on day 66, E on day 71; B not in days 61–90.
        (Metric::Retention90d, 200.0 / 3.0, vec![a, e]),
        // The 28 Nov meetup; the cancelled one does not count. A came.
        (Metric::EventsHeld30d, 1.0, vec![a]),
        // Registered A and B (C cancelled, F in the trash): 1 of 2 came.
        (Metric::AttendanceRate, 50.0, vec![a]),
        (Metric::NoShowRate, 50.0, vec![b]),
        (Metric::OpinionLeaders, 1.0, vec![a]),
        // Check-ins 1 point each (A 1, B 2, D→C 1), spoke 1 each (C 3); F's is in the trash.
        (Metric::PointsIssued30d, 7.0, vec![a, b, c]),
        // Started today: nobody joined since.
        (Metric::MemberGrowthPct, 0.0, vec![]),
    ];
    for (metric, value, who) in expected {
        let g = goal(ctx, metric, 1000.0);
        let current = g
            .current
            .unwrap_or_else(|| panic!("{metric:?} has a value"));
        assert!(
            (current - value).abs() < 1e-9,
            "{metric:?}: {current} != {value}"
        );
        assert_eq!(
            campaigns::goal_members(ctx, g.goal.id).unwrap(),
            who,
            "{metric:?}: the members behind it"
        );
        assert_eq!(g.members as usize, who.len(), "{metric:?}: member count");
        assert_eq!(g.trend.last().unwrap().day, "2026-12-08");
    }
}

#[test]
fn growth_counts_from_the_goal_start_and_a_kpi_can_be_saved_as_a_segment() {
    let fx = fixture();
    let g = campaigns::add_goal(
        &fx.ctx,
        AddGoal {
            campaign_id: None,
            metric: Metric::MemberGrowthPct,
            label: String::new(),
            target: 100.0,
            start_on: Some("2026-11-01".into()),
            due_on: "2027-11-01".into(),
        },
    )
    .unwrap();
    // Three counted members on 1 Nov (A, B, E); C joined since: +33.3 %.
    assert!(
        (g.current.unwrap() - 100.0 / 3.0).abs() < 1e-9,
        "{:?}",
        g.current
    );
    assert_eq!(g.goal.baseline, Some(0.0));
    let seg = campaigns::save_goal_members(
        &fx.ctx,
        campaigns::SaveGoalMembers {
            goal_id: g.goal.id,
            name: "新加入".into(),
        },
    )
    .unwrap();
    assert_eq!(seg.count, 1);
}

#[test]
fn the_classic_template_builds_four_goals_once_with_their_statuses() {
    let fx = fixture();
    let plan = campaigns::apply_plan_template(&fx.ctx, PlanTemplate::Classic).unwrap();
    let got: Vec<(Metric, f64, Option<f64>)> = plan
        .goals
        .iter()
        .map(|g| (g.goal.metric, g.goal.target, g.current))
        .collect();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].0, Metric::MemberCount);
    assert_eq!(got[0].1, 8.0, "twice today's four members");
    assert_eq!(got[1].0, Metric::InteractionsPerActive);
    assert_eq!(got[1].1, 1.0);
    assert_eq!(got[2], (Metric::OpinionLeaders, 3.0, Some(1.0)));
    assert_eq!(got[3].0, Metric::Retention90d);
    assert!(plan.goals.iter().all(|g| g.goal.due_on == "2027-12-08"));
    // 1.4 interactions a day already meets ≥ 1.
    assert_eq!(plan.goals[1].status, GoalStatus::OnTrack);
    assert_eq!(plan.goals[1].reason, "met");
    // One opinion leader, no history to draw a line through: an even pace from 1 to 3 is
    // 1 today, so on pace.
    assert_eq!(plan.goals[2].reason, "pace");
    assert_eq!(plan.goals[2].status, GoalStatus::OnTrack);
    // Applying it again adds nothing.
    let again = campaigns::apply_plan_template(&fx.ctx, PlanTemplate::Classic).unwrap();
    assert_eq!(again.goals.len(), 4);
}

#[test]
fn manual_metrics_forecast_from_their_readings_and_the_edges_hold() {
    let ctx = at(NOW);
    let g = campaigns::add_goal(
        &ctx,
        AddGoal {
            campaign_id: None,
            metric: Metric::Manual,
            label: "公众号粉丝".into(),
            target: 1000.0,
            start_on: Some("2026-11-01".into()),
            due_on: "2026-12-31".into(),
        },
    )
    .unwrap();
    // No reading yet: no value, no forecast, at risk on pace.
    assert_eq!(
        (g.current, g.forecast, g.status),
        (None, None, GoalStatus::AtRisk)
    );
    let read = |day: &str, value: f64| {
        campaigns::add_reading(
            &ctx,
            AddReading {
                goal_id: g.goal.id,
                day: day.into(),
                value,
                note: String::new(),
            },
        )
        .unwrap()
    };
    let one = read("2026-11-08", 400.0);
    assert_eq!(one.forecast, None, "one point is no line");
    // +10 a day: 500 on 18 Nov → 930 on 31 Dec: 88 % of the way from 400: at risk.
    let two = read("2026-11-18", 500.0);
    assert!(
        (two.forecast.unwrap() - 930.0).abs() < 1e-6,
        "{:?}",
        two.forecast
    );
    assert_eq!(
        (two.status, two.reason.as_str()),
        (GoalStatus::AtRisk, "forecast")
    );
    let future = campaigns::add_reading(
        &ctx,
        AddReading {
            goal_id: g.goal.id,
            day: "2026-12-09".into(),
            value: 1.0,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(future.code, ErrorCode::FutureDate);
    // Target met.
    let met = read("2026-12-01", 1200.0);
    assert_eq!(
        (met.status, met.reason.as_str()),
        (GoalStatus::OnTrack, "met")
    );
    // After the due day, not met: off track.
    let later = Ctx::open_in_dir(
        ctx.store.path().parent().unwrap(),
        Arc::new(FixedClock("2027-01-05T00:00:00Z".parse().unwrap())),
    )
    .unwrap();
    campaigns::add_reading(
        &later,
        AddReading {
            goal_id: g.goal.id,
            day: "2027-01-02".into(),
            value: 900.0,
            note: String::new(),
        },
    )
    .unwrap();
    let plan = campaigns::plan(&later).unwrap();
    assert_eq!(
        (plan.goals[0].status, plan.goals[0].reason.as_str()),
        (GoalStatus::OffTrack, "due_passed")
    );
}

fn campaign(ctx: &Ctx, name: &str, starts: &str, ends: &str) -> i64 {
    campaigns::create(
        ctx,
        CampaignDraft {
            name: name.into(),
            goal: "冬季拉新".into(),
            starts_on: starts.into(),
            ends_on: ends.into(),
            channels: "微信群, 公众号".into(),
            owner: "小林".into(),
        },
    )
    .unwrap()
    .summary
    .id
}

#[test]
fn task_templates_date_tasks_across_month_ends_and_leap_days() {
    let ctx = at(NOW);
    let id = campaign(&ctx, "跨年读书会", "2026-12-01", "2027-03-31");
    let tasks = campaigns::apply_template(
        &ctx,
        ApplyTemplate {
            campaign_id: id,
            template: TaskTemplate::OfflineMeetup,
            event_on: "2027-01-10".into(),
            lang: PrintLang::Zh,
        },
    )
    .unwrap();
    let due: Vec<(&str, &str)> = tasks
        .iter()
        .map(|t| (t.title.as_str(), t.due_on.as_str()))
        .collect();
    assert_eq!(
        due,
        vec![
            ("确定场地", "2026-12-20"),
            ("海报和推文", "2026-12-27"),
            ("群里发起接龙报名", "2026-12-31"),
            ("活动提醒", "2027-01-09"),
            ("活动回顾", "2027-01-11"),
        ]
    );
    assert_eq!(tasks[0].checklist.len(), 2);
    // Around 29 February of a leap year, in English.
    let leap = campaigns::apply_template(
        &ctx,
        ApplyTemplate {
            campaign_id: id,
            template: TaskTemplate::OfflineMeetup,
            event_on: "2028-03-01".into(),
            lang: PrintLang::En,
        },
    )
    .unwrap();
    let due: Vec<&str> = leap.iter().map(|t| t.due_on.as_str()).collect();
    assert_eq!(
        due,
        vec![
            "2028-02-09",
            "2028-02-16",
            "2028-02-20",
            "2028-02-29",
            "2028-03-02"
        ]
    );
    assert_eq!(leap[0].title, "Book the venue");
}

#[test]
fn money_sums_are_exact_in_fen_per_currency_with_cost_per_member() {
    let fx = fixture();
    let ctx = &fx.ctx;
    // 1 Nov – 31 Dec: C joined (20 Nov); active A, B, C.
    let id = campaign(ctx, "冬季拉新", "2026-11-01", "2026-12-31");
    let line = |category, label: &str, planned, actual, currency: &str| {
        campaigns::save_budget_line(
            ctx,
            SaveBudgetLine {
                campaign_id: id,
                id: None,
                category,
                label: label.into(),
                planned_fen: planned,
                actual_fen: actual,
                currency: currency.into(),
            },
        )
        .unwrap()
    };
    line(BudgetCategory::Venue, "场地", 50_000, 48_010, "cny");
    line(BudgetCategory::Food, "茶歇", 30_001, 30_001, "CNY");
    // 0.1 + 0.2 in yuan, the classic float trap, is exactly 30 fen here.
    line(BudgetCategory::Printing, "海报", 10, 20, "CNY");
    let budget = line(BudgetCategory::Prizes, "Prizes", 9_999, 0, "USD");
    let cny = budget.totals.iter().find(|t| t.currency == "CNY").unwrap();
    assert_eq!((cny.planned_fen, cny.actual_fen), (80_011, 78_031));
    assert_eq!(budget.new_members, 1);
    assert_eq!(budget.active_members, 3);
    assert_eq!(cny.per_new_member_fen, Some(78_031));
    // 78,031 / 3 = 26,010.33… → 26,010.
    assert_eq!(cny.per_active_member_fen, Some(26_010));
    let usd = budget.totals.iter().find(|t| t.currency == "USD").unwrap();
    assert_eq!((usd.planned_fen, usd.actual_fen), (9_999, 0));
    let funded = campaigns::add_funding(
        ctx,
        AddFunding {
            campaign_id: id,
            source: FundingSource::Sponsorship,
            partner_id: None,
            amount_fen: 60_000,
            currency: "CNY".into(),
            note: "咖啡馆赞助".into(),
        },
    )
    .unwrap();
    assert_eq!(
        funded
            .totals
            .iter()
            .find(|t| t.currency == "CNY")
            .unwrap()
            .funded_fen,
        60_000
    );
    let bad = campaigns::save_budget_line(
        ctx,
        SaveBudgetLine {
            campaign_id: id,
            id: None,
            category: BudgetCategory::Other,
            label: String::new(),
            planned_fen: -1,
            actual_fen: 0,
            currency: "CNY".into(),
        },
    )
    .unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("planned_fen"));
}

#[test]
fn tasks_due_today_or_overdue_reach_today_first_and_leave_when_done() {
    let fx = fixture();
    let ctx = &fx.ctx;
    let id = campaign(ctx, "冬季拉新", "2026-11-01", "2026-12-31");
    let add = |title: &str, due: &str, owner: TaskOwner| {
        campaigns::add_task(
            ctx,
            AddTask {
                campaign_id: id,
                title: title.into(),
                owner,
                due_on: due.into(),
                checklist: vec!["第一步".into()],
            },
        )
        .unwrap()
    };
    let overdue = add("订场地", "2026-12-01", TaskOwner::Manager);
    let due = add(
        "做海报",
        "2026-12-08",
        TaskOwner::Member {
            member_id: fx.b,
            name: String::new(),
        },
    );
    add("写回顾", "2026-12-09", TaskOwner::Manager);
    let list = today::today(ctx).unwrap();
    let titles: Vec<&str> = list.tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, vec!["订场地", "做海报"]);
    assert_eq!(
        list.tasks[1].owner,
        TaskOwner::Member {
            member_id: fx.b,
            name: "Ben".into()
        }
    );
    assert!(list.actionable >= 2);
    campaigns::set_task_status(ctx, overdue.id, TaskStatus::Done).unwrap();
    let list = today::today(ctx).unwrap();
    assert_eq!(list.tasks.len(), 1);
    assert_eq!(list.tasks[0].id, due.id);
    let summary = &campaigns::list(ctx).unwrap()[0];
    assert_eq!(
        (
            summary.tasks_open,
            summary.tasks_overdue,
            summary.tasks_done
        ),
        (2, 0, 1)
    );
    // A cancelled campaign's tasks leave Today.
    campaigns::set_status(ctx, id, CampaignStatus::Cancelled).unwrap();
    assert!(today::today(ctx).unwrap().tasks.is_empty());
}

#[test]
fn finishing_keeps_the_end_numbers_and_the_report_reads_back() {
    let fx = fixture();
    let ctx = &fx.ctx;
    let id = campaign(ctx, "秋季读书会", "2026-11-01", "2026-12-08");
    campaigns::add_goal(
        ctx,
        AddGoal {
            campaign_id: Some(id),
            metric: Metric::Dau,
            label: String::new(),
            target: 5.0,
            start_on: None,
            due_on: "2026-12-08".into(),
        },
    )
    .unwrap();
    let partner = campaigns::save_partner(
        ctx,
        SavePartner {
            id: None,
            draft: PartnerDraft {
                organisation: "街角咖啡".into(),
                contact: "王店长".into(),
                phone: String::new(),
                contributes: vec![Contribution::Venue, Contribution::Prizes],
                status: PartnerStatus::Active,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    campaigns::link_partner(
        ctx,
        LinkPartner {
            campaign_id: id,
            partner_id: partner.id,
            note: "场地免费".into(),
            linked: true,
        },
    )
    .unwrap();
    campaigns::save_retrospective(
        ctx,
        SaveRetrospective {
            campaign_id: id,
            what_worked: "接龙报名很快满员".into(),
            what_to_change: "提醒要提前两天".into(),
        },
    )
    .unwrap();
    let done = campaigns::set_status(ctx, id, CampaignStatus::Finished).unwrap();
    assert_eq!(
        done.retrospective.finished_on.as_deref(),
        Some("2026-12-08")
    );
    let end = &done.retrospective.end_numbers[0];
    // DAU on 1 Nov was 0; today 3.
    assert_eq!((end.baseline, end.value), (Some(0.0), Some(3.0)));
    assert_eq!(done.partners[0].history[0].note, "场地免费");

    let font = hearth_core::print::CjkFont::locate(None).expect("a CJK font for the report");
    let out = ctx.store.path().parent().unwrap().join("report.pdf");
    campaigns::report::render(ctx, id, PrintLang::Zh, &font, &out).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(text.stdout).unwrap();
    for needle in [
        "活动报告：秋季读书会",
        "目标与 KPI 进度",
        "日活",
        "街角咖啡",
        "接龙报名很快满员",
        "提醒要提前两天",
        "支出与预算",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    campaigns::report::render(ctx, id, PrintLang::En, &font, &out).unwrap();
    let text = std::process::Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Campaign report"), "{text}");
    assert!(text.contains("What worked"), "{text}");
}

#[test]
fn campaign_members_and_task_owners_follow_merge_undo_and_erase() {
    use hearth_core::ops::members::{EraseMembers, UndoMerge};
    let ctx = at(NOW);
    let keep = member(&ctx, "林一", "2026-01-01");
    let dup = member(&ctx, "林一（新号）", "2026-02-01");
    let id = campaign(&ctx, "冬季拉新", "2026-12-01", "2026-12-31");
    campaigns::add_members(
        &ctx,
        campaigns::CampaignMembers {
            campaign_id: id,
            member_ids: vec![dup],
        },
    )
    .unwrap();
    let task = campaigns::add_task(
        &ctx,
        AddTask {
            campaign_id: id,
            title: "转发海报".into(),
            owner: TaskOwner::Member {
                member_id: dup,
                name: String::new(),
            },
            due_on: "2026-12-10".into(),
            checklist: vec![],
        },
    )
    .unwrap();
    let merged = members::merge(
        &ctx,
        MergeMembers {
            keep_id: keep,
            merge_id: dup,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    let page = campaigns::get(&ctx, id).unwrap();
    assert_eq!(
        page.members.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![keep]
    );
    assert!(
        matches!(page.tasks[0].owner, TaskOwner::Member { member_id, .. } if member_id == keep)
    );
    members::undo_merge(
        &ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    let page = campaigns::get(&ctx, id).unwrap();
    assert_eq!(
        page.members.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![dup]
    );
    assert!(matches!(page.tasks[0].owner, TaskOwner::Member { member_id, .. } if member_id == dup));
    // Erased: out of the campaign; the task stays, held by the manager.
    members::erase(&ctx, EraseMembers { ids: vec![dup] }).unwrap();
    let page = campaigns::get(&ctx, id).unwrap();
    assert!(page.members.is_empty());
    assert_eq!(page.tasks[0].id, task.id);
    assert_eq!(page.tasks[0].owner, TaskOwner::Manager);
}

#[test]
fn the_cli_shows_the_plan_lists_tasks_and_writes_the_report() {
    let ctx = at(NOW);
    let dir = ctx.store.path().parent().unwrap().to_owned();
    drop(ctx);
    let run = |args: &[&str]| {
        let out = common::hearth(&dir, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["demo", "--members", "300"]);
    let plan: serde_json::Value = serde_json::from_str(&run(&["plan", "show", "--json"])).unwrap();
    let goals = plan["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 4, "the demo plan is the classic template");
    assert!(goals
        .iter()
        .all(|g| g["status"].is_string() && g["trend"].is_array()));
    let list: serde_json::Value =
        serde_json::from_str(&run(&["campaigns", "list", "--json"])).unwrap();
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["running", "finished"]);
    let running = list[0]["id"].as_i64().unwrap();
    assert!(
        list[0]["tasks_overdue"].as_u64().unwrap() >= 2,
        "{}",
        list[0]
    );
    let show: serde_json::Value =
        serde_json::from_str(&run(&["campaigns", "show", &running.to_string(), "--json"])).unwrap();
    assert!(!show["tasks"].as_array().unwrap().is_empty());
    let far = run(&["tasks", "list", "--json", "--due-before", "2099-12-31"]);
    let all_open: Vec<serde_json::Value> = serde_json::from_str(&far).unwrap();
    assert!(all_open.iter().all(|t| t["status"] != "done"));
    let bad = common::hearth(&dir, &["tasks", "list", "--due-before", "明天"]);
    assert!(!bad.status.success());
    let pdf = dir.join("report.pdf");
    run(&[
        "campaigns",
        "report",
        &running.to_string(),
        "--out",
        pdf.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    let text = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Campaign report: 冬季拉新月"), "{text}");
    assert!(text.contains("Spend vs budget"), "{text}");
}

#[test]
fn today_lists_birthdays_only_of_members_who_matter_and_counts_what_can_be_done_today() {
    use hearth_core::ops::segments::{self, SaveSegment};
    let ctx = at(NOW);
    let born = |name: &str| {
        let mut d = draft(name, &[], &[]);
        d.birthday = Some("1990-12-08".into());
        members::create(&ctx, d).unwrap().id
    };
    let leader = born("领读人");
    let friend = born("老朋友");
    born("路人");
    let names = |ctx: &Ctx| -> Vec<String> {
        today::today(ctx)
            .unwrap()
            .birthdays
            .into_iter()
            .map(|b| b.member_name)
            .collect()
    };
    assert!(
        names(&ctx).is_empty(),
        "nobody matters yet: {:?}",
        names(&ctx)
    );
    lifecycle::set_opinion_leader(
        &ctx,
        SetOpinionLeader {
            member_id: leader,
            opinion_leader: Some(true),
            reason: "领读".into(),
        },
    )
    .unwrap();
    assert_eq!(names(&ctx), vec!["领读人"]);
    let seg = segments::save(
        &ctx,
        SaveSegment {
            id: None,
            name: "老朋友们".into(),
            filter: Default::default(),
            members: vec![friend],
            is_list: Some(true),
        },
    )
    .unwrap();
    today::set_matter_segment(&ctx, Some(seg.id)).unwrap();
    let list = today::today(&ctx).unwrap();
    assert_eq!(list.matter_segment, Some(seg.id));
    let mut got = names(&ctx);
    got.sort();
    assert_eq!(got, vec!["老朋友", "领读人"]);
    // Two birthdays today, nothing else: two things to act on.
    assert_eq!(list.actionable, 2);
    today::set_matter_segment(&ctx, None).unwrap();
    assert_eq!(names(&ctx), vec!["领读人"]);
}

/// The plan's own queries (its windowed activity numbers are the dashboards' queries, checked in
/// `dashboard.rs`) read ranges of indexes and rollups: none walks every member or activity.
#[test]
fn no_plan_query_scans_all_members_or_activities() {
    let db = common::open_demo();
    let plans = db
        .ctx
        .store
        .read(|r| {
            hearth_core::store::metrics::queries()
                .into_iter()
                .map(|(name, sql)| Ok((name, hearth_core::store::dashboard::plan(r, &sql)?)))
                .collect::<hearth_core::Result<Vec<_>>>()
        })
        .unwrap();
    assert!(plans.len() >= 8);
    // Opinion leaders come from their partial index (a handful of rows), not every lifecycle.
    let leaders = &plans.iter().find(|p| p.0 == "opinion leaders").unwrap().1;
    assert!(
        leaders
            .iter()
            .any(|s| s.contains("member_lifecycle_opinion_leaders")),
        "{leaders:?}"
    );
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

/// Partners, budget lines, funding and goals are edited and deleted; a partner removed and put
/// back is on the same campaigns, owns the same task and gave the same funding again.
#[test]
fn a_removed_partner_comes_back_whole_and_lines_funding_and_goals_are_edited() {
    let ctx = at(NOW);
    let id = campaign(&ctx, "春季读书会", "2026-12-01", "2027-01-31");
    let other = campaign(&ctx, "线上分享", "2026-11-01", "2026-11-30");
    let cafe = campaigns::save_partner(
        &ctx,
        SavePartner {
            id: None,
            draft: PartnerDraft {
                organisation: "街角咖啡".into(),
                contact: "王店长".into(),
                phone: "13800000000".into(),
                contributes: vec![Contribution::Venue],
                status: PartnerStatus::Active,
                notes: String::new(),
            },
        },
    )
    .unwrap();
    for (campaign_id, note) in [(id, "场地"), (other, "奖品")] {
        campaigns::link_partner(
            &ctx,
            LinkPartner {
                campaign_id,
                partner_id: cafe.id,
                note: note.into(),
                linked: true,
            },
        )
        .unwrap();
    }
    let task = campaigns::add_task(
        &ctx,
        AddTask {
            campaign_id: id,
            title: "确认场地".into(),
            owner: TaskOwner::Partner {
                partner_id: cafe.id,
                name: String::new(),
            },
            due_on: "2026-12-20".into(),
            checklist: vec![],
        },
    )
    .unwrap();
    let fund = |partner_id| AddFunding {
        campaign_id: id,
        source: FundingSource::Sponsorship,
        partner_id,
        amount_fen: 20_000,
        currency: "CNY".into(),
        note: "赞助".into(),
    };
    let budget = campaigns::add_funding(&ctx, fund(Some(cafe.id))).unwrap();
    let funding_id = budget.funding[0].id;

    let removed = campaigns::delete_partner(&ctx, cafe.id).unwrap();
    assert!(campaigns::partners(&ctx).unwrap().is_empty());
    let page = campaigns::get(&ctx, id).unwrap();
    assert!(page.partners.is_empty());
    assert_eq!(
        page.tasks[0].owner,
        TaskOwner::Manager,
        "the manager holds it"
    );
    assert_eq!(page.budget.funding[0].partner_id, None);
    assert_eq!(page.budget.totals[0].funded_fen, 20_000, "the money stays");

    let back = campaigns::restore_partner(&ctx, removed).unwrap();
    assert_eq!(back.id, cafe.id);
    assert_eq!(
        (
            back.organisation.as_str(),
            back.phone.as_str(),
            &back.contributes
        ),
        ("街角咖啡", "13800000000", &cafe.contributes)
    );
    assert_eq!(back.history.len(), 2, "back on both campaigns");
    let page = campaigns::get(&ctx, id).unwrap();
    assert_eq!(page.partners.len(), 1);
    assert!(matches!(
        &page.tasks[0].owner,
        TaskOwner::Partner { partner_id, .. } if *partner_id == cafe.id
    ));
    assert_eq!(page.tasks[0].id, task.id);
    assert_eq!(page.budget.funding[0].partner_id, Some(cafe.id));

    // Funding edited (the amount), a budget line edited then deleted, in exact fen.
    let budget = campaigns::update_funding(
        &ctx,
        campaigns::UpdateFunding {
            id: funding_id,
            funding: AddFunding {
                amount_fen: 25_050,
                ..fund(Some(cafe.id))
            },
        },
    )
    .unwrap();
    assert_eq!(budget.totals[0].funded_fen, 25_050);
    let line = |id_: Option<i64>, actual_fen| SaveBudgetLine {
        campaign_id: id,
        id: id_,
        category: BudgetCategory::Venue,
        label: "场地".into(),
        planned_fen: 30_000,
        actual_fen,
        currency: "CNY".into(),
    };
    let budget = campaigns::save_budget_line(&ctx, line(None, 0)).unwrap();
    let line_id = budget.lines[0].id;
    let budget = campaigns::save_budget_line(&ctx, line(Some(line_id), 28_880)).unwrap();
    assert_eq!(budget.lines.len(), 1);
    assert_eq!(budget.totals[0].actual_fen, 28_880);
    let budget = campaigns::delete_budget_line(&ctx, id, line_id).unwrap();
    assert!(budget.lines.is_empty());

    // A goal's target and due day change; its metric and start stay.
    let g = goal(&ctx, Metric::MemberCount, 10.0);
    let edited = campaigns::update_goal(
        &ctx,
        campaigns::UpdateGoal {
            id: g.goal.id,
            label: "两倍成员".into(),
            target: 20.0,
            due_on: "2027-06-30".into(),
        },
    )
    .unwrap();
    assert_eq!(
        (
            edited.goal.target,
            edited.goal.due_on.as_str(),
            edited.goal.metric
        ),
        (20.0, "2027-06-30", Metric::MemberCount)
    );
    let early = campaigns::update_goal(
        &ctx,
        campaigns::UpdateGoal {
            id: g.goal.id,
            label: String::new(),
            target: 20.0,
            due_on: "2026-01-01".into(),
        },
    )
    .unwrap_err();
    assert_eq!(early.field.as_deref(), Some("due_on"));
}

/// The classic plan over the generated demo year on a fixed clock: the demo applies the template
/// today, so each goal starts today with its baseline; the statuses follow from a year of demo
/// activity (see the comments for why each is what it is).
#[test]
fn the_classic_template_over_the_demo_year_has_the_expected_statuses() {
    let ctx = at(NOW);
    hearth_core::demo::load(
        &ctx,
        hearth_core::demo::LoadDemo {
            members: 2000,
            seed: 7,
        },
    )
    .unwrap();
    let plan = campaigns::plan(&ctx).unwrap();
    let got: Vec<(Metric, GoalStatus, &str)> = plan
        .goals
        .iter()
        .map(|g| (g.goal.metric, g.status, g.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            // The demo's members joined over the year: the last eight weeks' line reaches
            // twice today's 2,000 by the due day.
            (Metric::MemberCount, GoalStatus::OnTrack, "forecast"),
            // A year of demo activity: more than one interaction per active member a day.
            (Metric::InteractionsPerActive, GoalStatus::OnTrack, "met"),
            // The lifecycle rule finds more than three opinion leaders.
            (Metric::OpinionLeaders, GoalStatus::OnTrack, "met"),
            // Newer cohorts come back less in days 61–90: the line heads down, far from 40 %.
            (Metric::Retention90d, GoalStatus::OffTrack, "forecast"),
        ]
    );
    let value = |i: usize| plan.goals[i].current.unwrap();
    assert_eq!(value(0), 2000.0);
    assert_eq!(plan.goals[0].goal.target, 4000.0);
    assert!(plan.goals[0].forecast.unwrap() >= 4000.0);
    assert!((1.0..3.0).contains(&value(1)), "{}", value(1));
    assert!(value(2) >= 3.0);
    assert!((0.0..40.0).contains(&value(3)), "{}", value(3));
    let retention_forecast = plan.goals[3].forecast.unwrap();
    assert!(retention_forecast < 0.8 * 40.0, "{retention_forecast}");
}
