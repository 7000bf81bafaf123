//! Lifecycle stages, stored: new / active / loyal / core / dormant / churned plus an opinion-leader
//! flag, from rules the manager tunes (presence milestones in the spirit of the Orbit model, a
//! weight per activity kind).
//!
//! Everything is a pure function of the live activities, the member's joining day, the rules and
//! "today" from the clock passed in, so a recompute is idempotent and updating one member after a
//! quick log gives exactly what the full recompute would:
//!
//! - A day is *active* when the weights of its live activities add up to `day_weight`.
//! - The *computed* stage of a day comes from the active days in the 7 / 30 / 90 days ending on it
//!   (see [`Calc::stage_at`]).
//! - The *stored* stage is the highest computed stage of the last `demotion_hold_days + 1` days:
//!   a promotion shows at once, a lower stage only once it has lasted `demotion_hold_days` days.
//!   No state is carried from one run to the next, so a laptop closed for a month still gets the
//!   right stage on the first run (no "first seen lower" clock starting late).
//! - The manager's override wins while set; the opinion-leader flag likewise.
//! - A history row is written when the stage everyone sees changes (a promotion or demotion
//!   while no override is set), and for every override set or cleared, with its reason.
//!
//! Stages change with time alone (a quiet member becomes dormant), so the desktop shell runs the
//! full [`recompute`] once a day ([`recompute_if_stale`]); writes that add or void activities
//! refresh the members they touch in the same transaction ([`refresh_in`]). The stored rows feed
//! what needs the whole community at once (counts, the slipping list) and keep the history; a
//! member's own stage (panel, list pages) is the same function applied on the spot to the stored
//! row and the activities as they are, so it is the stored stage whenever the row is current and
//! never lags a write that did not refresh it.

use std::time::Instant;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::engagement as points_table;
use crate::store::lifecycle::{self as table, day_number, day_string, LifecycleRow};
use crate::store::{Read, Write};

pub use crate::store::lifecycle::{Cause, KindRule, Rules, Stage, StageChange};

/// Rules made ready for computing, for one "today".
pub(crate) struct Calc {
    rules: Rules,
    /// (key, weight, voice) of every kind; a handful, so a linear search beats hashing.
    kinds: Vec<(String, f64, bool)>,
    today: i32,
}

/// A member's activities summed per day, in day order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DayTotal {
    pub day: i32,
    pub weight: f64,
    pub voices: u32,
}

/// What the rules give for one member today.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assessment {
    /// The stored stage: the highest computed stage of the hold window.
    pub held: Stage,
    /// The same for yesterday: the stage a member without a stored row is taken to have had.
    pub baseline: Stage,
    /// Today's computed stage.
    pub computed: Stage,
    /// First day of the current run of days computed lower than `held`.
    pub lower_since: Option<i32>,
    pub leader: bool,
    /// Voice activities in the opinion-leader window.
    pub voices: u32,
    pub last_active: Option<i32>,
    /// Active days in the last 7 / 30 / 90 days.
    pub active_days: [u32; 3],
}

/// Sums activities (given in day order) per day, skipping kinds the rules do not know.
pub(crate) fn add_activity(calc: &Calc, days: &mut Vec<DayTotal>, day: i32, kind: &str) {
    let Some((weight, voice)) = calc.kind(kind) else {
        return;
    };
    match days.last_mut() {
        Some(last) if last.day == day => {
            last.weight += weight;
            last.voices += u32::from(voice);
        }
        _ => days.push(DayTotal {
            day,
            weight,
            voices: u32::from(voice),
        }),
    }
}

impl Calc {
    pub(crate) fn new(rules: Rules, today: NaiveDate) -> Calc {
        Calc::on_day(rules, day_number(today))
    }

    fn on_day(rules: Rules, today: i32) -> Calc {
        let kinds = rules
            .kinds
            .iter()
            .map(|k| (k.key.clone(), k.weight, k.voice))
            .collect();
        Calc {
            rules,
            kinds,
            today,
        }
    }

    fn kind(&self, key: &str) -> Option<(f64, bool)> {
        self.kinds
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, weight, voice)| (*weight, *voice))
    }

    /// The computed stage of day `d`, from the active days up to it (`active` is sorted and holds
    /// no day after `d`'s window end that matters: later days are ignored).
    pub(crate) fn stage_at(&self, joined: Option<i32>, active: &[i32], d: i32) -> Stage {
        let upto = active.partition_point(|&x| x <= d);
        let seen = &active[..upto];
        let count_from = |from: i32| (upto - seen.partition_point(|&x| x < from)) as u32;
        let days = [count_from(d - 6), count_from(d - 29), count_from(d - 89)];
        self.stage_for(joined, days, seen.last().copied(), d)
    }

    /// The computed stage from the three counts of active days (last 7 / 30 / 90 days, `d`
    /// included) and the last active day.
    pub(crate) fn stage_for(
        &self,
        joined: Option<i32>,
        [week, month, quarter]: [u32; 3],
        last_active: Option<i32>,
        d: i32,
    ) -> Stage {
        let r = &self.rules;
        if month >= r.core_month_days && quarter >= r.core_quarter_days {
            return Stage::Core;
        }
        if month >= r.loyal_month_days {
            return Stage::Loyal;
        }
        if week >= r.active_week_days || month >= r.active_month_days {
            return Stage::Active;
        }
        let recent_join = joined.is_some_and(|j| d - j <= r.new_days as i32);
        match last_active {
            _ if recent_join => Stage::New,
            Some(day) if d - day <= r.dormant_after_days as i32 => Stage::Active,
            Some(day) if d - day <= r.churned_after_days as i32 => Stage::Dormant,
            Some(_) => Stage::Churned,
            // Never active: quiet, not gone.
            None => Stage::Dormant,
        }
    }

    /// Assesses one member from their per-day totals. `active` is scratch space.
    pub(crate) fn assess(
        &self,
        joined: Option<i32>,
        days: &[DayTotal],
        active: &mut Vec<i32>,
    ) -> Assessment {
        let t = self.today;
        let r = &self.rules;
        let threshold = r.day_weight - 1e-9;
        active.clear();
        let mut voices = 0;
        let leader_from = t - r.leader_window_days as i32 + 1;
        for d in days.iter().filter(|d| d.day <= t) {
            if d.weight > 0.0 && d.weight >= threshold {
                active.push(d.day);
            }
            if d.day >= leader_from {
                voices += d.voices;
            }
        }
        let hold = r.demotion_hold_days as i32;
        // Computed stages of days t-hold-1 ..= t.
        let first = t - hold - 1;
        let stages: Vec<Stage> = (first..=t)
            .map(|d| self.stage_at(joined, active, d))
            .collect();
        let highest = |s: &[Stage]| {
            s.iter()
                .copied()
                .max_by_key(|s| s.rank())
                .unwrap_or(Stage::Dormant)
        };
        let n = stages.len();
        let held = highest(&stages[1..]);
        let baseline = highest(&stages[..n - 1]);
        let computed = stages[n - 1];
        let lower_since = (computed.rank() < held.rank()).then(|| {
            let last_high = stages[1..]
                .iter()
                .rposition(|s| s.rank() >= held.rank())
                .unwrap_or(0);
            first + 1 + last_high as i32 + 1
        });
        let count_from = |from: i32| active.iter().filter(|&&x| x >= from).count() as u32;
        Assessment {
            held,
            baseline,
            computed,
            lower_since,
            leader: voices >= r.leader_voices,
            voices,
            last_active: active.last().copied(),
            active_days: [count_from(t - 6), count_from(t - 29), count_from(t - 89)],
        }
    }

    /// The row the rules give, keeping what the manager set on the old one.
    fn settle(&self, member_id: i64, old: Option<&LifecycleRow>, a: &Assessment) -> Settled {
        let t = self.today;
        let before = old.map_or(a.baseline, |o| o.stage);
        let row = LifecycleRow {
            member_id,
            stage: a.held,
            since: match old {
                Some(o) if o.stage == a.held => o.since,
                _ => t,
            },
            lower_since: a.lower_since,
            computed_stage: a.computed,
            override_stage: old.and_then(|o| o.override_stage),
            override_reason: old.map(|o| o.override_reason.clone()).unwrap_or_default(),
            override_at: old.and_then(|o| o.override_at.clone()),
            opinion_leader: a.leader,
            opinion_leader_manual: old.and_then(|o| o.opinion_leader_manual),
            opinion_leader_reason: old
                .map(|o| o.opinion_leader_reason.clone())
                .unwrap_or_default(),
            last_active: a.last_active,
            computed_on: t,
        };
        let change = (before != a.held).then(|| {
            let cause = if a.held.rank() > before.rank() {
                Cause::Promotion
            } else {
                Cause::Demotion
            };
            (before, a.held, cause)
        });
        let same = old.is_some_and(|o| {
            o.stage == row.stage
                && o.since == row.since
                && o.lower_since == row.lower_since
                && o.computed_stage == row.computed_stage
                && o.opinion_leader == row.opinion_leader
                && o.last_active == row.last_active
        });
        Settled {
            exists: old.is_some(),
            // The stage everyone sees only changes when no override hides it.
            history: change.filter(|_| row.override_stage.is_none()),
            change: change.map(|(_, _, cause)| cause),
            fresh: old.is_some_and(|o| o.computed_on == t),
            same,
            row,
        }
    }
}

struct Settled {
    row: LifecycleRow,
    /// The member already has a stored row.
    exists: bool,
    /// The stored stage rose or fell.
    change: Option<Cause>,
    /// The history row to write (from, to, cause).
    history: Option<(Stage, Stage, Cause)>,
    /// Nothing the rules decide changed.
    same: bool,
    /// The old row was already written today.
    fresh: bool,
}

fn write_settled(w: &mut Write<'_>, s: &Settled, day: i32, now: &str) -> Result<()> {
    table::write_computed(w, &s.row, s.exists)?;
    if let Some((from, to, cause)) = s.history {
        table::insert_history(w, s.row.member_id, from, to, day, cause, "", now)?;
    }
    Ok(())
}

/// Brings the stored stages of these members up to date inside a write that added or voided
/// their activities (or moved them in a merge). Members in the trash or gone are skipped. Many
/// members with nearby ids (a bulk log) are done in one pass over their id range.
pub fn refresh_in(
    w: &mut Write<'_>,
    member_ids: &[i64],
    today: NaiveDate,
    now: &str,
) -> Result<()> {
    if member_ids.is_empty() {
        return Ok(());
    }
    let calc = Calc::new(table::rules(&w.read())?, today);
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if let Some(range) = dense(&ids) {
        let members = live_of(&w.read(), &ids)?;
        pass_over(w, &calc, members, range, true, now)?;
        return Ok(());
    }
    let (mut days, mut active) = (Vec::new(), Vec::new());
    for id in ids {
        let (joined, old) = {
            let r = w.read();
            let Some(joined) = table::live_member(&r, id)? else {
                continue;
            };
            days.clear();
            table::member_activities(&r, id, |day, kind| {
                add_activity(&calc, &mut days, day, kind)
            })?;
            (joined, table::row(&r, id)?)
        };
        let a = calc.assess(joined, &days, &mut active);
        let settled = calc.settle(id, old.as_ref(), &a);
        if !(settled.same && settled.fresh) {
            write_settled(w, &settled, calc.today, now)?;
        }
    }
    Ok(())
}

/// [`refresh_in`] for those of these members who already have a stored row (a merge and its undo:
/// members without one are assessed on the spot when shown, and an undone merge leaves no row
/// behind that was not there before).
pub(crate) fn refresh_stored_in(
    w: &mut Write<'_>,
    member_ids: &[i64],
    today: NaiveDate,
    now: &str,
) -> Result<()> {
    let mut stored = Vec::new();
    for &id in member_ids {
        if table::row(&w.read(), id)?.is_some() {
            stored.push(id);
        }
    }
    refresh_in(w, &stored, today, now)
}

/// The id range of sorted ids when they are many and close together (a range scan then beats a
/// lookup per id).
pub(crate) fn dense(ids: &[i64]) -> Option<(i64, i64)> {
    let (&lo, &hi) = (ids.first()?, ids.last()?);
    (ids.len() >= 32 && ((hi - lo) as u64) < ids.len() as u64 * 4).then_some((lo, hi))
}

/// The live ones of these sorted ids, with their joining days.
pub(crate) fn live_of(r: &Read<'_>, ids: &[i64]) -> Result<Vec<(i64, Option<i32>)>> {
    if let Some((lo, hi)) = dense(ids) {
        let mut all = table::live_members_between(r, lo, hi)?;
        all.retain(|(id, _)| ids.binary_search(id).is_ok());
        return Ok(all);
    }
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(joined) = table::live_member(r, id)? {
            out.push((id, joined));
        }
    }
    Ok(out)
}

/// What a full recompute did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecomputeReport {
    /// `YYYY-MM-DD`: the day computed for.
    pub day: String,
    /// Live members assessed.
    pub members: u32,
    /// Live activities read.
    pub activities: u64,
    /// Stored rows written (new or changed).
    pub written: u32,
    pub promoted: u32,
    pub demoted: u32,
    pub elapsed_ms: u64,
}

/// Recomputes every live member's stored stage and opinion-leader flag in one pass over the live
/// activities, writing only rows that changed, all in one transaction.
pub fn recompute(ctx: &Ctx) -> Result<RecomputeReport> {
    let today = ctx.clock.today();
    let now = ctx.now_stamp();
    ctx.store.write(|w| recompute_in(w, today, &now))
}

/// [`recompute`] unless it already ran today; what the desktop shell calls at start-up and then
/// hourly.
pub fn recompute_if_stale(ctx: &Ctx) -> Result<Option<RecomputeReport>> {
    let today = day_number(ctx.clock.today());
    if ctx.store.read(table::computed_on)? == Some(today) {
        return Ok(None);
    }
    recompute(ctx).map(Some)
}

/// Walks the members (in id order) alongside the activity scan, so each member is assessed once
/// with their activities, or with none.
struct Pass<'a> {
    calc: &'a Calc,
    /// Also rewrite unchanged rows not yet written today (a refresh marks its rows current).
    write_stale: bool,
    members: Vec<(i64, Option<i32>)>,
    next_member: usize,
    rows: Vec<LifecycleRow>,
    next_row: usize,
    active: Vec<i32>,
    out: Vec<Settled>,
    report: RecomputeReport,
}

impl Pass<'_> {
    /// Assesses every member before `id` (they have no activities) and then `id` with `days`.
    fn member(&mut self, id: i64, days: &[DayTotal]) {
        while let Some(&(m, joined)) = self.members.get(self.next_member) {
            if m > id {
                break;
            }
            self.next_member += 1;
            self.assess(m, joined, if m == id { days } else { &[] });
        }
    }

    fn assess(&mut self, id: i64, joined: Option<i32>, days: &[DayTotal]) {
        while self
            .rows
            .get(self.next_row)
            .is_some_and(|r| r.member_id < id)
        {
            self.next_row += 1;
        }
        let old = self.rows.get(self.next_row).filter(|r| r.member_id == id);
        let a = self.calc.assess(joined, days, &mut self.active);
        let settled = self.calc.settle(id, old, &a);
        self.report.members += 1;
        match settled.change {
            Some(Cause::Promotion) => self.report.promoted += 1,
            Some(Cause::Demotion) => self.report.demoted += 1,
            _ => {}
        }
        if !settled.same || (self.write_stale && !settled.fresh) {
            self.out.push(settled);
        }
    }
}

/// Assesses `members` (sorted, live, with their joining days) in one pass over the live
/// activities of the id range and writes the rows that changed.
fn pass_over(
    w: &mut Write<'_>,
    calc: &Calc,
    members: Vec<(i64, Option<i32>)>,
    (lo, hi): (i64, i64),
    write_stale: bool,
    now: &str,
) -> Result<RecomputeReport> {
    let rows = table::rows_between(&w.read(), lo, hi)?;
    let mut pass = Pass {
        calc,
        write_stale,
        members,
        next_member: 0,
        rows,
        next_row: 0,
        active: Vec::new(),
        out: Vec::new(),
        report: RecomputeReport {
            day: day_string(calc.today),
            ..Default::default()
        },
    };
    let mut days: Vec<DayTotal> = Vec::new();
    let mut current: Option<i64> = None;
    let activities = table::scan_activities(&w.read(), (lo, hi), |member_id, day, kind| {
        if current != Some(member_id) {
            if let Some(id) = current {
                pass.member(id, &days);
            }
            current = Some(member_id);
            days.clear();
        }
        add_activity(calc, &mut days, day, kind);
        Ok(())
    })?;
    if let Some(id) = current {
        pass.member(id, &days);
    }
    pass.member(i64::MAX, &[]);
    let Pass {
        out, mut report, ..
    } = pass;
    for settled in &out {
        write_settled(w, settled, calc.today, now)?;
    }
    report.activities = activities;
    report.written = out.len() as u32;
    Ok(report)
}

pub(crate) fn recompute_in(
    w: &mut Write<'_>,
    today: NaiveDate,
    now: &str,
) -> Result<RecomputeReport> {
    let started = Instant::now();
    let calc = Calc::new(table::rules(&w.read())?, today);
    let members = table::live_members(&w.read())?;
    let mut report = pass_over(w, &calc, members, (i64::MIN, i64::MAX), false, now)?;
    table::set_computed_on(w, calc.today)?;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Fills in stage history as if the rules had been applied every `step_days` from `from` to `to`
/// (for members with activities and no stored row yet), leaving their rows as of `to`; a
/// [`recompute_in`] for today then continues from there. The demo uses it so a fresh community
/// has a past.
pub(crate) fn backfill_in(
    w: &mut Write<'_>,
    from: NaiveDate,
    to: NaiveDate,
    step_days: u32,
    now: &str,
) -> Result<()> {
    let rules = table::rules(&w.read())?;
    let (first, last) = (day_number(from), day_number(to));
    let steps: Vec<Calc> = (first..=last)
        .step_by(step_days.max(1) as usize)
        .chain(std::iter::once(last))
        .map(|d| Calc::on_day(rules.clone(), d))
        .collect();
    let members: std::collections::HashMap<i64, Option<i32>> = {
        let r = w.read();
        let stored: std::collections::HashSet<i64> =
            table::all_rows(&r)?.iter().map(|r| r.member_id).collect();
        table::live_members(&r)?
            .into_iter()
            .filter(|(id, _)| !stored.contains(id))
            .collect()
    };
    // Each member's row as of `to`, and the changes on the way: (from, to, cause, day).
    type Replayed = (LifecycleRow, Vec<(Stage, Stage, Cause, i32)>);
    let mut out: Vec<Replayed> = Vec::new();
    let (mut days, mut active) = (Vec::new(), Vec::new());
    let mut current: Option<i64> = None;
    let mut finish = |id: i64, days: &[DayTotal], active: &mut Vec<i32>| {
        let Some(&joined) = members.get(&id) else {
            return;
        };
        let mut row: Option<LifecycleRow> = None;
        let mut history = Vec::new();
        for calc in &steps {
            let a = calc.assess(joined, days, active);
            let settled = calc.settle(id, row.as_ref(), &a);
            if let (Some(h), Some(_)) = (settled.history, &row) {
                history.push((h.0, h.1, h.2, calc.today));
            }
            row = Some(settled.row);
        }
        if let Some(row) = row {
            out.push((row, history));
        }
    };
    let calc = &steps[0];
    table::scan_activities(&w.read(), (i64::MIN, i64::MAX), |member_id, day, kind| {
        if current != Some(member_id) {
            if let Some(id) = current {
                finish(id, &days, &mut active);
            }
            current = Some(member_id);
            days.clear();
        }
        add_activity(calc, &mut days, day, kind);
        Ok(())
    })?;
    if let Some(id) = current {
        finish(id, &days, &mut active);
    }
    for (row, history) in &out {
        table::write_computed(w, row, false)?;
        for &(from, to, cause, day) in history {
            table::insert_history(w, row.member_id, from, to, day, cause, "", now)?;
        }
    }
    Ok(())
}

/// The rules, with every activity kind's weight and voice flag.
pub fn rules(ctx: &Ctx) -> Result<Rules> {
    ctx.store.read(table::rules)
}

/// Saves the rules and recomputes every stage with them at once, in the same transaction, so the
/// stored stages never disagree with the rules on screen.
pub fn set_rules(ctx: &Ctx, rules: Rules) -> Result<RecomputeReport> {
    validate(&rules)?;
    let today = ctx.clock.today();
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        table::save_rules(w, &rules, &now)?;
        recompute_in(w, today, &now)
    })
}

fn validate(r: &Rules) -> Result<()> {
    let range = |field: &str, value: u32, lo: u32, hi: u32| -> Result<()> {
        if (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{field} must be between {lo} and {hi}"),
            )
            .with_field(field)
            .with_param("value", value))
        }
    };
    range("active_week_days", r.active_week_days, 1, 7)?;
    range("active_month_days", r.active_month_days, 1, 30)?;
    range(
        "loyal_month_days",
        r.loyal_month_days,
        r.active_month_days,
        30,
    )?;
    range("core_month_days", r.core_month_days, r.loyal_month_days, 30)?;
    range(
        "core_quarter_days",
        r.core_quarter_days,
        r.core_month_days,
        90,
    )?;
    range("new_days", r.new_days, 1, 365)?;
    range("dormant_after_days", r.dormant_after_days, 1, 365)?;
    range(
        "churned_after_days",
        r.churned_after_days,
        r.dormant_after_days + 1,
        730,
    )?;
    range("demotion_hold_days", r.demotion_hold_days, 0, 90)?;
    range("leader_voices", r.leader_voices, 1, 1000)?;
    range("leader_window_days", r.leader_window_days, 1, 365)?;
    let weight = |field: &str, value: f64, lo: f64| -> Result<()> {
        if value.is_finite() && value >= lo && value <= 100.0 {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{field} must be a number from {lo} to 100"),
            )
            .with_field(field)
            .with_param("value", value))
        }
    };
    weight("day_weight", r.day_weight, 0.01)?;
    for kind in &r.kinds {
        weight("weight", kind.weight, 0.0).map_err(|e| e.with_param("kind", &kind.key))?;
    }
    Ok(())
}

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

/// Live members per stage everyone sees, for the dashboard and Today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageCounts {
    pub new: u32,
    pub active: u32,
    pub loyal: u32,
    pub core: u32,
    pub dormant: u32,
    pub churned: u32,
    pub opinion_leaders: u32,
    /// Members whose stage the manager set.
    pub overridden: u32,
    /// `YYYY-MM-DD` of the last full recompute.
    pub computed_on: Option<String>,
}

impl StageCounts {
    fn add(&mut self, stage: Stage, n: u32) {
        *match stage {
            Stage::New => &mut self.new,
            Stage::Active => &mut self.active,
            Stage::Loyal => &mut self.loyal,
            Stage::Core => &mut self.core,
            Stage::Dormant => &mut self.dormant,
            Stage::Churned => &mut self.churned,
        } += n;
    }
}

/// Members per stage: the stored stages (as of the last recompute or refresh), plus members added
/// since, assessed on the spot.
pub fn counts(ctx: &Ctx) -> Result<StageCounts> {
    let today = ctx.clock.today();
    ctx.store.read(|r| {
        let stored = table::counts(r)?;
        let mut out = StageCounts {
            opinion_leaders: stored.leaders,
            overridden: stored.overridden,
            computed_on: table::computed_on(r)?.map(day_string),
            ..Default::default()
        };
        for (stage, n) in stored.per_stage {
            out.add(stage, n);
        }
        let calc = Calc::new(table::rules(r)?, today);
        for id in table::unassessed(r)? {
            let (a, _) = assess_in(r, &calc, id)?;
            out.add(a.held, 1);
            out.opinion_leaders += u32::from(a.leader);
        }
        Ok(out)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Slipping {
    /// Quiet for more than this many days …
    pub days: u32,
    /// … at most this many members (1–500).
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SlippingMember {
    pub member_id: i64,
    pub display_name: String,
    pub stage: Stage,
    /// `YYYY-MM-DD`.
    pub last_active: String,
    pub quiet_days: u32,
    pub points: i64,
}

/// Active, loyal and core members (the stage everyone sees) whose last active day is more than
/// `days` ago but who are not dormant yet: the ones to reach out to before they drift. Core first,
/// then loyal, then active; the most points first within a stage.
pub fn slipping(ctx: &Ctx, input: Slipping) -> Result<Vec<SlippingMember>> {
    let today = day_number(ctx.clock.today());
    ctx.store.read(|r| {
        let rules = table::rules(r)?;
        let from = today - rules.dormant_after_days as i32;
        let to = today - input.days as i32 - 1;
        if to < from {
            return Ok(Vec::new());
        }
        let mut candidates: Vec<_> = table::last_active_between(r, from, to)?
            .into_iter()
            .filter(|(_, _, stage, _)| matches!(stage, Stage::Active | Stage::Loyal | Stage::Core))
            .collect();
        // Points only for the stages that fill the list (core first, then loyal, then active).
        candidates.sort_by_key(|c| std::cmp::Reverse(c.2.rank()));
        let limit = input.limit.clamp(1, 500) as usize;
        if let Some(last) = candidates.get(limit - 1).map(|c| c.2.rank()) {
            candidates.retain(|c| c.2.rank() >= last);
        }
        let ids: Vec<i64> = candidates.iter().map(|c| c.0).collect();
        let points = points_table::balances(r, &ids)?;
        let mut out: Vec<SlippingMember> = candidates
            .into_iter()
            .map(|(member_id, display_name, stage, last)| SlippingMember {
                member_id,
                display_name,
                stage,
                last_active: day_string(last),
                quiet_days: (today - last) as u32,
                points: points.get(&member_id).copied().unwrap_or(0),
            })
            .collect();
        out.sort_by(|a, b| {
            b.stage
                .rank()
                .cmp(&a.stage.rank())
                .then(b.points.cmp(&a.points))
                .then(a.member_id.cmp(&b.member_id))
        });
        out.truncate(limit);
        Ok(out)
    })
}

/// "Today" of a write that only knows its timestamp and the manager's offset.
pub(crate) fn local_day(now: &str, offset: FixedOffset) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(now)
        .ok()
        .map(|t| t.with_timezone(&Utc).with_timezone(&offset).date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calc(today: i32) -> Calc {
        let rules = Rules {
            kinds: vec![
                KindRule {
                    key: "spoke".into(),
                    name_zh: String::new(),
                    name_en: String::new(),
                    weight: 1.0,
                    voice: false,
                },
                KindRule {
                    key: "answered".into(),
                    name_zh: String::new(),
                    name_en: String::new(),
                    weight: 2.0,
                    voice: true,
                },
                KindRule {
                    key: "liked".into(),
                    name_zh: String::new(),
                    name_en: String::new(),
                    weight: 0.0,
                    voice: false,
                },
            ],
            ..Rules::default()
        };
        Calc::on_day(rules, today)
    }

    fn days(calc: &Calc, list: &[(i32, &str)]) -> Vec<DayTotal> {
        let mut out = Vec::new();
        for (day, kind) in list {
            add_activity(calc, &mut out, *day, kind);
        }
        out
    }

    #[test]
    fn a_lower_stage_shows_only_after_the_hold() {
        let t = 1000;
        let c = calc(t);
        // Spoke on t-35 ..= t-28. Loyal (7 of the last 30 days) up to t-5, when t-34 ..= t-28
        // are still in the window; active (last active within 30 days) from t-4.
        let list: Vec<(i32, &str)> = (28..=35).rev().map(|d| (t - d, "spoke")).collect();
        let active: Vec<i32> = list.iter().map(|(d, _)| *d).collect();
        assert_eq!(c.stage_at(None, &active, t - 5), Stage::Loyal);
        assert_eq!(c.stage_at(None, &active, t - 4), Stage::Active);
        let a = c.assess(None, &days(&c, &list), &mut Vec::new());
        assert_eq!((a.computed, a.held), (Stage::Active, Stage::Loyal));
        assert_eq!(a.lower_since, Some(t - 4));
        assert_eq!(a.active_days, [0, 2, 8]);
        assert_eq!(a.last_active, Some(t - 28));
        // 14 days after t-4 the loyal day has left the window.
        let c = calc(t + 10);
        let a = c.assess(None, &days(&c, &list), &mut Vec::new());
        assert_eq!((a.held, a.baseline), (Stage::Active, Stage::Loyal));
    }

    #[test]
    fn weight_zero_never_makes_a_day_active_and_voices_count() {
        let t = 1000;
        let c = calc(t);
        let list: Vec<(i32, &str)> = (0..10).map(|d| (t - d, "liked")).collect();
        let a = c.assess(Some(t - 400), &days(&c, &list), &mut Vec::new());
        assert_eq!((a.last_active, a.held), (None, Stage::Dormant));
        let list: Vec<(i32, &str)> = (0..8).map(|d| (t - d * 10, "answered")).collect();
        let a = c.assess(Some(t - 400), &days(&c, &list), &mut Vec::new());
        assert!(a.leader);
        assert_eq!(a.voices, 8);
    }
}
