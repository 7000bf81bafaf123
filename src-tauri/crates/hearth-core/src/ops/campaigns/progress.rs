//! Where a goal stands: its value today, a trend to draw as a sparkline, a straight-line forecast
//! to the due day, and a status.
//!
//! The trend samples the metric on up to [`TREND_POINTS`] evenly spaced days from the earlier of
//! the goal's start and eight weeks ago, through today (history before the goal started still
//! says which way the number is going). Manual metrics use their readings instead; opinion
//! leaders are only known for today.
//!
//! The status rule, in order ("reaches" means ≥, or ≤ for a metric where lower is better):
//! 1. today's value reaches the target: **on track** (`met`);
//! 2. the due day has passed: **off track** (`due_passed`);
//! 3. with two or more trend points, the least-squares line read on the due day (`forecast`):
//!    reaches the target → **on track**; covers at least 80 % of the way from the baseline to
//!    the target → **at risk**; otherwise **off track** (`forecast`);
//! 4. with no history, an even pace from the baseline on the start day to the target on the due
//!    day: today's value reaches the pace → **on track**, else **at risk** (`pace`).

use chrono::{Duration, NaiveDate};

use super::metrics::{self, Frame};
use crate::domain::{Goal, GoalProgress, GoalStatus, Metric, TrendPoint};
use crate::error::Result;
use crate::store::campaigns as table;
use crate::store::Read;

pub const TREND_POINTS: i64 = 8;
/// A forecast covering this share of the way from baseline to target is at risk, not off track.
pub const AT_RISK_SHARE: f64 = 0.8;

pub(crate) fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The trend days: evenly spaced, oldest first, ending on `today`.
fn trend_days(start: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let from = start.min(today - Duration::days(56));
    let span = (today - from).num_days();
    let steps = TREND_POINTS - 1;
    let mut days: Vec<NaiveDate> = (0..=steps)
        .map(|i| from + Duration::days(span * i / steps))
        .collect();
    days.dedup();
    days
}

/// The goal's value on `on`, for a computed or a manual metric.
fn value_on(r: &Read<'_>, goal: &Goal, on: NaiveDate, frame: &Frame) -> Result<Option<f64>> {
    let start = parse_day(&goal.start_on).unwrap_or(on);
    if goal.metric == Metric::Manual {
        let readings = table::readings(r, goal.id, &on.to_string())?;
        return Ok(readings.last().map(|(_, v)| *v));
    }
    Ok(metrics::read(r, goal.metric, on, start, frame)?.map(|m| m.value))
}

/// The value of the goal's metric on its start day (its baseline, when it has none stored).
pub(crate) fn baseline_of(r: &Read<'_>, goal: &Goal, frame: &Frame) -> Result<Option<f64>> {
    if goal.baseline.is_some() {
        return Ok(goal.baseline);
    }
    let Some(start) = parse_day(&goal.start_on) else {
        return Ok(None);
    };
    if start > frame.today {
        return Ok(None);
    }
    value_on(r, goal, start, frame)
}

pub(crate) fn evaluate(r: &Read<'_>, goal: &Goal, frame: &Frame) -> Result<GoalProgress> {
    let today = frame.today;
    let start = parse_day(&goal.start_on).unwrap_or(today);
    let due = parse_day(&goal.due_on).unwrap_or(today);
    let (trend, current, members) = if goal.metric == Metric::Manual {
        let readings = table::readings(r, goal.id, &today.to_string())?;
        let trend: Vec<TrendPoint> = readings
            .iter()
            .map(|(day, value)| TrendPoint {
                day: day.clone(),
                value: *value,
            })
            .collect();
        let current = trend.last().map(|p| p.value);
        (trend, current, 0)
    } else {
        let days = trend_days(start, today);
        // Today's value and its members come from one full read; the rest of the trend from
        // the cheaper series.
        let now = metrics::read(r, goal.metric, today, start, frame)?;
        let values = metrics::series(r, goal.metric, &days[..days.len() - 1], start, frame)?;
        let mut trend: Vec<TrendPoint> = days
            .iter()
            .zip(values)
            .filter_map(|(day, v)| {
                v.map(|value| TrendPoint {
                    day: day.to_string(),
                    value,
                })
            })
            .collect();
        if let Some(m) = now {
            trend.push(TrendPoint {
                day: today.to_string(),
                value: m.value,
            });
        }
        (trend, now.map(|m| m.value), now.map_or(0, |m| m.members))
    };
    let baseline = baseline_of(r, goal, frame)?;
    let mut goal = goal.clone();
    goal.baseline = baseline;
    // Every metric is a count, a sum or a percentage: a line may not leave that range.
    let forecast = forecast(&trend, due).map(|f| {
        if goal.metric.is_percent() {
            f.clamp(0.0, 100.0)
        } else if goal.metric == Metric::Manual {
            f
        } else {
            f.max(0.0)
        }
    });
    let (status, reason) = status(&goal, current, forecast, today, start, due);
    Ok(GoalProgress {
        goal,
        current,
        trend,
        forecast,
        status,
        reason: reason.to_owned(),
        members,
    })
}

/// The least-squares line through the trend, read on `due`; `None` without two distinct days.
pub fn forecast(trend: &[TrendPoint], due: NaiveDate) -> Option<f64> {
    let points: Vec<(f64, f64)> = trend
        .iter()
        .filter_map(|p| parse_day(&p.day).map(|d| ((d - due).num_days() as f64, p.value)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    // x is days relative to the due day, so the line at x = 0 is the forecast.
    Some(my - slope * mx)
}

fn reaches(metric: Metric, value: f64, target: f64) -> bool {
    if metric.lower_is_better() {
        value <= target + 1e-9
    } else {
        value + 1e-9 >= target
    }
}

/// The status rule of this module's header.
pub fn status(
    goal: &Goal,
    current: Option<f64>,
    forecast: Option<f64>,
    today: NaiveDate,
    start: NaiveDate,
    due: NaiveDate,
) -> (GoalStatus, &'static str) {
    let metric = goal.metric;
    if current.is_some_and(|v| reaches(metric, v, goal.target)) {
        return (GoalStatus::OnTrack, "met");
    }
    if today > due {
        return (GoalStatus::OffTrack, "due_passed");
    }
    if let Some(f) = forecast {
        if reaches(metric, f, goal.target) {
            return (GoalStatus::OnTrack, "forecast");
        }
        let base = goal.baseline.or(current).unwrap_or(0.0);
        let way = goal.target - base;
        let covered = if way == 0.0 { 0.0 } else { (f - base) / way };
        let status = if covered >= AT_RISK_SHARE {
            GoalStatus::AtRisk
        } else {
            GoalStatus::OffTrack
        };
        return (status, "forecast");
    }
    match (goal.baseline, current) {
        (Some(base), Some(value)) => {
            let total = (due - start).num_days().max(1) as f64;
            let elapsed = (today - start).num_days().clamp(0, total as i64) as f64;
            let pace = base + (goal.target - base) * elapsed / total;
            if reaches(metric, value, pace) {
                (GoalStatus::OnTrack, "pace")
            } else {
                (GoalStatus::AtRisk, "pace")
            }
        }
        _ => (GoalStatus::AtRisk, "pace"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_day(s).unwrap()
    }

    fn goal(metric: Metric, baseline: Option<f64>, target: f64) -> Goal {
        Goal {
            id: 1,
            campaign_id: None,
            metric,
            label: String::new(),
            baseline,
            target,
            start_on: "2026-01-01".into(),
            due_on: "2026-12-31".into(),
        }
    }

    fn pt(day: &str, value: f64) -> TrendPoint {
        TrendPoint {
            day: day.into(),
            value,
        }
    }

    #[test]
    fn a_straight_line_is_extended_to_the_due_day() {
        // +1 a day: 10 on 1 Dec, 20 on 11 Dec → 40 on 31 Dec.
        let trend = [pt("2026-12-01", 10.0), pt("2026-12-11", 20.0)];
        let f = forecast(&trend, d("2026-12-31")).unwrap();
        assert!((f - 40.0).abs() < 1e-9, "{f}");
        assert_eq!(forecast(&trend[..1], d("2026-12-31")), None, "one point");
        assert_eq!(forecast(&[], d("2026-12-31")), None, "no history");
    }

    #[test]
    fn the_status_rule_at_its_edges() {
        let today = d("2026-07-01");
        let (start, due) = (d("2026-01-01"), d("2026-12-31"));
        let g = goal(Metric::MemberCount, Some(100.0), 200.0);
        // Already met, even after the due day.
        assert_eq!(
            status(&g, Some(200.0), None, d("2027-02-01"), start, due),
            (GoalStatus::OnTrack, "met")
        );
        // Due day passed and not met.
        assert_eq!(
            status(&g, Some(150.0), Some(300.0), d("2027-01-01"), start, due),
            (GoalStatus::OffTrack, "due_passed")
        );
        // Forecasts: reaching, 80 % of the way, less.
        assert_eq!(
            status(&g, Some(150.0), Some(201.0), today, start, due).0,
            GoalStatus::OnTrack
        );
        assert_eq!(
            status(&g, Some(150.0), Some(180.0), today, start, due).0,
            GoalStatus::AtRisk
        );
        assert_eq!(
            status(&g, Some(150.0), Some(179.0), today, start, due).0,
            GoalStatus::OffTrack
        );
        // No history: half-way through the year, half-way there is on pace.
        assert_eq!(
            status(&g, Some(150.0), None, today, start, due),
            (GoalStatus::OnTrack, "pace")
        );
        assert_eq!(
            status(&g, Some(120.0), None, today, start, due),
            (GoalStatus::AtRisk, "pace")
        );
        assert_eq!(
            status(&g, None, None, today, start, due),
            (GoalStatus::AtRisk, "pace")
        );
        // Lower is better: a no-show rate of 10 % meets a target of 15 %.
        let ns = goal(Metric::NoShowRate, Some(30.0), 15.0);
        assert_eq!(
            status(&ns, Some(10.0), None, today, start, due).0,
            GoalStatus::OnTrack
        );
        assert_eq!(
            status(&ns, Some(29.0), Some(40.0), today, start, due).0,
            GoalStatus::OffTrack
        );
    }

    #[test]
    fn trend_days_end_today_and_reach_back_eight_weeks_at_least() {
        let days = trend_days(d("2026-12-08"), d("2026-12-08"));
        assert_eq!(days.len(), 8);
        assert_eq!(days[0], d("2026-10-13"));
        assert_eq!(*days.last().unwrap(), d("2026-12-08"));
        let long = trend_days(d("2025-12-08"), d("2026-12-08"));
        assert_eq!(long[0], d("2025-12-08"));
    }
}
