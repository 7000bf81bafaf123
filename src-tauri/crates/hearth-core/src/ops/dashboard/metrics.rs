//! Every tile's numbers for a range of local days, and the members behind any of them.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::domain::{
    ActivityStats, ChannelContent, Cohort, Contributor, DayActivity, Drill, Funnel, Growth,
    GrowthBucket, Metrics, Participation, PointsStats, Stage, StageCount, StageMove, Summary,
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
    /// Only the members of this saved segment (its members now) in every member-based tile:
    /// growth, activity, lifecycle, cohorts, participation, points and top contributors.
    #[serde(default)]
    pub segment: Option<i64>,
    /// Only this content channel in the content tile.
    #[serde(default)]
    pub channel: Option<i64>,
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
    Content,
}

impl Tile {
    pub const ALL: [Tile; 8] = [
        Tile::Growth,
        Tile::Activity,
        Tile::Lifecycle,
        Tile::Cohorts,
        Tile::Events,
        Tile::Points,
        Tile::Top,
        Tile::Content,
    ];
}

/// Every tile's numbers.
pub fn metrics(ctx: &Ctx, query: MetricsQuery) -> Result<Metrics> {
    metrics_of(ctx, query, &Tile::ALL)
}

/// The numbers of some tiles (the others are left empty): one tile refreshed alone.
pub fn metrics_of(ctx: &Ctx, query: MetricsQuery, tiles: &[Tile]) -> Result<Metrics> {
    let range = Range::of(ctx, query.from.as_deref(), query.to.as_deref())?;
    let (offset, now, today) = (ctx.clock.utc_offset(), ctx.now_stamp(), ctx.clock.today());
    let has = |t: Tile| tiles.contains(&t);
    let only = segment_members(ctx, query.segment)?;
    let only = only.as_ref();
    let content = if has(Tile::Content) {
        content_in(ctx, range, query.channel)?
    } else {
        Vec::new()
    };
    ctx.store.read(|r| {
        let (from, to) = range.text();
        let previous = if query.compare {
            Some(summary_in(r, range.previous(), offset, &now, today, only)?)
        } else {
            None
        };
        Ok(Metrics {
            growth: if has(Tile::Growth) {
                growth_in(r, range, offset, only)?
            } else {
                Growth::default()
            },
            activity: if has(Tile::Activity) {
                activity_in(r, range, today, only)?
            } else {
                ActivityStats::default()
            },
            lifecycle: if has(Tile::Lifecycle) {
                funnel_in(r, range, only)?
            } else {
                Funnel::default()
            },
            cohorts: if has(Tile::Cohorts) {
                cohorts_in(r, range, only)?
            } else {
                Vec::new()
            },
            events: if has(Tile::Events) {
                participation_in(r, range, offset, &now, only)?
            } else {
                Participation::default()
            },
            points: if has(Tile::Points) {
                points_in(r, range, offset, only)?
            } else {
                PointsStats::default()
            },
            top: if has(Tile::Top) {
                top_in(r, range, only)?
            } else {
                Vec::new()
            },
            content,
            previous,
            from,
            to,
        })
    })
}

/// Planned against published per channel (all channels, or the one asked for).
fn content_in(ctx: &Ctx, range: Range, channel: Option<i64>) -> Result<Vec<ChannelContent>> {
    let (from, to) = range.text();
    let mut out: Vec<ChannelContent> = crate::ops::content::channels(ctx)?
        .into_iter()
        .filter(|c| channel.is_none_or(|id| id == c.id))
        .map(|c| ChannelContent {
            channel_id: c.id,
            name: c.name,
            colour: c.colour,
            planned: 0,
            published: 0,
        })
        .collect();
    if out.is_empty() {
        return Ok(out);
    }
    for week in crate::ops::content::published_vs_planned(ctx, &from, &to)? {
        if let Some(c) = out.iter_mut().find(|c| c.channel_id == week.channel_id) {
            c.planned += week.planned;
            c.published += week.published;
        }
    }
    Ok(out)
}

/// The members of a saved segment now (none: no filter).
fn segment_members(ctx: &Ctx, segment: Option<i64>) -> Result<Option<MemberSet>> {
    let Some(id) = segment else {
        return Ok(None);
    };
    let selection = crate::ops::segments::selection(ctx, None, Some(id))?;
    let ids = ctx
        .store
        .read(|r| crate::store::segments::matching_ids(r, &selection, "", "m.id"))?;
    Ok(Some(MemberSet::of(&ids)))
}

fn growth_in(
    r: &Read<'_>,
    range: Range,
    offset: FixedOffset,
    only: Option<&MemberSet>,
) -> Result<Growth> {
    let (from, to) = range.text();
    let mut joined: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let members_start = match only {
        None => {
            for (d, n) in table::joined_per_day(r, &from, &to)? {
                if let Ok(d) = d.parse() {
                    joined.insert(d, n as u32);
                }
            }
            table::members_before(r, &from)? as u32
        }
        // The segment's members who had joined by the last day, each with their joining day.
        Some(set) => {
            let mut before = 0;
            for (id, d) in table::joined_days(r, "", &to)? {
                if !set.contains(id) {
                    continue;
                }
                if d < from {
                    before += 1;
                } else if let Ok(d) = d.parse() {
                    *joined.entry(d).or_default() += 1;
                }
            }
            before
        }
    };
    let (a, b) = range.stamps(offset);
    let mut left: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for (id, at) in table::trashed(r, &a, &b)? {
        if !kept(only, id) {
            continue;
        }
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

/// Members a filter keeps (a saved segment's), as a bitset over ids.
pub(crate) struct MemberSet {
    bits: Vec<u64>,
}

impl MemberSet {
    pub(crate) fn of(ids: &[i64]) -> MemberSet {
        let len = ids.iter().copied().max().unwrap_or(0).max(0) as usize / 64 + 1;
        let mut bits = vec![0u64; len];
        for &id in ids {
            if id >= 0 {
                bits[id as usize / 64] |= 1 << (id as usize % 64);
            }
        }
        MemberSet { bits }
    }

    pub(crate) fn contains(&self, id: i64) -> bool {
        id >= 0
            && self
                .bits
                .get(id as usize / 64)
                .is_some_and(|w| w & (1 << (id as usize % 64)) != 0)
    }
}

/// Whether `only` (none: everyone) keeps member `id`.
fn kept(only: Option<&MemberSet>, id: i64) -> bool {
    only.is_none_or(|s| s.contains(id))
}

/// Per-member counters as long as the largest member id (ids are dense row ids).
fn per_member<T: Clone>(r: &Read<'_>, zero: T) -> Result<Vec<T>> {
    Ok(vec![zero; table::max_member_id(r)? as usize + 1])
}

/// DAU, WAU, MAU and stickiness are measured as of the range's last day, or today when the
/// range runs into the future (a month in progress): the days to come have no activity yet.
fn activity_in(
    r: &Read<'_>,
    range: Range,
    today: NaiveDate,
    only: Option<&MemberSet>,
) -> Result<ActivityStats> {
    let (from, to) = range.text();
    let as_of = range.to.min(today);
    let as_of_text = as_of.to_string();
    // The 30 days ending "as of" feed stickiness even when the range is shorter.
    let month_from = (as_of - Duration::days(29)).to_string();
    let week_from = (as_of - Duration::days(6)).to_string();
    let first = month_from.clone().min(from.clone());
    // (day, active, activities) of the days with activity from `first` to `to`, in order.
    let mut per_day: Vec<(String, u32, u32)> = Vec::new();
    let (wau, mau, active);
    let last = table::last_active_day(r)?;
    if only.is_none() && last.as_deref().is_none_or(|l| *l <= *as_of_text) {
        // Nobody was active after "as of": whoever was last active on or after a day was
        // active between it and "as of" — index range counts of member_totals.
        for (d, n, a, _) in table::daily(r, &first, &to)? {
            per_day.push((d, a as u32, n as u32));
        }
        wau = table::active_since(r, &week_from)? as u32;
        mau = table::active_since(r, &month_from)? as u32;
        active = table::active_since(r, &from)? as u32;
    } else {
        // One pass over the days' rows, a bit per window for each member.
        let mut seen = per_member(r, 0u8)?;
        let (mut w, mut m, mut a) = (0u32, 0u32, 0u32);
        table::each_member_day(r, &first, &to, |d, id, n, _| {
            if !kept(only, id) {
                return;
            }
            match per_day.last_mut() {
                Some(last) if last.0 == d => {
                    last.1 += 1;
                    last.2 += n as u32;
                }
                _ => per_day.push((d.to_owned(), 1, n as u32)),
            }
            let Some(flags) = seen.get_mut(id as usize) else {
                return;
            };
            if d >= from.as_str() && *flags & 1 == 0 {
                *flags |= 1;
                a += 1;
            }
            if d <= as_of_text.as_str() {
                if d >= month_from.as_str() && *flags & 2 == 0 {
                    *flags |= 2;
                    m += 1;
                }
                if d >= week_from.as_str() && *flags & 4 == 0 {
                    *flags |= 4;
                    w += 1;
                }
            }
        })?;
        (wau, mau, active) = (w, m, a);
    }
    let by_day: HashMap<&str, (u32, u32)> = per_day
        .iter()
        .map(|(d, active, n)| (d.as_str(), (*active, *n)))
        .collect();
    let mut days = Vec::with_capacity(range.days() as usize);
    let mut day = range.from;
    while day <= range.to {
        let key = day.to_string();
        let (active, n) = by_day.get(key.as_str()).copied().unwrap_or((0, 0));
        days.push(DayActivity {
            day: key,
            active,
            activities: n,
        });
        day += Duration::days(1);
    }
    let activities: u32 = days.iter().map(|d| d.activities).sum();
    let dau_sum: u32 = days.iter().map(|d| d.active).sum();
    let in_month = |d: &str| d >= month_from.as_str() && d <= as_of_text.as_str();
    let month_dau: u32 = per_day
        .iter()
        .filter(|(d, ..)| in_month(d))
        .map(|(_, active, _)| active)
        .sum();
    Ok(ActivityStats {
        dau: by_day.get(as_of_text.as_str()).map_or(0, |d| d.0),
        wau,
        mau,
        stickiness: if mau == 0 {
            0.0
        } else {
            f64::from(month_dau) / 30.0 / f64::from(mau)
        },
        active,
        activities,
        per_active_day: if dau_sum == 0 {
            0.0
        } else {
            f64::from(activities) / f64::from(dau_sum)
        },
        days,
    })
}

/// The members whose activities earned the most points in the range (ties: more activities,
/// then the smaller id), summed per member in one pass over the range's rollup rows.
fn top_in(r: &Read<'_>, range: Range, only: Option<&MemberSet>) -> Result<Vec<Contributor>> {
    let (from, to) = range.text();
    let mut sums = per_member(r, (0i64, 0i64))?;
    table::each_member_day(r, &from, &to, |_, id, n, p| {
        if kept(only, id) {
            if let Some(s) = sums.get_mut(id as usize) {
                s.0 += n;
                s.1 += p;
            }
        }
    })?;
    let mut best: Vec<(i64, i64, i64)> = sums
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(id, &(n, p))| (p, n, id as i64))
        .collect();
    let order = |a: &(i64, i64, i64), b: &(i64, i64, i64)| {
        b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2))
    };
    let k = TOP as usize;
    if best.len() > k {
        best.select_nth_unstable_by(k - 1, order);
        best.truncate(k);
    }
    best.sort_unstable_by(order);
    let ids: Vec<i64> = best.iter().map(|b| b.2).collect();
    let names: HashMap<i64, String> = table::names(r, &ids)?.into_iter().collect();
    Ok(best
        .into_iter()
        .filter_map(|(points, n, member_id)| {
            Some(Contributor {
                member_id,
                display_name: names.get(&member_id)?.clone(),
                activities: n as u32,
                points,
            })
        })
        .collect())
}

fn funnel_in(r: &Read<'_>, range: Range, only: Option<&MemberSet>) -> Result<Funnel> {
    let (from, to) = range.text();
    let counts: HashMap<Stage, u32> = match only {
        None => table::stages(r)?
            .into_iter()
            .filter_map(|(s, n)| Some((Stage::parse(&s)?, n as u32)))
            .collect(),
        Some(set) => {
            let mut counts = HashMap::new();
            table::each_stage(r, |id, s| {
                if set.contains(id) {
                    if let Some(s) = Stage::parse(s) {
                        *counts.entry(s).or_default() += 1;
                    }
                }
            })?;
            counts
        }
    };
    let mut moves: BTreeMap<(String, &'static str, &'static str), (Stage, Stage, u32)> =
        BTreeMap::new();
    for (id, month, a, b) in table::moves(r, &from, &to)? {
        if !kept(only, id) {
            continue;
        }
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

/// `YYYY-MM…` as a month number.
fn month_number(s: &str) -> Option<i32> {
    let y: i32 = s.get(..4)?.parse().ok()?;
    let m: i32 = s.get(5..7)?.parse().ok()?;
    Some(y * 12 + m - 1)
}

/// Members who joined in the range by joining month, and how many of each month's cohort were
/// active in each month since: one pass over the rollup rows from the first cohort month on,
/// counting a member once per month (rows come in day order).
fn cohorts_in(r: &Read<'_>, range: Range, only: Option<&MemberSet>) -> Result<Vec<Cohort>> {
    let (from, to) = range.text();
    let last = &to[..7];
    let Some(last_n) = month_number(last) else {
        return Ok(Vec::new());
    };
    // Per member: the cohort's month number (i32::MIN: not in a cohort) and the last month
    // number counted.
    let mut cohort = per_member(r, (i32::MIN, i32::MIN))?;
    let mut out: BTreeMap<i32, Cohort> = BTreeMap::new();
    for (id, joined) in table::joined_days(r, &from, &to)? {
        let (Some(month), Some(slot)) = (month_number(&joined), cohort.get_mut(id as usize)) else {
            continue;
        };
        if !kept(only, id) {
            continue;
        }
        slot.0 = month;
        out.entry(month)
            .or_insert_with(|| Cohort {
                month: joined[..7].to_owned(),
                size: 0,
                active: vec![0; (last_n - month).max(0) as usize + 1],
            })
            .size += 1;
    }
    let Some(first) = out.values().next().map(|c| c.month.clone()) else {
        return Ok(Vec::new());
    };
    let mut day_month = (String::new(), 0);
    table::each_member_day(
        r,
        &format!("{first}-01"),
        &format!("{last}-31"),
        |d, id, _, _| {
            let Some(slot) = cohort.get_mut(id as usize) else {
                return;
            };
            if slot.0 == i32::MIN {
                return;
            }
            if day_month.0.get(..7) != d.get(..7) {
                day_month = (d.to_owned(), month_number(d).unwrap_or(i32::MIN));
            }
            let month = day_month.1;
            if month < slot.0 || slot.1 == month {
                return;
            }
            slot.1 = month;
            if let Some(cell) = out
                .get_mut(&slot.0)
                .and_then(|c| c.active.get_mut((month - slot.0) as usize))
            {
                *cell += 1;
            }
        },
    )?;
    Ok(out.into_values().collect())
}

fn participation_in(
    r: &Read<'_>,
    range: Range,
    offset: FixedOffset,
    now: &str,
    only: Option<&MemberSet>,
) -> Result<Participation> {
    let (a, b) = range.stamps(offset);
    let mut p = Participation::default();
    let rows = match only {
        None => table::registrations(r, &a, &b, now)?
            .into_iter()
            .map(|(_, over, status, n)| (over, status, n))
            .collect(),
        Some(set) => {
            let mut rows: HashMap<(bool, String), i64> = HashMap::new();
            for (member, over, status) in table::registration_rows(r, &a, &b, now)? {
                if set.contains(member) {
                    *rows.entry((over, status)).or_default() += 1;
                }
            }
            rows.into_iter()
                .map(|((over, status), n)| (over, status, n))
                .collect::<Vec<_>>()
        }
    };
    for (over, status, n) in rows {
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

fn points_in(
    r: &Read<'_>,
    range: Range,
    offset: FixedOffset,
    only: Option<&MemberSet>,
) -> Result<PointsStats> {
    let (from, to) = range.text();
    let (a, b) = range.stamps(offset);
    let from_activities: i64 = match only {
        None => table::daily(r, &from, &to)?
            .iter()
            .map(|(.., points)| points)
            .sum(),
        Some(set) => {
            let mut sum = 0;
            table::each_member_day(r, &from, &to, |_, id, _, p| {
                if set.contains(id) {
                    sum += p;
                }
            })?;
            sum
        }
    };
    let granted: i64 = table::grants(r, &a, &b)?
        .iter()
        .filter(|(id, _)| kept(only, *id))
        .map(|(_, p)| p)
        .sum();
    let mut credit = table::credit(r, &a, &b)?;
    credit.retain(|(id, _)| kept(only, *id));
    Ok(PointsStats {
        issued: from_activities + granted,
        from_activities,
        granted,
        credit_deducted: credit.iter().map(|(_, p)| p).sum(),
        credit_entries: credit.len() as u32,
    })
}

fn summary_in(
    r: &Read<'_>,
    range: Range,
    offset: FixedOffset,
    now: &str,
    today: NaiveDate,
    only: Option<&MemberSet>,
) -> Result<Summary> {
    let growth = growth_in(r, range, offset, only)?;
    let activity = activity_in(r, range, today, only)?;
    let (from, to) = range.text();
    Ok(Summary {
        new: growth.new,
        left: growth.left,
        dau: activity.dau,
        wau: activity.wau,
        mau: activity.mau,
        active: activity.active,
        activities: activity.activities,
        points_issued: points_in(r, range, offset, only)?.issued,
        attended: participation_in(r, range, offset, now, only)?.attended,
        from,
        to,
    })
}

/// The members behind a number, in id order.
pub fn members_behind(ctx: &Ctx, drill: Drill) -> Result<Vec<i64>> {
    members_behind_in(ctx, drill, None)
}

/// [`members_behind`] among a saved segment's members (the number as the filtered board shows
/// it).
pub fn members_behind_in(ctx: &Ctx, drill: Drill, segment: Option<i64>) -> Result<Vec<i64>> {
    let mut ids = all_behind(ctx, drill)?;
    if let Some(set) = segment_members(ctx, segment)? {
        ids.retain(|&id| set.contains(id));
    }
    Ok(ids)
}

fn all_behind(ctx: &Ctx, drill: Drill) -> Result<Vec<i64>> {
    let (offset, now) = (ctx.clock.utc_offset(), ctx.now_stamp());
    let range = |from: &str, to: &str| Range::of(ctx, Some(from), Some(to));
    // Owners of content items (the content module reads the items).
    let owners = match &drill {
        Drill::ContentOwners {
            channel_id,
            from,
            to,
        } => crate::ops::content::list(
            ctx,
            &crate::ops::content::ContentQuery {
                from: Some(from.clone()),
                to: Some(to.clone()),
                channel_ids: vec![*channel_id],
                ..Default::default()
            },
        )?
        .into_iter()
        .filter_map(|i| i.owner_member_id)
        .collect(),
        _ => Vec::new(),
    };
    ctx.store.read(|r| match &drill {
        Drill::ContentOwners { .. } => table::live_ids(r, &owners),
        Drill::Listed { ids } => table::live_ids(r, ids),
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
