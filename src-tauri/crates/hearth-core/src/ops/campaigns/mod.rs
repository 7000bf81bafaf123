//! The community plan (positioning, target segments, goals measured from the data) and the
//! campaigns run toward it: their KPIs, tasks with owners and checklists (and templates that date
//! them from an event), partners, budget and funding, the retrospective, and the report.
//!
//! Metrics live in [`metrics`], the status rule in [`progress`], the printed report in
//! [`report`]. Content items are linked to a campaign by the content calendar (its picker); the
//! campaign's page lists them. Deliberately absent: any float money: amounts are integer fen.

pub mod metrics;
pub mod progress;
pub mod report;
mod templates;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub use templates::{apply_template, ApplyTemplate, TaskTemplate};

use crate::domain::ContentStatus;
use crate::domain::{
    Budget, BudgetCategory, BudgetLine, Campaign, CampaignContent, CampaignDraft, CampaignStatus,
    CampaignSummary, EndNumber, Funding, FundingSource, Goal, GoalProgress, Metric, MoneyTotal,
    Partner, PartnerDraft, PartnerLinkBack, Plan, Positioning, RemovedPartner, Retrospective, Task,
    TaskOwner, TaskStatus,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::segments::{self, SaveSegment};
use crate::ops::Ctx;
use crate::store::campaigns::{self as table, CampaignRow, LinkTable, TaskRow};
use crate::store::metrics as metric_table;
use crate::store::{events as events_table, members, Read, Write};
use metrics::Frame;

const MAX_TEXT: usize = 2000;

fn frame(ctx: &Ctx) -> Frame {
    Frame {
        offset: ctx.clock.utc_offset(),
        today: ctx.clock.today(),
        now: ctx.clock.now(),
    }
}

pub(crate) fn parse_day(raw: &str, field: &str) -> Result<NaiveDate> {
    let s = raw.trim();
    progress::parse_day(s).ok_or_else(|| {
        Error::new(ErrorCode::InvalidDate, format!("“{s}” is not a date"))
            .with_field(field)
            .with_param("value", s)
    })
}

fn text(raw: &str, field: &str, max: usize, required: bool) -> Result<String> {
    let s = raw.trim();
    if required && s.is_empty() {
        return Err(Error::required(field));
    }
    if s.chars().count() > max {
        return Err(Error::too_long(field, max));
    }
    Ok(s.to_owned())
}

// ---------------------------------------------------------------- the plan

/// The plan with every goal evaluated for today.
pub fn plan(ctx: &Ctx) -> Result<Plan> {
    let frame = frame(ctx);
    ctx.store.read(|r| {
        let goals = table::goals(r, None)?
            .iter()
            .map(|g| progress::evaluate(r, g, &frame))
            .collect::<Result<_>>()?;
        Ok(Plan {
            positioning: table::positioning(r)?,
            segments: table::plan_segments(r)?,
            goals,
            day: frame.today.to_string(),
        })
    })
}

/// One goal evaluated for today.
pub fn goal(ctx: &Ctx, id: i64) -> Result<GoalProgress> {
    let frame = frame(ctx);
    ctx.store.read(|r| {
        let goal = table::get_goal(r, id)?.ok_or_else(|| Error::not_found("goal", id))?;
        progress::evaluate(r, &goal, &frame)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavePositioning {
    pub positioning: Positioning,
    pub segment_ids: Vec<i64>,
}

pub fn save_positioning(ctx: &Ctx, input: SavePositioning) -> Result<Plan> {
    let p = &input.positioning;
    let clean = Positioning {
        audience: text(&p.audience, "audience", MAX_TEXT, false)?,
        core_value: text(&p.core_value, "core_value", MAX_TEXT, false)?,
        tone: text(&p.tone, "tone", MAX_TEXT, false)?,
        rules_link: text(&p.rules_link, "rules_link", 500, false)?,
    };
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        table::set_positioning(w, &clean, &now)?;
        table::set_plan_segments(w, &input.segment_ids)
    })?;
    plan(ctx)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AddGoal {
    /// None: a goal of the plan.
    pub campaign_id: Option<i64>,
    pub metric: Metric,
    /// The name of a manual metric; optional for computed ones.
    pub label: String,
    pub target: f64,
    /// `YYYY-MM-DD`; default today (a campaign's goal: the campaign's first day).
    pub start_on: Option<String>,
    pub due_on: String,
}

/// Adds a goal; its baseline is captured now when it has started.
pub fn add_goal(ctx: &Ctx, input: AddGoal) -> Result<GoalProgress> {
    let frame = frame(ctx);
    let label = text(&input.label, "label", 100, input.metric == Metric::Manual)?;
    if !input.target.is_finite() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "the target is not a number").with_field("target"),
        );
    }
    let due = parse_day(&input.due_on, "due_on")?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let start = match (input.start_on.as_deref(), input.campaign_id) {
            (Some(s), _) if !s.trim().is_empty() => parse_day(s, "start_on")?,
            (_, Some(c)) => {
                let c = table::get(&w.read(), c, &frame.today.to_string())?
                    .ok_or_else(|| Error::not_found("campaign", c))?;
                parse_day(&c.starts_on, "start_on")?
            }
            _ => frame.today,
        };
        if due < start {
            return Err(
                Error::new(ErrorCode::InvalidInput, "the due day is before the start")
                    .with_field("due_on"),
            );
        }
        let mut goal = Goal {
            id: 0,
            campaign_id: input.campaign_id,
            metric: input.metric,
            label: label.clone(),
            baseline: None,
            target: input.target,
            start_on: start.to_string(),
            due_on: due.to_string(),
        };
        goal.baseline = progress::baseline_of(&w.read(), &goal, &frame)?;
        goal.id = table::insert_goal(w, &goal, &now)?;
        progress::evaluate(&w.read(), &goal, &frame)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateGoal {
    pub id: i64,
    /// Required for a manual metric.
    pub label: String,
    pub target: f64,
    pub due_on: String,
}

/// Changes a goal's label, target or due day (its metric, start and baseline stay: another
/// metric is another goal).
pub fn update_goal(ctx: &Ctx, input: UpdateGoal) -> Result<GoalProgress> {
    let frame = frame(ctx);
    if !input.target.is_finite() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "the target is not a number").with_field("target"),
        );
    }
    let due = parse_day(&input.due_on, "due_on")?;
    ctx.store.write(|w| {
        let mut goal = table::get_goal(&w.read(), input.id)?
            .ok_or_else(|| Error::not_found("goal", input.id))?;
        goal.label = text(&input.label, "label", 100, goal.metric == Metric::Manual)?;
        if due < parse_day(&goal.start_on, "start_on")? {
            return Err(
                Error::new(ErrorCode::InvalidInput, "the due day is before the start")
                    .with_field("due_on"),
            );
        }
        goal.target = input.target;
        goal.due_on = due.to_string();
        table::update_goal(w, &goal)?;
        progress::evaluate(&w.read(), &goal, &frame)
    })
}

pub fn delete_goal(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_goal(w, id)? {
            return Err(Error::not_found("goal", id));
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AddReading {
    pub goal_id: i64,
    /// `YYYY-MM-DD`; not in the future.
    pub day: String,
    pub value: f64,
    pub note: String,
}

/// A value of a manual metric, entered by hand for a day (a second one that day replaces it).
pub fn add_reading(ctx: &Ctx, input: AddReading) -> Result<GoalProgress> {
    let frame = frame(ctx);
    let day = parse_day(&input.day, "day")?;
    if day > frame.today {
        return Err(Error::new(
            ErrorCode::FutureDate,
            "a reading cannot be for a day to come",
        )
        .with_field("day"));
    }
    if !input.value.is_finite() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "the value is not a number").with_field("value"),
        );
    }
    let note = text(&input.note, "note", 500, false)?;
    ctx.store.write(|w| {
        let goal = table::get_goal(&w.read(), input.goal_id)?
            .ok_or_else(|| Error::not_found("goal", input.goal_id))?;
        if goal.metric != Metric::Manual {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "only a manual metric takes readings",
            )
            .with_field("goal_id"));
        }
        table::put_reading(w, goal.id, &day.to_string(), input.value, &note)?;
        progress::evaluate(&w.read(), &goal, &frame)
    })
}

/// A built-in plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PlanTemplate {
    /// The classic 社群运营方案: double the members in 12 months; at least one interaction per
    /// active member a day; at least three opinion leaders; cohesion as 90-day retention ≥ 40 %.
    Classic,
}

impl PlanTemplate {
    pub fn from_key(key: &str) -> Option<Self> {
        (key == "classic").then_some(PlanTemplate::Classic)
    }
}

/// The retention the classic plan aims for, in percent.
pub const CLASSIC_RETENTION_TARGET: f64 = 40.0;

/// Adds the template's goals to the plan, starting today and due in 12 months (a goal on the
/// same metric already in the plan is left as it is). Returns the plan.
pub fn apply_plan_template(ctx: &Ctx, template: PlanTemplate) -> Result<Plan> {
    let frame = frame(ctx);
    let today = frame.today;
    let due = today
        .checked_add_months(chrono::Months::new(12))
        .expect("a year ahead");
    let now = ctx.now_stamp();
    match template {
        PlanTemplate::Classic => ctx.store.write(|w| {
            let existing: Vec<Metric> = table::goals(&w.read(), None)?
                .into_iter()
                .map(|g| g.metric)
                .collect();
            let members = metrics::read(&w.read(), Metric::MemberCount, today, today, &frame)?
                .map_or(0.0, |m| m.value);
            let goals = [
                (Metric::MemberCount, (2.0 * members).max(1.0)),
                (Metric::InteractionsPerActive, 1.0),
                (Metric::OpinionLeaders, 3.0),
                (Metric::Retention90d, CLASSIC_RETENTION_TARGET),
            ];
            for (metric, target) in goals {
                if existing.contains(&metric) {
                    continue;
                }
                let mut goal = Goal {
                    id: 0,
                    campaign_id: None,
                    metric,
                    label: String::new(),
                    baseline: None,
                    target,
                    start_on: today.to_string(),
                    due_on: due.to_string(),
                };
                goal.baseline = progress::baseline_of(&w.read(), &goal, &frame)?;
                table::insert_goal(w, &goal, &now)?;
            }
            Ok(())
        })?,
    }
    plan(ctx)
}

/// The members behind a goal's value today, in id order.
pub fn goal_members(ctx: &Ctx, goal_id: i64) -> Result<Vec<i64>> {
    let frame = frame(ctx);
    ctx.store.read(|r| {
        let goal = table::get_goal(r, goal_id)?.ok_or_else(|| Error::not_found("goal", goal_id))?;
        let start = progress::parse_day(&goal.start_on).unwrap_or(frame.today);
        metrics::members(r, goal.metric, frame.today, start, &frame)
    })
}

/// A page of the members behind a goal's value today, in id order, with their names: what a
/// goal card's number opens. `limit` is 1 to [`crate::ops::dashboard::PAGE_MAX`].
pub fn goal_members_page(
    ctx: &Ctx,
    goal_id: i64,
    offset: u32,
    limit: u32,
) -> Result<crate::ops::dashboard::BehindPage> {
    use crate::ops::dashboard::{BehindMember, BehindPage, PAGE_MAX};
    if limit == 0 || limit > PAGE_MAX {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("a page lists 1 to {PAGE_MAX} members"),
        )
        .with_field("limit")
        .with_param("value", limit.to_string()));
    }
    let ids = goal_members(ctx, goal_id)?;
    let start = (offset as usize).min(ids.len());
    let end = (start + limit as usize).min(ids.len());
    let page = ctx.store.read(|r| members::by_ids(r, &ids[start..end]))?;
    Ok(BehindPage {
        total: ids.len() as u32,
        offset: start as u32,
        members: page
            .into_iter()
            .map(|m| BehindMember {
                id: m.id,
                display_name: m.display_name,
            })
            .collect(),
    })
}

/// The members behind a metric today (for metrics not in a goal; growth counts from today).
pub fn metric_members(ctx: &Ctx, metric: Metric) -> Result<Vec<i64>> {
    let frame = frame(ctx);
    ctx.store
        .read(|r| metrics::members(r, metric, frame.today, frame.today, &frame))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveGoalMembers {
    pub goal_id: i64,
    pub name: String,
}

/// Saves the members behind a goal's value today as a hand-picked segment.
pub fn save_goal_members(ctx: &Ctx, input: SaveGoalMembers) -> Result<crate::domain::Segment> {
    let ids = goal_members(ctx, input.goal_id)?;
    if ids.is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "no members are behind this number")
                .with_field("goal_id"),
        );
    }
    segments::save(
        ctx,
        SaveSegment {
            id: None,
            name: input.name,
            filter: Default::default(),
            members: ids,
            is_list: Some(true),
        },
    )
}

// ---------------------------------------------------------------- campaigns

fn campaign_row(draft: &CampaignDraft, status: CampaignStatus, id: i64) -> Result<CampaignRow> {
    let starts = parse_day(&draft.starts_on, "starts_on")?;
    let ends = parse_day(&draft.ends_on, "ends_on")?;
    if ends < starts {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "the campaign ends before it starts",
        )
        .with_field("ends_on"));
    }
    Ok(CampaignRow {
        id,
        name: text(&draft.name, "name", 200, true)?,
        goal: text(&draft.goal, "goal", MAX_TEXT, false)?,
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        channels: text(&draft.channels, "channels", 500, false)?,
        owner: text(&draft.owner, "owner", 100, false)?,
        status,
    })
}

pub fn list(ctx: &Ctx) -> Result<Vec<CampaignSummary>> {
    let today = ctx.clock.today().to_string();
    ctx.store.read(|r| table::list(r, &today))
}

/// Creates a campaign: running when it has started, planned otherwise.
pub fn create(ctx: &Ctx, draft: CampaignDraft) -> Result<Campaign> {
    let today = ctx.clock.today();
    let starts = parse_day(&draft.starts_on, "starts_on")?;
    let status = if starts <= today {
        CampaignStatus::Running
    } else {
        CampaignStatus::Planned
    };
    let row = campaign_row(&draft, status, 0)?;
    let now = ctx.now_stamp();
    let id = ctx.store.write(|w| table::insert_campaign(w, &row, &now))?;
    get(ctx, id)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateCampaign {
    pub id: i64,
    pub draft: CampaignDraft,
}

pub fn update(ctx: &Ctx, input: UpdateCampaign) -> Result<Campaign> {
    let now = ctx.now_stamp();
    let today = ctx.clock.today().to_string();
    ctx.store.write(|w| {
        let old = table::get(&w.read(), input.id, &today)?
            .ok_or_else(|| Error::not_found("campaign", input.id))?;
        let row = campaign_row(&input.draft, old.status, input.id)?;
        table::update_campaign(w, &row, &now)?;
        Ok(())
    })?;
    get(ctx, input.id)
}

/// Moves a campaign to another status. Starting it captures its goals' baselines (on their
/// start day); finishing it keeps each goal's value today with the retrospective.
pub fn set_status(ctx: &Ctx, id: i64, status: CampaignStatus) -> Result<Campaign> {
    let frame = frame(ctx);
    let now = ctx.now_stamp();
    let today = frame.today.to_string();
    ctx.store.write(|w| {
        let old =
            table::get(&w.read(), id, &today)?.ok_or_else(|| Error::not_found("campaign", id))?;
        let goals = table::goals(&w.read(), Some(id))?;
        for g in goals.iter().filter(|g| g.baseline.is_none()) {
            let b = progress::baseline_of(&w.read(), g, &frame)?;
            table::set_baseline(w, g.id, b)?;
        }
        if status == CampaignStatus::Finished {
            let mut numbers = Vec::new();
            for g in table::goals(&w.read(), Some(id))? {
                let p = progress::evaluate(&w.read(), &g, &frame)?;
                numbers.push(EndNumber {
                    goal_id: g.id,
                    metric: g.metric,
                    label: g.label.clone(),
                    baseline: p.goal.baseline,
                    target: g.target,
                    value: p.current,
                });
            }
            let json = serde_json::to_string(&numbers)
                .map_err(|e| Error::new(ErrorCode::Database, e.to_string()))?;
            table::set_finished(w, id, &today, &json, &now)?;
        } else {
            let row = CampaignRow {
                id,
                name: old.name,
                goal: old.goal,
                starts_on: old.starts_on,
                ends_on: old.ends_on,
                channels: old.channels,
                owner: old.owner,
                status,
            };
            table::update_campaign(w, &row, &now)?;
        }
        Ok(())
    })?;
    get(ctx, id)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveRetrospective {
    pub campaign_id: i64,
    pub what_worked: String,
    pub what_to_change: String,
}

pub fn save_retrospective(ctx: &Ctx, input: SaveRetrospective) -> Result<Campaign> {
    let worked = text(&input.what_worked, "what_worked", MAX_TEXT, false)?;
    let change = text(&input.what_to_change, "what_to_change", MAX_TEXT, false)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if !table::set_retrospective(w, input.campaign_id, &worked, &change, &now)? {
            return Err(Error::not_found("campaign", input.campaign_id));
        }
        Ok(())
    })?;
    get(ctx, input.campaign_id)
}

pub fn delete(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_campaign(w, id)? {
            return Err(Error::not_found("campaign", id));
        }
        Ok(())
    })
}

/// Everything on a campaign's page.
pub fn get(ctx: &Ctx, id: i64) -> Result<Campaign> {
    let frame = frame(ctx);
    let today = frame.today.to_string();
    ctx.store.read(|r| {
        let summary = table::get(r, id, &today)?.ok_or_else(|| Error::not_found("campaign", id))?;
        let goals = table::goals(r, Some(id))?
            .iter()
            .map(|g| progress::evaluate(r, g, &frame))
            .collect::<Result<_>>()?;
        let (what_worked, what_to_change, finished_on, end_numbers) = table::retrospective(r, id)?;
        let end_numbers = end_numbers
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let budget = budget_in(r, &summary, &frame)?;
        Ok(Campaign {
            goals,
            tasks: table::tasks_of(r, id)?,
            events: table::linked_events(r, id)?,
            content: table::content_items(r, id)?
                .into_iter()
                .filter_map(|(id, title, status, shown)| {
                    Some(CampaignContent {
                        id,
                        title,
                        status: ContentStatus::parse(&status)?,
                        day: shown
                            .and_then(|at| crate::ops::lifecycle::local_day(&at, frame.offset))
                            .map(|d| d.to_string()),
                    })
                })
                .collect(),
            segments: table::linked_segments(r, id)?,
            members: table::members(r, id)?,
            partners: table::campaign_partners(r, id)?,
            budget,
            retrospective: Retrospective {
                what_worked,
                what_to_change,
                finished_on,
                end_numbers,
            },
            summary,
        })
    })
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Event,
    Segment,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LinkCampaign {
    pub campaign_id: i64,
    pub kind: LinkKind,
    pub id: i64,
    /// False: take the link away.
    pub linked: bool,
}

/// Links an event or a segment to a campaign, or unlinks it.
pub fn link(ctx: &Ctx, input: LinkCampaign) -> Result<()> {
    let today = ctx.clock.today().to_string();
    ctx.store.write(|w| {
        table::get(&w.read(), input.campaign_id, &today)?
            .ok_or_else(|| Error::not_found("campaign", input.campaign_id))?;
        let t = match input.kind {
            LinkKind::Event => {
                events_table::get_event(&w.read(), input.id)?
                    .ok_or_else(|| Error::not_found("event", input.id))?;
                LinkTable::Events
            }
            LinkKind::Segment => {
                crate::store::segments::get(&w.read(), input.id)?;
                LinkTable::Segments
            }
        };
        if input.linked {
            table::link(w, t, input.campaign_id, input.id)?;
        } else {
            table::unlink(w, t, input.campaign_id, input.id)?;
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CampaignMembers {
    pub campaign_id: i64,
    pub member_ids: Vec<i64>,
}

/// Adds live members to a campaign; returns those newly added (the Undo removes exactly those).
pub fn add_members(ctx: &Ctx, input: CampaignMembers) -> Result<Vec<i64>> {
    let now = ctx.now_stamp();
    let today = ctx.clock.today().to_string();
    ctx.store.write(|w| {
        table::get(&w.read(), input.campaign_id, &today)?
            .ok_or_else(|| Error::not_found("campaign", input.campaign_id))?;
        table::add_members(w, input.campaign_id, &input.member_ids, &now)
    })
}

pub fn remove_members(ctx: &Ctx, input: CampaignMembers) -> Result<u32> {
    ctx.store
        .write(|w| table::remove_members(w, input.campaign_id, &input.member_ids))
}

// ---------------------------------------------------------------- tasks

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AddTask {
    pub campaign_id: i64,
    pub title: String,
    pub owner: TaskOwner,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub checklist: Vec<String>,
}

fn check_owner(r: &Read<'_>, owner: &TaskOwner) -> Result<()> {
    match owner {
        TaskOwner::Manager => Ok(()),
        TaskOwner::Member { member_id, .. } => members::get(r, *member_id)?
            .map(|_| ())
            .ok_or_else(|| Error::not_found("member", *member_id).with_field("owner")),
        TaskOwner::Partner { partner_id, .. } => table::get_partner(r, *partner_id)?
            .map(|_| ())
            .ok_or_else(|| Error::not_found("partner", *partner_id).with_field("owner")),
    }
}

pub(crate) fn add_task_in(w: &mut Write<'_>, input: &AddTask, now: &str) -> Result<i64> {
    let title = text(&input.title, "title", 200, true)?;
    let due = parse_day(&input.due_on, "due_on")?;
    check_owner(&w.read(), &input.owner)?;
    let id = table::insert_task(
        w,
        &TaskRow {
            campaign_id: input.campaign_id,
            title: &title,
            owner: &input.owner,
            due_on: &due.to_string(),
            status: TaskStatus::Todo,
        },
        now,
    )?;
    for item in &input.checklist {
        let item = text(item, "checklist", 200, false)?;
        if !item.is_empty() {
            table::add_check(w, id, &item)?;
        }
    }
    Ok(id)
}

fn campaign_exists(r: &Read<'_>, id: i64) -> Result<()> {
    table::get(r, id, "")?
        .map(|_| ())
        .ok_or_else(|| Error::not_found("campaign", id))
}

pub fn add_task(ctx: &Ctx, input: AddTask) -> Result<Task> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        campaign_exists(&w.read(), input.campaign_id)?;
        let id = add_task_in(w, &input, &now)?;
        table::get_task(&w.read(), id)?.ok_or_else(|| Error::not_found("task", id))
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateTask {
    pub id: i64,
    pub title: String,
    pub owner: TaskOwner,
    pub due_on: String,
}

pub fn update_task(ctx: &Ctx, input: UpdateTask) -> Result<Task> {
    let title = text(&input.title, "title", 200, true)?;
    let due = parse_day(&input.due_on, "due_on")?;
    ctx.store.write(|w| {
        check_owner(&w.read(), &input.owner)?;
        if !table::update_task(w, input.id, &title, &input.owner, &due.to_string())? {
            return Err(Error::not_found("task", input.id));
        }
        table::get_task(&w.read(), input.id)?.ok_or_else(|| Error::not_found("task", input.id))
    })
}

/// Sets a task's status (done stamps it; back to todo is the Undo).
pub fn set_task_status(ctx: &Ctx, id: i64, status: TaskStatus) -> Result<Task> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        if !table::set_task_status(w, id, status, &now)? {
            return Err(Error::not_found("task", id));
        }
        table::get_task(&w.read(), id)?.ok_or_else(|| Error::not_found("task", id))
    })
}

pub fn delete_task(ctx: &Ctx, id: i64) -> Result<()> {
    ctx.store.write(|w| {
        if !table::delete_task(w, id)? {
            return Err(Error::not_found("task", id));
        }
        Ok(())
    })
}

pub fn add_check(ctx: &Ctx, task_id: i64, item: &str) -> Result<Task> {
    let item = text(item, "checklist", 200, true)?;
    ctx.store.write(|w| {
        table::get_task(&w.read(), task_id)?.ok_or_else(|| Error::not_found("task", task_id))?;
        table::add_check(w, task_id, &item)?;
        table::get_task(&w.read(), task_id)?.ok_or_else(|| Error::not_found("task", task_id))
    })
}

pub fn set_check(ctx: &Ctx, item_id: i64, done: bool) -> Result<Task> {
    ctx.store.write(|w| {
        let task = table::set_check(w, item_id, done)?
            .ok_or_else(|| Error::not_found("checklist", item_id))?;
        table::get_task(&w.read(), task)?.ok_or_else(|| Error::not_found("task", task))
    })
}

/// Open tasks due on or before `due_before` (every task when None, done ones included).
pub fn tasks(ctx: &Ctx, due_before: Option<&str>) -> Result<Vec<Task>> {
    match due_before {
        Some(day) => {
            let day = parse_day(day, "due_before")?.to_string();
            ctx.store
                .read(|r| table::open_tasks(r, Some(&day), u32::MAX))
        }
        None => ctx.store.read(table::all_tasks),
    }
}

/// Open tasks due today or before, for Today (earliest first).
pub fn due_tasks(ctx: &Ctx, limit: u32) -> Result<Vec<Task>> {
    let today = ctx.clock.today().to_string();
    ctx.store
        .read(|r| table::open_tasks(r, Some(&today), limit))
}

// ---------------------------------------------------------------- partners

fn clean_partner(p: &PartnerDraft) -> Result<PartnerDraft> {
    let mut contributes = p.contributes.clone();
    contributes.sort_by_key(|c| c.key());
    contributes.dedup();
    Ok(PartnerDraft {
        organisation: text(&p.organisation, "organisation", 200, true)?,
        contact: text(&p.contact, "contact", 100, false)?,
        phone: text(&p.phone, "phone", 50, false)?,
        contributes,
        status: p.status,
        notes: text(&p.notes, "notes", MAX_TEXT, false)?,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavePartner {
    /// None: a new partner.
    pub id: Option<i64>,
    pub draft: PartnerDraft,
}

pub fn save_partner(ctx: &Ctx, input: SavePartner) -> Result<Partner> {
    let draft = clean_partner(&input.draft)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let id = match input.id {
            None => table::insert_partner(w, &draft, &now)?,
            Some(id) => {
                if !table::update_partner(w, id, &draft, &now)? {
                    return Err(Error::not_found("partner", id));
                }
                id
            }
        };
        table::get_partner(&w.read(), id)?.ok_or_else(|| Error::not_found("partner", id))
    })
}

pub fn partners(ctx: &Ctx) -> Result<Vec<Partner>> {
    ctx.store.read(table::partners)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LinkPartner {
    pub campaign_id: i64,
    pub partner_id: i64,
    /// What they bring to this campaign.
    pub note: String,
    /// False: take them off the campaign.
    pub linked: bool,
}

pub fn link_partner(ctx: &Ctx, input: LinkPartner) -> Result<()> {
    let note = text(&input.note, "note", 500, false)?;
    ctx.store.write(|w| {
        campaign_exists(&w.read(), input.campaign_id)?;
        table::get_partner(&w.read(), input.partner_id)?
            .ok_or_else(|| Error::not_found("partner", input.partner_id))?;
        if input.linked {
            table::link_partner(w, input.campaign_id, input.partner_id, &note)
        } else {
            table::unlink_partner(w, input.campaign_id, input.partner_id).map(|_| ())
        }
    })
}

/// Removes a partner: off every campaign, its tasks to the manager, its funding kept without a
/// partner. Returns what [`restore_partner`] needs to put all of it back.
pub fn delete_partner(ctx: &Ctx, id: i64) -> Result<RemovedPartner> {
    ctx.store.write(|w| {
        let p =
            table::get_partner(&w.read(), id)?.ok_or_else(|| Error::not_found("partner", id))?;
        let (links, tasks, funding) = table::partner_ties(&w.read(), id)?;
        table::delete_partner(w, id)?;
        Ok(RemovedPartner {
            id,
            draft: PartnerDraft {
                organisation: p.organisation,
                contact: p.contact,
                phone: p.phone,
                contributes: p.contributes,
                status: p.status,
                notes: p.notes,
            },
            links: links
                .into_iter()
                .map(|(campaign_id, note)| PartnerLinkBack { campaign_id, note })
                .collect(),
            tasks,
            funding,
        })
    })
}

/// Undoes [`delete_partner`]: the partner back (under its old id unless that was taken since),
/// on the campaigns that still exist, owning the tasks and funding that have not been given to
/// someone else meanwhile.
pub fn restore_partner(ctx: &Ctx, removed: RemovedPartner) -> Result<Partner> {
    let draft = clean_partner(&removed.draft)?;
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let id = table::reinsert_partner(w, removed.id, &draft, &now)?;
        for link in &removed.links {
            if table::get(&w.read(), link.campaign_id, "")?.is_some() {
                table::link_partner(w, link.campaign_id, id, &link.note)?;
            }
        }
        table::retie_partner(w, id, &removed.tasks, &removed.funding)?;
        table::get_partner(&w.read(), id)?.ok_or_else(|| Error::not_found("partner", id))
    })
}

// ---------------------------------------------------------------- money

fn currency(raw: &str) -> Result<String> {
    let c = raw.trim().to_ascii_uppercase();
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(Error::new(
            ErrorCode::InvalidInput,
            format!("“{raw}” is not a three-letter currency code"),
        )
        .with_field("currency"))
    }
}

fn amount(fen: i64, field: &str) -> Result<i64> {
    if fen < 0 {
        return Err(
            Error::new(ErrorCode::InvalidInput, "an amount cannot be negative").with_field(field),
        );
    }
    Ok(fen)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SaveBudgetLine {
    pub campaign_id: i64,
    /// None: a new line.
    pub id: Option<i64>,
    pub category: BudgetCategory,
    pub label: String,
    pub planned_fen: i64,
    pub actual_fen: i64,
    pub currency: String,
}

pub fn save_budget_line(ctx: &Ctx, input: SaveBudgetLine) -> Result<Budget> {
    let line = BudgetLine {
        id: input.id.unwrap_or(0),
        category: input.category,
        label: text(&input.label, "label", 200, false)?,
        planned_fen: amount(input.planned_fen, "planned_fen")?,
        actual_fen: amount(input.actual_fen, "actual_fen")?,
        currency: currency(&input.currency)?,
    };
    ctx.store.write(|w| {
        campaign_exists(&w.read(), input.campaign_id)?;
        match input.id {
            None => {
                table::insert_budget_line(w, input.campaign_id, &line)?;
            }
            Some(id) => {
                if !table::update_budget_line(w, &line)? {
                    return Err(Error::not_found("budget line", id));
                }
            }
        }
        Ok(())
    })?;
    budget(ctx, input.campaign_id)
}

pub fn delete_budget_line(ctx: &Ctx, campaign_id: i64, id: i64) -> Result<Budget> {
    ctx.store.write(|w| {
        if !table::delete_budget_line(w, id)? {
            return Err(Error::not_found("budget line", id));
        }
        Ok(())
    })?;
    budget(ctx, campaign_id)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AddFunding {
    pub campaign_id: i64,
    pub source: FundingSource,
    pub partner_id: Option<i64>,
    pub amount_fen: i64,
    pub currency: String,
    pub note: String,
}

pub fn add_funding(ctx: &Ctx, input: AddFunding) -> Result<Budget> {
    let f = Funding {
        id: 0,
        source: input.source,
        partner_id: input.partner_id,
        amount_fen: amount(input.amount_fen, "amount_fen")?,
        currency: currency(&input.currency)?,
        note: text(&input.note, "note", 500, false)?,
    };
    ctx.store.write(|w| {
        campaign_exists(&w.read(), input.campaign_id)?;
        if let Some(p) = f.partner_id {
            table::get_partner(&w.read(), p)?.ok_or_else(|| Error::not_found("partner", p))?;
        }
        table::insert_funding(w, input.campaign_id, &f)
    })?;
    budget(ctx, input.campaign_id)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateFunding {
    pub id: i64,
    pub funding: AddFunding,
}

/// Changes a funding row of a campaign (its source, partner, amount, currency or note).
pub fn update_funding(ctx: &Ctx, input: UpdateFunding) -> Result<Budget> {
    let f = Funding {
        id: input.id,
        source: input.funding.source,
        partner_id: input.funding.partner_id,
        amount_fen: amount(input.funding.amount_fen, "amount_fen")?,
        currency: currency(&input.funding.currency)?,
        note: text(&input.funding.note, "note", 500, false)?,
    };
    let campaign_id = input.funding.campaign_id;
    ctx.store.write(|w| {
        if let Some(p) = f.partner_id {
            table::get_partner(&w.read(), p)?.ok_or_else(|| Error::not_found("partner", p))?;
        }
        if !table::update_funding(w, campaign_id, &f)? {
            return Err(Error::not_found("funding", input.id));
        }
        Ok(())
    })?;
    budget(ctx, campaign_id)
}

pub fn delete_funding(ctx: &Ctx, campaign_id: i64, id: i64) -> Result<Budget> {
    ctx.store.write(|w| {
        if !table::delete_funding(w, id)? {
            return Err(Error::not_found("funding", id));
        }
        Ok(())
    })?;
    budget(ctx, campaign_id)
}

pub fn budget(ctx: &Ctx, campaign_id: i64) -> Result<Budget> {
    let frame = frame(ctx);
    ctx.store.read(|r| {
        let summary = table::get(r, campaign_id, &frame.today.to_string())?
            .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
        budget_in(r, &summary, &frame)
    })
}

/// `total / count`, rounded half away from zero to the fen, in integers only.
pub fn per_head(total_fen: i64, count: u32) -> Option<i64> {
    if count == 0 {
        return None;
    }
    let n = i64::from(count);
    Some((2 * total_fen + n).div_euclid(2 * n))
}

fn budget_in(r: &Read<'_>, c: &CampaignSummary, frame: &Frame) -> Result<Budget> {
    let lines = table::budget_lines(r, c.id)?;
    let funding = table::funding(r, c.id)?;
    let (new_members, active_members) = match (
        progress::parse_day(&c.starts_on),
        progress::parse_day(&c.ends_on),
    ) {
        (Some(start), Some(end)) if start <= frame.today => {
            let end = end.min(frame.today);
            let joined = metric_table::joined_count(
                r,
                Some(&start_stamp(frame, start)),
                &start_stamp(frame, end + Duration::days(1)),
            )?;
            (
                joined,
                crate::ops::dashboard::series::active(r, start, end)?,
            )
        }
        _ => (0, 0),
    };
    let mut currencies: Vec<String> = lines
        .iter()
        .map(|l| l.currency.clone())
        .chain(funding.iter().map(|f| f.currency.clone()))
        .collect();
    currencies.sort();
    currencies.dedup();
    let totals = currencies
        .into_iter()
        .map(|cur| {
            let of = |l: &&BudgetLine| l.currency == cur;
            let planned_fen: i64 = lines.iter().filter(of).map(|l| l.planned_fen).sum();
            let actual_fen: i64 = lines.iter().filter(of).map(|l| l.actual_fen).sum();
            let funded_fen: i64 = funding
                .iter()
                .filter(|f| f.currency == cur)
                .map(|f| f.amount_fen)
                .sum();
            MoneyTotal {
                per_new_member_fen: per_head(actual_fen, new_members),
                per_active_member_fen: per_head(actual_fen, active_members),
                currency: cur,
                planned_fen,
                actual_fen,
                funded_fen,
            }
        })
        .collect();
    Ok(Budget {
        lines,
        funding,
        totals,
        new_members,
        active_members,
    })
}

fn start_stamp(frame: &Frame, day: NaiveDate) -> String {
    use chrono::TimeZone;
    let local = day.and_hms_opt(0, 0, 0).expect("midnight");
    crate::clock::stamp(
        frame
            .offset
            .from_local_datetime(&local)
            .single()
            .expect("a fixed offset has no gaps")
            .with_timezone(&chrono::Utc),
    )
}

/// `12345` fen as `123.45`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

pub(crate) use member_data::MEMBER_DATA;

/// What a member's lifecycle does to campaign memberships and the tasks they own.
mod member_data {
    use crate::ops::consequences::{unaffected, Feature, MemberTable, MergeMoves, Rows};
    use crate::store::campaigns;

    /// Campaign memberships and task ownership go with the member kept by a merge (where both
    /// were in a campaign, the merged member keeps their own row) and come back with its undo;
    /// the trash keeps them (lists show live members only); erasing removes them (a task the
    /// erased member owned stays, held by the manager).
    pub(crate) const MEMBER_DATA: Feature = Feature {
        name: "campaigns",
        tables: &[
            MemberTable::new("campaign_members", Rows::Moved, Rows::Kept),
            MemberTable::new("task_owners", Rows::Moved, Rows::Kept),
        ],
        moves: Some(MergeMoves {
            move_rows: campaigns::move_on_merge,
            move_back: campaigns::unmove_on_merge,
        }),
        react: unaffected,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_head_rounds_half_away_in_whole_fen() {
        assert_eq!(per_head(1000, 3), Some(333));
        assert_eq!(per_head(1001, 2), Some(501));
        assert_eq!(per_head(999, 2), Some(500));
        assert_eq!(per_head(5, 0), None);
        assert_eq!(yuan(123_456), "1234.56");
        assert_eq!(yuan(5), "0.05");
    }
}
