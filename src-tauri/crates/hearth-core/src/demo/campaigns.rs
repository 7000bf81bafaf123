//! The demo community's plan and campaigns: the classic plan with its positioning, two partners,
//! one campaign finished with its retrospective and one running with overdue tasks, so every part
//! of the Campaigns board (and Today's tasks) shows something true. Runs through the same
//! operations as the app, on the first demo load only; amounts vary with the seed.

use chrono::Duration;

use super::Rng;
use crate::domain::{
    BudgetCategory, CampaignDraft, CampaignStatus, Contribution, Metric, PartnerDraft,
    PartnerStatus, Positioning, TaskOwner, TaskStatus,
};
use crate::error::Result;
use crate::ops::campaigns::{
    self, AddFunding, AddGoal, AddTask, ApplyTemplate, CampaignMembers, LinkPartner, PlanTemplate,
    SaveBudgetLine, SavePartner, SavePositioning, SaveRetrospective, TaskTemplate,
};
use crate::ops::Ctx;
use crate::print::PrintLang;

pub(super) fn load(ctx: &Ctx, seed: u64, members: u32) -> Result<()> {
    let mut rng = Rng(seed ^ 0xca4a_1647);
    let today = ctx.clock.today();
    let day = |offset: i64| (today + Duration::days(offset)).to_string();

    campaigns::save_positioning(
        ctx,
        SavePositioning {
            positioning: Positioning {
                audience: "城市里爱读书、爱分享的年轻人和开发者".into(),
                core_value: "每周都有一场值得来的线下活动，认识真实的朋友".into(),
                tone: "友善、真诚、不刷屏".into(),
                rules_link: "读书会1群 群公告".into(),
            },
            segment_ids: Vec::new(),
        },
    )?;
    campaigns::apply_plan_template(ctx, PlanTemplate::Classic)?;

    let partner = |organisation: &str, contact: &str, contributes: Vec<Contribution>| {
        campaigns::save_partner(
            ctx,
            SavePartner {
                id: None,
                draft: PartnerDraft {
                    organisation: organisation.into(),
                    contact: contact.into(),
                    phone: String::new(),
                    contributes,
                    status: PartnerStatus::Active,
                    notes: String::new(),
                },
            },
        )
    };
    let cafe = partner(
        "街角咖啡",
        "王店长",
        vec![Contribution::Venue, Contribution::Prizes],
    )?;
    let fund = partner(
        "开源社区基金",
        "Linda",
        vec![Contribution::Money, Contribution::Audience],
    )?;

    // Finished: an autumn reading series with its retrospective.
    let autumn = campaigns::create(
        ctx,
        CampaignDraft {
            name: "秋季读书会系列".into(),
            goal: "用四场线下读书会把新成员带进来，到场率保持在八成".into(),
            starts_on: day(-75),
            ends_on: day(-20),
            channels: "读书会1群、公众号".into(),
            owner: "小林".into(),
        },
    )?
    .summary
    .id;
    for (metric, target) in [
        (Metric::NewMembers30d, 40.0),
        (Metric::AttendanceRate, 80.0),
    ] {
        campaigns::add_goal(
            ctx,
            AddGoal {
                campaign_id: Some(autumn),
                metric,
                label: String::new(),
                target,
                start_on: None,
                due_on: day(-20),
            },
        )?;
    }
    let done = campaigns::apply_template(
        ctx,
        ApplyTemplate {
            campaign_id: autumn,
            template: TaskTemplate::OfflineMeetup,
            event_on: day(-30),
            lang: PrintLang::Zh,
        },
    )?;
    for task in &done {
        campaigns::set_task_status(ctx, task.id, TaskStatus::Done)?;
        for item in &task.checklist {
            campaigns::set_check(ctx, item.id, true)?;
        }
    }
    let money = |rng: &mut Rng, base: i64| base + (rng.below(50) as i64) * 100;
    for (category, label, planned, actual) in [
        (BudgetCategory::Venue, "场地（咖啡馆包场）", 0, 0),
        (
            BudgetCategory::Food,
            "茶歇",
            80_000,
            money(&mut rng, 72_000),
        ),
        (
            BudgetCategory::Prizes,
            "书签和小奖品",
            30_000,
            money(&mut rng, 26_000),
        ),
        (
            BudgetCategory::Printing,
            "海报和签到表",
            10_000,
            money(&mut rng, 8_000),
        ),
    ] {
        campaigns::save_budget_line(
            ctx,
            SaveBudgetLine {
                campaign_id: autumn,
                id: None,
                category,
                label: label.into(),
                planned_fen: planned,
                actual_fen: actual,
                currency: "CNY".into(),
            },
        )?;
    }
    campaigns::add_funding(
        ctx,
        AddFunding {
            campaign_id: autumn,
            source: crate::domain::FundingSource::Sponsorship,
            partner_id: Some(fund.id),
            amount_fen: 100_000,
            currency: "CNY".into(),
            note: "基金会社区活动资助".into(),
        },
    )?;
    campaigns::link_partner(
        ctx,
        LinkPartner {
            campaign_id: autumn,
            partner_id: cafe.id,
            note: "四场都免费提供场地".into(),
            linked: true,
        },
    )?;
    campaigns::save_retrospective(
        ctx,
        SaveRetrospective {
            campaign_id: autumn,
            what_worked: "接龙报名两小时就满；咖啡馆场地气氛好，新人愿意留下来聊天。".into(),
            what_to_change: "提醒要提前两天发，爽约的人多在周五晚上；回顾推文要在第二天发出。"
                .into(),
        },
    )?;
    campaigns::set_status(ctx, autumn, CampaignStatus::Finished)?;

    // Running: a winter drive with tasks overdue, one due today, and a volunteer.
    let winter = campaigns::create(
        ctx,
        CampaignDraft {
            name: "冬季拉新月".into(),
            goal: "一个月内新增 60 位成员，并让他们在第一周里至少发一次言".into(),
            starts_on: day(-10),
            ends_on: day(20),
            channels: "公众号、朋友圈、合作方社群".into(),
            owner: "小林".into(),
        },
    )?
    .summary
    .id;
    campaigns::add_goal(
        ctx,
        AddGoal {
            campaign_id: Some(winter),
            metric: Metric::NewMembers30d,
            label: String::new(),
            target: 60.0,
            start_on: None,
            due_on: day(20),
        },
    )?;
    let tasks = campaigns::apply_template(
        ctx,
        ApplyTemplate {
            campaign_id: winter,
            template: TaskTemplate::OfflineMeetup,
            event_on: day(8),
            lang: PrintLang::Zh,
        },
    )?;
    // The venue is booked; the poster (−14 d) and the 接龙 (−10 d) are overdue.
    if let Some(venue) = tasks.first() {
        campaigns::set_task_status(ctx, venue.id, TaskStatus::Done)?;
    }
    let volunteers: Vec<i64> = (1..=members.min(6)).map(i64::from).collect();
    campaigns::add_members(
        ctx,
        CampaignMembers {
            campaign_id: winter,
            member_ids: volunteers.clone(),
        },
    )?;
    if let Some(&volunteer) = volunteers.first() {
        campaigns::add_task(
            ctx,
            AddTask {
                campaign_id: winter,
                title: "在老成员群里转发拉新海报".into(),
                owner: TaskOwner::Member {
                    member_id: volunteer,
                    name: String::new(),
                },
                due_on: day(0),
                checklist: vec!["转发到三个群".into(), "统计扫码人数".into()],
            },
        )?;
    }
    campaigns::add_task(
        ctx,
        AddTask {
            campaign_id: winter,
            title: "确认奖品数量".into(),
            owner: TaskOwner::Partner {
                partner_id: cafe.id,
                name: String::new(),
            },
            due_on: day(3),
            checklist: Vec::new(),
        },
    )?;
    campaigns::link_partner(
        ctx,
        LinkPartner {
            campaign_id: winter,
            partner_id: cafe.id,
            note: "提供奖品和场地".into(),
            linked: true,
        },
    )?;
    campaigns::save_budget_line(
        ctx,
        SaveBudgetLine {
            campaign_id: winter,
            id: None,
            category: BudgetCategory::Promotion,
            label: "朋友圈推广".into(),
            planned_fen: 50_000,
            actual_fen: money(&mut rng, 12_000),
            currency: "CNY".into(),
        },
    )?;
    campaigns::add_funding(
        ctx,
        AddFunding {
            campaign_id: winter,
            source: crate::domain::FundingSource::Company,
            partner_id: None,
            amount_fen: 50_000,
            currency: "CNY".into(),
            note: "公司市场部预算".into(),
        },
    )?;
    Ok(())
}
