//! Every tile's numbers for a range of local days, and the members behind any of them.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::domain::{
    ActivityStats, Cohort, Contributor, DayActivity, Drill, Funnel, Growth, GrowthBucket, Metrics,
    Participation, PointsStats, Stage, StageCount, StageMove, Summary,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::dashboard as table;
use crate::store::Read;

/// Which days to measure: local `YYYY-MM-DD`, both ends included. Without them: the 30 days
/// ending today.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MetricsQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Also the key numbers of the period of the same length just before.
    #[serde(default)]
    pub compare: bool,
}

/// How many contributors the top list shows.
pub const TOP: u32 = 10;

/// A resolved range of local days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Range {
    pub(crate) fn of(ctx: &Ctx, from: Option<&str>, to: Option<&str>) -> Result<Range> {
        let day = |s: Option<&str>, field: &str| -> Result<Option<NaiveDate>> {
            s.map(|s| {
                NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                    Error::new(
                        ErrorCode::InvalidInput,
                        format!("“{s}” is not a YYYY-MM-DD day"),
                    )
                    .with_field(field)
                    .with_param("value", s)
                })
            })
            .transpose()
        };
        let to = day(to, "to")?.unwrap_or_else(|| ctx.clock.today());
        let from = day(from, "from")?.unwrap_or(to - Duration::days(29));
        if from > to {
            return Err(
                Error::new(ErrorCode::InvalidInput, "the range ends before it starts")
                    .with_field("from"),
            );
        }
        if (to - from).num_days() > 3660 {
            return Err(
                Error::new(ErrorCode::InvalidInput, "a range is at most ten years")
                    .with_field("from"),
            );
        }
        Ok(Range { from, to })
    }

    fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    fn previous(self) -> Range {
        let n = self.days();
        Range {
            from: self.from - Duration::days(n),
            to: self.from - Duration::days(1),
        }
    }

    fn text(self) -> (String, String) {
        (self.from.to_string(), self.to.to_string())
    }

    /// The UTC stamps of the first instant of `from` and of the day after `to`.
    fn stamps(self, offset: FixedOffset) -> (String, String) {
        (
            start_of(self.from, offset),
            start_of(self.to + Duration::days(1), offset),
        )
    }
}

fn start_of(day: NaiveDate, offset: FixedOffset) -> String {
    let local = day.and_time(NaiveTime::MIN);
    stamp((local - Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc())
}

/// The tiles of the dashboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Tile {
    Growth,
    Activity,
    Lifecycle,
    Cohorts,
    Events,
    Points,
    Top,
}

impl Tile {
    pub const ALL: [Tile; 7] = [
        Tile::Growth,
        Tile::Activity,
        Tile::Lifecycle,
        Tile::Cohorts,
        Tile::Events,
        Tile::Points,
        Tile::Top,
    ];
}

/// Every tile's numbers.
pub fn metrics(ctx: &Ctx, query: MetricsQuery) -> Result<Metrics> {
    metrics_of(ctx, query, &Tile::ALL)
}

/// The numbers of some tiles (the others are left empty): one tile refreshed alone.
pub fn metrics_of(ctx: &Ctx, query: MetricsQuery, tiles: &[Tile]) -> Result<Metrics> {
    let range = Range::of(ctx, query.from.as_deref(), query.to.as_deref())?;
    let (offset, now) = (ctx.clock.utc_offset(), ctx.now_stamp());
    let has = |t: Tile| tiles.contains(&t);
    ctx.store.read(|r| {
        let (from, to) = range.text();
        let previous = if query.compare {
            Some(summary_in(r, range.previous(), offset, &now)?)
        } else {
            None
        };
        Ok(Metrics {
            growth: if has(Tile::Growth) {
                growth_in(r, range, offset)?
            } else {
                Growth::default()
            },
            activity: if has(Tile::Activity) {
                activity_in(r, range)?
            } else {
                ActivityStats::default()
            },
            lifecycle: if has(Tile::Lifecycle) {
                funnel_in(r, range)?
            } else {
                Funnel::default()
            },
            cohorts: if has(Tile::Cohorts) {
                cohorts_in(r, range)?
            } else {
                Vec::new()
            },
            events: if has(Tile::Events) {
                participation_in(r, range, offset, &now)?
            } else {
                Participation::default()
            },
            points: if has(Tile::Points) {
                points_in(r, range, offset)?
            } else {
                PointsStats::default()
            },
            top: if has(Tile::Top) {
                table::top(r, &from, &to, TOP)?
                    .into_iter()
                    .map(|(member_id, display_name, n, points)| Contributor {
                        member_id,
                        display_name,
                        activities: n as u32,
                        points,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            previous,
            from,
            to,
        })
    })
}

fn growth_in(r: &Read<'_>, range: Range, offset: FixedOffset) -> Result<Growth> {
    let (from, to) = range.text();
    let joined: BTreeMap<NaiveDate, u32> = table::joined_per_day(r, &from, &to)?
        .into_iter()
        .filter_map(|(d, n)| Some((d.parse().ok()?, n as u32)))
        .collect();
    let (a, b) = range.stamps(offset);
    let mut left: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for (_, at) in table::trashed(r, &a, &b)? {
        if let Some(day) = crate::ops::lifecycle::local_day(&at, offset) {
            *left.entry(day).or_default() += 1;
        }
    }
    let bucket = |from: NaiveDate, to: NaiveDate| {
        let new: u32 = joined.range(from..=to).map(|(_, n)| n).sum();
        let gone: u32 = left.range(from..=to).map(|(_, n)| n).sum();
        GrowthBucket {
            from: from.to_string(),
            to: to.to_string(),
            new,
            left: gone,
            net: i64::from(new) - i64::from(gone),
        }
    };
    let members_start = table::members_before(r, &from)? as u32;
    let new: u32 = joined.values().sum();
    let gone: u32 = left.values().sum();
    Ok(Growth {
        members_start,
        members_end: members_start + new,
        new,
        left: gone,
        net: i64::from(new) - i64::from(gone),
        weeks: buckets(range, |d| {
            d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
        })
        .map(|(a, b)| bucket(a, b))
        .collect(),
        months: buckets(range, |d| d.with_day(1).unwrap_or(d))
            .map(|(a, b)| bucket(a, b))
            .collect(),
    })
}

/// Consecutive (first, last) days of the periods that `start` maps each day to, clipped to the
/// range.
fn buckets(
    range: Range,
    start: impl Fn(NaiveDate) -> NaiveDate,
) -> impl Iterator<Item = (NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut day = range.from;
    while day <= range.to {
        match out.last_mut() {
            Some(last) if start(day) == start(last.1) => last.1 = day,
            _ => out.push((day, day)),
        }
        day += Duration::days(1);
    }
    out.into_iter()
}

fn activity_in(r: &Read<'_>, range: Range) -> Result<ActivityStats> {
    let (from, to) = range.text();
    // The 30 days ending on the last day feed stickiness even when the range is shorter.
    let month_from = (range.to - Duration::days(29)).to_string();
    let first = month_from.clone().min(from.clone());
    let rows = table::daily(r, &first, &to)?;
    let by_day: HashMap<&str, (i64, i64)> = rows
        .iter()
        .map(|(d, n, active, _)| (d.as_str(), (*n, *active)))
        .collect();
    let mut days = Vec::with_capacity(range.days() as usize);
    let mut day = range.from;
    while day <= range.to {
        let key = day.to_string();
        let (n, active) = by_day.get(key.as_str()).copied().unwrap_or((0, 0));
        days.push(DayActivity {
            day: key,
            active: active as u32,
            activities: n as u32,
        });
        day += Duration::days(1);
    }
    let activities: u32 = days.iter().map(|d| d.activities).sum();
    let dau_sum: u32 = days.iter().map(|d| d.active).sum();
    let month_dau: i64 = rows
        .iter()
        .filter(|(d, ..)| *d >= month_from)
        .map(|(_, _, active, _)| active)
        .sum();
    let mau = table::distinct_active(r, &month_from, &to)? as u32;
    let week_from = (range.to - Duration::days(6)).to_string();
    Ok(ActivityStats {
        dau: days.last().map_or(0, |d| d.active),
        wau: table::distinct_active(r, &week_from, &to)? as u32,
        mau,
        stickiness: if mau == 0 {
            0.0
        } else {
            month_dau as f64 / 30.0 / f64::from(mau)
        },
        active: table::distinct_active(r, &from, &to)? as u32,
        activities,
        per_active_day: if dau_sum == 0 {
            0.0
        } else {
            f64::from(activities) / f64::from(dau_sum)
        },
        days,
    })
}

fn funnel_in(r: &Read<'_>, range: Range) -> Result<Funnel> {
    let (from, to) = range.text();
    let counts: HashMap<Stage, u32> = table::stages(r)?
        .into_iter()
        .filter_map(|(s, n)| Some((Stage::parse(&s)?, n as u32)))
        .collect();
    let mut moves: BTreeMap<(String, &'static str, &'static str), (Stage, Stage, u32)> =
        BTreeMap::new();
    for (_, month, a, b) in table::moves(r, &from, &to)? {
        if let (Some(a), Some(b)) = (Stage::parse(&a), Stage::parse(&b)) {
            moves
                .entry((month, a.as_str(), b.as_str()))
                .or_insert((a, b, 0))
                .2 += 1;
        }
    }
    Ok(Funnel {
        stages: Stage::ALL
            .iter()
            .map(|&stage| StageCount {
                stage,
                members: counts.get(&stage).copied().unwrap_or(0),
            })
            .collect(),
        moves: moves
            .into_iter()
            .map(|((month, ..), (from, to, members))| StageMove {
                month,
                from,
                to,
                members,
            })
            .collect(),
    })
}

/// Months between two `YYYY-MM` texts (b − a).
fn months_between(a: &str, b: &str) -> Option<i64> {
    let p = |s: &str| -> Option<i64> {
        let (y, m) = s.split_once('-')?;
        Some(y.parse::<i64>().ok()? * 12 + m.parse::<i64>().ok()? - 1)
    };
    Some(p(b)? - p(a)?)
}

fn cohorts_in(r: &Read<'_>, range: Range) -> Result<Vec<Cohort>> {
    let (from, to) = range.text();
    let last = &to[..7];
    let mut out: BTreeMap<String, Cohort> = BTreeMap::new();
    for (month, active, n) in table::cohorts(r, &from, &to)? {
        let c = out.entry(month.clone()).or_insert_with(|| Cohort {
            active: vec![0; months_between(&month, last).map_or(0, |k| k.max(0) as usize + 1)],
            month: month.clone(),
            size: 0,
        });
        if active.is_empty() {
            c.size = n as u32;
        } else if let Some(k) = months_between(&month, &active) {
            if let Some(cell) = c.active.get_mut(k as usize) {
                *cell = n as u32;
            }
        }
    }
    Ok(out.into_values().collect())
}

fn participation_in(
    r: &Read<'_>,
    range: Range,
    offset: FixedOffset,
    now: &str,
) -> Result<Participation> {
    let (a, b) = range.stamps(offset);
    let mut p = Participation::default();
    for (_, over, status, n) in table::registrations(r, &a, &b, now)? {
        let n = n as u32;
        let counted = !matches!(status.as_str(), "cancelled" | "waitlist");
        let came = matches!(status.as_str(), "attended" | "walk_in");
        if counted {
            p.registered += n;
            if came {
                p.attended += n;
            }
            if over {
                p.registered_past += n;
                if !came {
                    p.no_show += n;
                }
            }
        }
    }
    // Events without a registration are held too.
    p.held = table::events_held(r, &a, &b)?;
    if p.registered_past > 0 {
        let base = f64::from(p.registered_past);
        p.no_show_rate = Some(f64::from(p.no_show) / base);
        p.attendance_rate = Some(f64::from(p.registered_past - p.no_show) / base);
    }
    Ok(p)
}

fn points_in(r: &Read<'_>, range: Range, offset: FixedOffset) -> Result<PointsStats> {
    let (from, to) = range.text();
    let (a, b) = range.stamps(offset);
    let from_activities: i64 = table::daily(r, &from, &to)?
        .iter()
        .map(|(.., points)| points)
        .sum();
    let granted: i64 = table::grants(r, &a, &b)?.iter().map(|(_, p)| p).sum();
    let credit = table::credit(r, &a, &b)?;
    Ok(PointsStats {
        issued: from_activities + granted,
        from_activities,
        granted,
        credit_deducted: credit.iter().map(|(_, p)| p).sum(),
        credit_entries: credit.len() as u32,
    })
}

fn summary_in(r: &Read<'_>, range: Range, offset: FixedOffset, now: &str) -> Result<Summary> {
    let growth = growth_in(r, range, offset)?;
    let activity = activity_in(r, range)?;
    let (from, to) = range.text();
    Ok(Summary {
        new: growth.new,
        left: growth.left,
        dau: activity.dau,
        wau: activity.wau,
        mau: activity.mau,
        active: activity.active,
        activities: activity.activities,
        points_issued: points_in(r, range, offset)?.issued,
        attended: participation_in(r, range, offset, now)?.attended,
        from,
        to,
    })
}

/// The members behind a number, in id order.
pub fn members_behind(ctx: &Ctx, drill: Drill) -> Result<Vec<i64>> {
    let (offset, now) = (ctx.clock.utc_offset(), ctx.now_stamp());
    let range = |from: &str, to: &str| Range::of(ctx, Some(from), Some(to));
    ctx.store.read(|r| match &drill {
        Drill::New { from, to } => {
            let (a, b) = range(from, to)?.text();
            table::joined_ids(r, &a, &b)
        }
        Drill::Left { from, to } => {
            let (a, b) = range(from, to)?.stamps(offset);
            Ok(table::trashed(r, &a, &b)?
                .into_iter()
                .map(|(id, _)| id)
                .collect())
        }
        Drill::Active { from, to } => {
            let (a, b) = range(from, to)?.text();
            table::active_ids(r, &a, &b)
        }
        Drill::Cohort { month, offset: k } => {
            let first =
                NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| {
                    Error::new(ErrorCode::InvalidInput, "a month is YYYY-MM").with_field("month")
                })?;
            let month_range = |d: NaiveDate| {
                let next = d.checked_add_months(chrono::Months::new(1)).unwrap_or(d);
                (d.to_string(), (next - Duration::days(1)).to_string())
            };
            let joined = month_range(first);
            let active = match k {
                Some(k) => month_range(
                    first
                        .checked_add_months(chrono::Months::new(*k))
                        .unwrap_or(first),
                ),
                None => (String::new(), String::new()),
            };
            table::cohort_ids(r, (&joined.0, &joined.1), (&active.0, &active.1))
        }
        Drill::Registered { from, to }
        | Drill::Attended { from, to }
        | Drill::NoShow { from, to } => {
            let (a, b) = range(from, to)?.stamps(offset);
            let (before, statuses) = match drill {
                Drill::Registered { .. } => ("9999", "registered,attended,no_show,walk_in"),
                Drill::Attended { .. } => ("9999", "attended,walk_in"),
                _ => (now.as_str(), "registered,no_show"),
            };
            table::registration_ids(r, (&a, &b), before, statuses)
        }
        Drill::Stage { stage } => table::stage_ids(r, stage.as_str()),
        Drill::Moved { month, from, to } => {
            let first = format!("{month}-01");
            let last = format!("{month}-31");
            let mut ids: Vec<i64> = table::moves(r, &first, &last)?
                .into_iter()
                .filter(|(_, _, a, b)| a == from.as_str() && b == to.as_str())
                .map(|(id, ..)| id)
                .collect();
            ids.dedup();
            Ok(ids)
        }
        Drill::Deducted { from, to } => {
            let (a, b) = range(from, to)?.stamps(offset);
            let mut ids: Vec<i64> = table::credit(r, &a, &b)?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        }
    })
}
