//! One member's lifecycle: what their panel shows (stage, hold, opinion leader, active days,
//! history), and the manager's overrides of the stage and the opinion-leader flag, each with a
//! reason kept in the history.
//!
//! Deliberately absent: community-wide counts and lists (`counts`) and the recompute
//! (`stored`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calc::{add_activity, Assessment, Calc};
use super::stored::refresh_in;
use crate::domain::{Cause, Stage, StageChange};
use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::lifecycle::{self as table, day_number, day_string, LifecycleRow};
use crate::store::{Read, Write};

/// The manager's stage for a member, shown instead of the computed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageOverride {
    pub stage: Stage,
    pub reason: String,
    pub at: Option<String>,
}

/// A member's lifecycle as the member panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberLifecycle {
    pub member_id: i64,
    /// The stage everyone sees: the override if set, else the stored stage.
    pub stage: Stage,
    /// Promoted at once, demoted after the hold.
    pub stored_stage: Stage,
    /// What the rules give for today alone.
    pub computed_stage: Stage,
    /// `YYYY-MM-DD`: since when the stored stage has been what it is (`None` before the first
    /// assessment).
    pub since: Option<String>,
    /// `YYYY-MM-DD`: when the stored stage drops if nothing else happens.
    pub demotes_on: Option<String>,
    #[serde(rename = "override")]
    pub override_: Option<StageOverride>,
    /// The manager's flag if set, else the rule's.
    pub opinion_leader: bool,
    pub opinion_leader_computed: bool,
    pub opinion_leader_manual: Option<bool>,
    pub opinion_leader_reason: String,
    /// Voice activities in the opinion-leader window.
    pub voices: u32,
    /// Active days in the last 7 / 30 / 90 days.
    pub active_days: [u32; 3],
    pub last_active: Option<String>,
    /// Newest first.
    pub history: Vec<StageChange>,
}

/// A member's stored lifecycle, with what the rules give today (the same as the stored row once
/// today's recompute ran) and the history of changes.
pub fn show(ctx: &Ctx, member_id: i64) -> Result<MemberLifecycle> {
    let today = ctx.clock.today();
    ctx.store.read(|r| {
        let calc = Calc::new(table::rules(r)?, today);
        show_in(r, &calc, member_id)
    })
}

fn show_in(r: &Read<'_>, calc: &Calc, member_id: i64) -> Result<MemberLifecycle> {
    let (a, row) = assess_in(r, calc, member_id)?;
    let settled = calc.settle(member_id, row.as_ref(), &a);
    let new = settled.row;
    let hold = calc.rules.demotion_hold_days as i32;
    Ok(MemberLifecycle {
        member_id,
        stage: new.effective(),
        stored_stage: new.stage,
        computed_stage: new.computed_stage,
        since: row.as_ref().map(|_| day_string(new.since)),
        demotes_on: new.lower_since.map(|d| day_string(d + hold)),
        override_: new.override_stage.map(|stage| StageOverride {
            stage,
            reason: new.override_reason.clone(),
            at: new.override_at.clone(),
        }),
        opinion_leader: new.effective_leader(),
        opinion_leader_computed: new.opinion_leader,
        opinion_leader_manual: new.opinion_leader_manual,
        opinion_leader_reason: new.opinion_leader_reason.clone(),
        voices: a.voices,
        active_days: a.active_days,
        last_active: a.last_active.map(day_string),
        history: table::history(r, member_id)?,
    })
}

/// Assesses one live member from the database (read only), with their stored row.
pub(crate) fn assess_in(
    r: &Read<'_>,
    calc: &Calc,
    member_id: i64,
) -> Result<(Assessment, Option<LifecycleRow>)> {
    let joined =
        table::live_member(r, member_id)?.ok_or_else(|| Error::not_found("member", member_id))?;
    let mut days = Vec::new();
    table::member_activities(r, member_id, |day, kind| {
        add_activity(calc, &mut days, day, kind)
    })?;
    let a = calc.assess(joined, &days, &mut Vec::new());
    Ok((a, table::row(r, member_id)?))
}

/// The stage and opinion-leader flag everyone sees for a member, and whether the stage is the
/// manager's: the stored row's rules applied to the activities as they are now. That is the
/// stored stage whenever the row is current, and still right when a write has not refreshed it
/// yet (or for a member added since the last recompute). Returns (stage, opinion leader,
/// overridden).
pub(crate) fn effective_in(
    calc: &Calc,
    member_id: i64,
    a: &Assessment,
    row: Option<&LifecycleRow>,
) -> (Stage, bool, bool) {
    let s = calc.settle(member_id, row, a).row;
    (
        s.effective(),
        s.effective_leader(),
        s.override_stage.is_some(),
    )
}

pub(crate) fn calc_in(r: &Read<'_>, today: NaiveDate) -> Result<Calc> {
    Ok(Calc::new(table::rules(r)?, today))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetOverride {
    pub member_id: i64,
    /// `None` clears the override (the stored stage shows again).
    pub stage: Option<Stage>,
    /// Required to set; kept in the history.
    #[serde(default)]
    pub reason: String,
}

/// Sets or clears the manager's stage for a member. Setting needs a reason; both are recorded in
/// the history with it.
pub fn set_override(ctx: &Ctx, input: SetOverride) -> Result<MemberLifecycle> {
    let reason = crate::ops::reason(&input.reason, input.stage.is_some())?;
    let today = ctx.clock.today();
    let now = ctx.now_stamp();
    let id = input.member_id;
    ctx.store
        .write(|w| override_in(w, id, input.stage, &reason, today, &now))?;
    show(ctx, id)
}

/// [`set_override`] inside a write (the reason already checked).
pub(crate) fn override_in(
    w: &mut Write<'_>,
    id: i64,
    stage: Option<Stage>,
    reason: &str,
    today: NaiveDate,
    now: &str,
) -> Result<()> {
    let row = current_row(w, id, today, now)?;
    let day = day_number(today);
    match stage {
        Some(stage) => {
            table::set_override(w, id, Some(stage), reason, Some(now))?;
            table::insert_history(
                w,
                id,
                row.effective(),
                stage,
                day,
                Cause::Override,
                reason,
                now,
            )?;
        }
        None => {
            if let Some(was) = row.override_stage {
                table::set_override(w, id, None, "", None)?;
                table::insert_history(
                    w,
                    id,
                    was,
                    row.stage,
                    day,
                    Cause::OverrideCleared,
                    reason,
                    now,
                )?;
            }
        }
    }
    Ok(())
}

/// The member's row brought up to date (created if missing); not found for a member who is not
/// live.
fn current_row(w: &mut Write<'_>, id: i64, today: NaiveDate, now: &str) -> Result<LifecycleRow> {
    if table::live_member(&w.read(), id)?.is_none() {
        return Err(Error::not_found("member", id));
    }
    refresh_in(w, &[id], today, now)?;
    table::row(&w.read(), id)?.ok_or_else(|| Error::not_found("member", id))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetOpinionLeader {
    pub member_id: i64,
    /// `None` follows the rule again.
    pub opinion_leader: Option<bool>,
    /// Required to set.
    #[serde(default)]
    pub reason: String,
}

/// Marks a member as an opinion leader (or not) by hand, with a reason; `None` follows the rule.
pub fn set_opinion_leader(ctx: &Ctx, input: SetOpinionLeader) -> Result<MemberLifecycle> {
    let reason = crate::ops::reason(&input.reason, input.opinion_leader.is_some())?;
    let today = ctx.clock.today();
    let now = ctx.now_stamp();
    let id = input.member_id;
    ctx.store
        .write(|w| leader_in(w, id, input.opinion_leader, &reason, today, &now))?;
    show(ctx, id)
}

/// [`set_opinion_leader`] inside a write (the reason already checked).
pub(crate) fn leader_in(
    w: &mut Write<'_>,
    id: i64,
    flag: Option<bool>,
    reason: &str,
    today: NaiveDate,
    now: &str,
) -> Result<()> {
    current_row(w, id, today, now)?;
    let reason = if flag.is_some() { reason } else { "" };
    table::set_leader_manual(w, id, flag, reason)
}

/// A member's stage changes, newest first.
pub fn history(ctx: &Ctx, member_id: i64) -> Result<Vec<StageChange>> {
    ctx.store.read(|r| table::history(r, member_id))
}
