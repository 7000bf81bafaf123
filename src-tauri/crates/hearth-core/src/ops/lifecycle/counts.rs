//! The community by stage: live members per stage (the dashboard and Today), and the members
//! slipping away (active, loyal or core, quiet for a while, not dormant yet).
//!
//! Deliberately absent: any writing; these are reads of the stored rows, with members added
//! since the last recompute assessed on the spot.

use serde::{Deserialize, Serialize};

use super::calc::Calc;
use super::member::assess_in;
use crate::domain::Stage;
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::engagement as points_table;
use crate::store::lifecycle::{self as table, day_number, day_string};

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
