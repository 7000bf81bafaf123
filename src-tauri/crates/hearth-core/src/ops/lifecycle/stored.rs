//! The stored stages: refreshing the members a write touched, the full recompute (once a day,
//! or when the rules change) and the demo's backfill of history.
//!
//! Deliberately absent: the rules themselves (`calc`) and what a member's panel shows
//! (`member`); this file only walks members and activities and writes the rows that changed.

use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;

use super::calc::{add_activity, Calc, DayTotal, Settled};
use crate::domain::{Cause, Stage};
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::lifecycle::{
    self as table, day_number, day_string, dense, live_of, LifecycleRow,
};
use crate::store::Write;

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
