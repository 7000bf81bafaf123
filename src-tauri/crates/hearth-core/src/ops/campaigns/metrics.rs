//! The plan's metrics, computed from the data for any past day, each with the members behind the
//! number. The definitions are the ones shared with the dashboards (same words, same numbers):
//!
//! - Days are the manager's local calendar days; "counted members" are members not in the trash
//!   (a merged member is in the trash, and their activity now belongs to the member kept).
//! - **Member count** on D: counted members whose joined instant (`joined_at`, or `created_at`
//!   when unknown) falls before the end of D. **Growth %** since the goal's start S:
//!   `(count(D) − count(S)) / count(S) × 100` (the members behind it: those who joined after S).
//! - **New members (30 d)**: counted members who joined in the 30 days ending D.
//! - **Active** on D: a counted member with ≥ 1 live activity dated D. DAU(D); WAU(D) = distinct
//!   active in the 7 days ending D; MAU(D) = in the 30 days ending D.
//! - **Interactions per active member per day** (30 days ending D) = live activities in the
//!   window / the sum of DAU over the window.
//! - **90-day retention** on D: for the latest calendar month M whose members have all had their
//!   90th day by D, the percent of counted members who joined in M with an activity on one of
//!   days 61–90 after the day they joined.
//! - **Events held (30 d)**: events starting in the 30 days ending D, not cancelled.
//!   **Attendance rate** and **no-show rate** for those of them that have ended: checked in /
//!   registered and registered-not-checked-in / registered, in percent; registered is any
//!   registration but cancelled and waitlisted, checked in is a check-in time, attended or
//!   walk-in.
//! - **Opinion leaders**: counted members the lifecycle marks as opinion leaders (the manager's
//!   word, or else the rule: enough "voice" activities in its window). Only known for today.
//! - **Points issued (30 d)**: the points the window's live activities earned (net of claw-backs,
//!   dated by the activity's day) plus the manual grants given in it, as the dashboards count
//!   them.
//!
//! DAU, WAU, MAU, interactions and points are read through `ops::dashboard::series`, the
//! dashboards' own reads of the rollups: one definition, one code path. Retention reads the
//! rollup `member_days` by key; nothing here reads the activities ledger itself.
//!
//! - **Content published vs planned (30 d)**: of the content items planned in the window (not
//!   skipped), the percent published by the end of the day; the members behind it are the
//!   volunteers who own the published ones.

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

use crate::clock::stamp;
use crate::domain::Metric;
use crate::error::Result;
use crate::ops::dashboard::series;
use crate::store::metrics as table;
use crate::store::Read;

/// Windowed metrics cover this many days ending on the day they are read for.
pub const WINDOW_DAYS: i64 = 30;

/// What a metric is read against: the zone's offset and the instant "now" (for events that have
/// ended).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub offset: FixedOffset,
    pub today: NaiveDate,
    pub now: chrono::DateTime<Utc>,
}

impl Frame {
    /// The store stamp of the first instant of `day` in the manager's zone.
    fn start_of(&self, day: NaiveDate) -> String {
        let local = day.and_hms_opt(0, 0, 0).expect("midnight");
        let at = self
            .offset
            .from_local_datetime(&local)
            .single()
            .expect("a fixed offset has no gaps")
            .with_timezone(&Utc);
        stamp(at)
    }

    /// The stamp just after `day` ends.
    fn end_of(&self, day: NaiveDate) -> String {
        self.start_of(day + Duration::days(1))
    }

    /// The zone's offset as an SQLite date modifier (`+480 minutes`).
    fn modifier(&self) -> String {
        format!("{:+} minutes", self.offset.local_minus_utc() / 60)
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A metric's value on a day and how many members are behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reading {
    pub value: f64,
    pub members: u32,
}

fn count(n: u32) -> Reading {
    Reading {
        value: f64::from(n),
        members: n,
    }
}

fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) * 100.0 / f64::from(whole)
    }
}

/// The value of `metric` on `on` (`start` is the goal's start, for growth). `None` where the
/// metric cannot be read for that day: opinion leaders before today, manual metrics.
pub(crate) fn read(
    r: &Read<'_>,
    metric: Metric,
    on: NaiveDate,
    start: NaiveDate,
    frame: &Frame,
) -> Result<Option<Reading>> {
    let from = on - Duration::days(WINDOW_DAYS - 1);
    Ok(Some(match metric {
        Metric::MemberCount => count(table::joined_count(r, None, &frame.end_of(on))?),
        Metric::MemberGrowthPct => {
            let before = table::joined_count(r, None, &frame.end_of(start))?;
            let since = if on > start {
                table::joined_count(r, Some(&frame.end_of(start)), &frame.end_of(on))?
            } else {
                0
            };
            Reading {
                value: percent(since, before),
                members: since,
            }
        }
        Metric::NewMembers30d => count(table::joined_count(
            r,
            Some(&frame.start_of(from)),
            &frame.end_of(on),
        )?),
        Metric::Dau => count(series::dau(r, on)?),
        Metric::Wau => count(series::active(r, on - Duration::days(6), on)?),
        Metric::Mau => count(series::active(r, from, on)?),
        Metric::InteractionsPerActive => Reading {
            value: series::per_active_day(&series::daily(r, from, on)?, from, on),
            members: series::active(r, from, on)?,
        },
        Metric::Retention90d => {
            let (retained, cohort) = retention(r, on, frame)?;
            Reading {
                value: percent(retained.len() as u32, cohort),
                members: retained.len() as u32,
            }
        }
        Metric::EventsHeld30d => {
            let events = held(r, from, on, frame)?;
            Reading {
                value: events.len() as f64,
                members: attendance(r, &events, frame)?
                    .iter()
                    .filter(|a| a.1)
                    .count() as u32,
            }
        }
        Metric::AttendanceRate | Metric::NoShowRate => {
            let events = held(r, from, on, frame)?;
            let rows = attendance(r, &events, frame)?;
            let came = rows.iter().filter(|a| a.1).count() as u32;
            let total = rows.len() as u32;
            if metric == Metric::AttendanceRate {
                Reading {
                    value: percent(came, total),
                    members: came,
                }
            } else {
                Reading {
                    value: percent(total - came, total),
                    members: total - came,
                }
            }
        }
        Metric::OpinionLeaders => {
            if on != frame.today {
                return Ok(None);
            }
            count(table::opinion_leaders(r)?.len() as u32)
        }
        Metric::PointsIssued30d => {
            let mut members = points_members(r, from, on, frame)?;
            members.sort_unstable();
            members.dedup();
            Reading {
                value: series::points_issued(r, from, on, frame.offset)? as f64,
                members: members.len() as u32,
            }
        }
        Metric::ContentPublishedPct => {
            let items = content(r, from, on, frame)?;
            let published: Vec<&(bool, Option<i64>)> = items.iter().filter(|i| i.0).collect();
            let mut owners: Vec<i64> = published.iter().filter_map(|i| i.1).collect();
            owners.sort_unstable();
            owners.dedup();
            Reading {
                value: percent(published.len() as u32, items.len() as u32),
                members: owners.len() as u32,
            }
        }
        Metric::Manual => return Ok(None),
    }))
}

/// The members behind the value of `metric` on `on`, in id order.
pub(crate) fn members(
    r: &Read<'_>,
    metric: Metric,
    on: NaiveDate,
    start: NaiveDate,
    frame: &Frame,
) -> Result<Vec<i64>> {
    let from = on - Duration::days(WINDOW_DAYS - 1);
    let ids = |rows: Vec<(i64, String)>| rows.into_iter().map(|(id, _)| id).collect();
    let mut out: Vec<i64> = match metric {
        Metric::MemberCount => ids(table::joined(r, None, &frame.end_of(on))?),
        Metric::MemberGrowthPct => {
            if on > start {
                ids(table::joined(
                    r,
                    Some(&frame.end_of(start)),
                    &frame.end_of(on),
                )?)
            } else {
                Vec::new()
            }
        }
        Metric::NewMembers30d => ids(table::joined(
            r,
            Some(&frame.start_of(from)),
            &frame.end_of(on),
        )?),
        Metric::Dau => series::active_ids(r, on, on)?,
        Metric::Wau => series::active_ids(r, on - Duration::days(6), on)?,
        Metric::Mau | Metric::InteractionsPerActive => series::active_ids(r, from, on)?,
        Metric::Retention90d => retention(r, on, frame)?.0,
        Metric::EventsHeld30d | Metric::AttendanceRate => {
            let events = held(r, from, on, frame)?;
            attendance(r, &events, frame)?
                .into_iter()
                .filter(|a| a.1)
                .map(|a| a.0)
                .collect()
        }
        Metric::NoShowRate => {
            let events = held(r, from, on, frame)?;
            attendance(r, &events, frame)?
                .into_iter()
                .filter(|a| !a.1)
                .map(|a| a.0)
                .collect()
        }
        Metric::OpinionLeaders => table::opinion_leaders(r)?,
        Metric::PointsIssued30d => points_members(r, from, on, frame)?,
        Metric::ContentPublishedPct => content(r, from, on, frame)?
            .into_iter()
            .filter(|i| i.0)
            .filter_map(|i| i.1)
            .collect(),
        Metric::Manual => Vec::new(),
    };
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn held(r: &Read<'_>, from: NaiveDate, on: NaiveDate, frame: &Frame) -> Result<Vec<i64>> {
    table::events_held(r, &frame.start_of(from), &frame.end_of(on))
}

fn attendance(r: &Read<'_>, events: &[i64], frame: &Frame) -> Result<Vec<(i64, bool)>> {
    table::attendance(r, events, &stamp(frame.now))
}

fn content(
    r: &Read<'_>,
    from: NaiveDate,
    on: NaiveDate,
    frame: &Frame,
) -> Result<Vec<(bool, Option<i64>)>> {
    table::content_planned(r, &frame.start_of(from), &frame.end_of(on))
}

fn points_members(r: &Read<'_>, from: NaiveDate, on: NaiveDate, frame: &Frame) -> Result<Vec<i64>> {
    table::points_members(
        r,
        (&day(from), &day(on)),
        (&frame.start_of(from), &frame.end_of(on)),
    )
}

/// The cohort month read on `on`: the latest month whose last day is at least 90 days before.
pub(crate) fn cohort_month(on: NaiveDate) -> NaiveDate {
    let latest_end = on - Duration::days(90);
    let first = NaiveDate::from_ymd_opt(latest_end.year(), latest_end.month(), 1)
        .expect("first of a month");
    if month_after(first) - Duration::days(1) <= latest_end {
        first
    } else {
        first
            .checked_sub_months(chrono::Months::new(1))
            .expect("a month before")
    }
}

fn month_after(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .expect("a month after")
}

/// The retained members of the cohort read on `on`, and the cohort's size.
fn retention(r: &Read<'_>, on: NaiveDate, frame: &Frame) -> Result<(Vec<i64>, u32)> {
    let month = cohort_month(on);
    let (cohort, retained) = table::retained(
        r,
        &frame.start_of(month),
        &frame.start_of(month_after(month)),
        &frame.modifier(),
    )?;
    Ok((retained, cohort))
}

/// The values of `metric` on each of `days` (ascending), reading each stretch of data once
/// where the metric allows: DAU and interactions from one read of the days' totals, member
/// counts as one count and the joins between the days, retention once per cohort month. `None`
/// where [`read`] gives none.
pub(crate) fn series(
    r: &Read<'_>,
    metric: Metric,
    days: &[NaiveDate],
    start: NaiveDate,
    frame: &Frame,
) -> Result<Vec<Option<f64>>> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    match metric {
        Metric::Dau | Metric::InteractionsPerActive => {
            let from = *first - Duration::days(WINDOW_DAYS - 1);
            let daily = series::daily(r, from, *last)?;
            Ok(days
                .iter()
                .map(|on| {
                    Some(if metric == Metric::Dau {
                        daily
                            .iter()
                            .find(|d| d.day == *on)
                            .map_or(0.0, |d| f64::from(d.active))
                    } else {
                        series::per_active_day(&daily, *on - Duration::days(WINDOW_DAYS - 1), *on)
                    })
                })
                .collect())
        }
        Metric::MemberCount => {
            let mut out = Vec::with_capacity(days.len());
            let mut total = 0u32;
            let mut counted_to: Option<String> = None;
            for on in days {
                let to = frame.end_of(*on);
                total += table::joined_count(r, counted_to.as_deref(), &to)?;
                counted_to = Some(to);
                out.push(Some(f64::from(total)));
            }
            Ok(out)
        }
        Metric::Retention90d => {
            let mut memo: Vec<(NaiveDate, f64)> = Vec::new();
            let mut out = Vec::with_capacity(days.len());
            for on in days {
                let month = cohort_month(*on);
                let value = match memo.iter().find(|m| m.0 == month) {
                    Some(m) => m.1,
                    None => {
                        let (retained, cohort) = retention(r, *on, frame)?;
                        let v = percent(retained.len() as u32, cohort);
                        memo.push((month, v));
                        v
                    }
                };
                out.push(Some(value));
            }
            Ok(out)
        }
        _ => days
            .iter()
            .map(|on| Ok(read(r, metric, *on, start, frame)?.map(|m| m.value)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cohort_is_the_latest_month_whose_ninetieth_days_have_all_passed() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 31 Jan + 90 days = 1 May: on 1 May January is complete.
        assert_eq!(cohort_month(d("2026-05-01")), d("2026-01-01"));
        // On 30 April a 31 January joiner has not had day 90 yet: December.
        assert_eq!(cohort_month(d("2026-04-30")), d("2025-12-01"));
        assert_eq!(cohort_month(d("2026-12-08")), d("2026-08-01"));
    }
}
