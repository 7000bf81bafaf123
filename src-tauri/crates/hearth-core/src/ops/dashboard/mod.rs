//! Dashboards: the community's numbers over a date range (growth, active members, lifecycle,
//! retention cohorts, event participation, points), each with the members behind it, read from
//! the rollups (`store::rollups`) and indexes, never from a scan of members or activities.
//!
//! This module owns the rollups' member-level upkeep (the `rollups` feature registered in
//! `ops::consequences`) and their rebuild; the activity-level upkeep is in `store::engagement`,
//! the one place activities and activity points are written. Charts are drawn by `charts`.

mod behind;
mod charts;
mod member_data;
mod metrics;
mod report;
pub(crate) mod series;

pub use behind::{
    members_page, save_members, BehindMember, BehindPage, BehindQuery, SaveDrillMembers, PAGE_MAX,
};
pub use charts::{chart, draw, export as export_chart, ChartRequest, ChartSvg, CHARTS};

pub use metrics::{
    members_behind, members_behind_in, metrics, metrics_of, MetricsQuery, Tile, TOP,
};
pub use report::{monthly_report, MonthlyReported};

pub(crate) use member_data::ROLLUPS;

use serde::Serialize;

use crate::error::Result;
use crate::ops::Ctx;
use crate::store::rollups;

/// What a rebuild of the rollups found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rebuilt {
    /// Rows of `member_days`, `daily_totals` and `member_totals` that differed from the ledger
    /// before the rebuild
    /// (a changed row counts twice: the stored one and the right one). 0 when all was well.
    pub rows_off: u32,
    pub member_days: u32,
    pub days: u32,
}

/// Recomputes the rollups from the activities ledger in one transaction.
pub fn rebuild(ctx: &Ctx) -> Result<Rebuilt> {
    ctx.store.write(|w| {
        let off = rollups::rebuild(w)?;
        let stored = rollups::stored(&w.read())?;
        Ok(Rebuilt {
            rows_off: off as u32,
            member_days: stored.member_days.len() as u32,
            days: stored.days.len() as u32,
        })
    })
}

/// Whether the stored rollups equal a from-scratch computation (nothing is written).
pub fn rollups_agree(ctx: &Ctx) -> Result<bool> {
    ctx.store
        .read(|r| Ok(rollups::stored(r)? == rollups::computed(r)?))
}
