//! The activity numbers of a window of local days, read from the rollups exactly as the
//! dashboards' tiles read them, for other features that measure the same things (the plan's goals
//! in `ops::campaigns`): one definition of DAU, WAU, MAU, interactions per active member per day
//! and points issued, one set of queries (`store::dashboard`).
//!
//! Every function takes the caller's `Read`, so a feature evaluating many numbers does it in one
//! read transaction. Days are local `NaiveDate`s, both ends included.

use chrono::{Duration, FixedOffset, NaiveDate, NaiveTime};

use crate::clock::stamp;
use crate::error::Result;
use crate::store::dashboard as table;
use crate::store::Read;

/// One day of `daily_totals`: counted members active that day, their live activities and the net
/// points those earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    pub day: NaiveDate,
    pub active: u32,
    pub activities: u64,
    pub points: i64,
}

/// The days of `from..=to` with at least one active member, oldest first.
pub fn daily(r: &Read<'_>, from: NaiveDate, to: NaiveDate) -> Result<Vec<DayTotals>> {
    Ok(table::daily(r, &from.to_string(), &to.to_string())?
        .into_iter()
        .filter_map(|(day, activities, active, points)| {
            Some(DayTotals {
                day: day.parse().ok()?,
                active: active as u32,
                activities: activities as u64,
                points,
            })
        })
        .collect())
}

/// DAU on `day`.
pub fn dau(r: &Read<'_>, day: NaiveDate) -> Result<u32> {
    Ok(daily(r, day, day)?.first().map_or(0, |d| d.active))
}

/// Distinct counted members active in `from..=to` (WAU over 7 days, MAU over 30).
pub fn active(r: &Read<'_>, from: NaiveDate, to: NaiveDate) -> Result<u32> {
    Ok(table::distinct_active(r, &from.to_string(), &to.to_string())? as u32)
}

/// The members of [`active`], in id order.
pub fn active_ids(r: &Read<'_>, from: NaiveDate, to: NaiveDate) -> Result<Vec<i64>> {
    table::active_ids(r, &from.to_string(), &to.to_string())
}

/// Live activities over the sum of DAU for the days of `days` in `from..=to` (0 when nobody was
/// active).
pub fn per_active_day(days: &[DayTotals], from: NaiveDate, to: NaiveDate) -> f64 {
    let (active, activities) = days
        .iter()
        .filter(|d| d.day >= from && d.day <= to)
        .fold((0u64, 0u64), |(a, n), d| {
            (a + u64::from(d.active), n + d.activities)
        });
    if active == 0 {
        0.0
    } else {
        activities as f64 / active as f64
    }
}

/// Points issued in `from..=to`: the net points of the days' live activities plus the manual
/// grants given in those local days (`offset` is the manager's zone).
pub fn points_issued(
    r: &Read<'_>,
    from: NaiveDate,
    to: NaiveDate,
    offset: FixedOffset,
) -> Result<i64> {
    let earned: i64 = daily(r, from, to)?.iter().map(|d| d.points).sum();
    let (a, b) = stamps(from, to, offset);
    let granted: i64 = table::grants(r, &a, &b)?.iter().map(|(_, p)| p).sum();
    Ok(earned + granted)
}

/// The UTC stamps of the first instant of `from` and of the day after `to`.
fn stamps(from: NaiveDate, to: NaiveDate, offset: FixedOffset) -> (String, String) {
    let start = |day: NaiveDate| {
        let local = day.and_time(NaiveTime::MIN);
        stamp((local - Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc())
    };
    (start(from), start(to + Duration::days(1)))
}
