//! Which days a recurring slot falls on, and at which instant: pure functions of the rule, the
//! days asked about and the slot's zone (no clock, no store).
//!
//! Weekly slots fall on their weekdays; "the nth weekday" slots on the first…fourth or the last
//! such weekday of each month; day-of-month slots on that day, or the month's last day when the
//! month is shorter (the 31st is 30 April and 28 or 29 February). A local time that does not
//! exist in the zone (a spring-forward gap) is taken one hour later; an ambiguous one (the hour
//! repeated in autumn) is the first of the two.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::Recurrence;

/// Every day in `[from, to]` (inclusive) the rule falls on, in order.
pub fn days(rule: &Recurrence, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    if to < from {
        return out;
    }
    match rule {
        Recurrence::Weekly { weekdays } => {
            let mut mask = 0u8;
            for d in weekdays.iter().filter(|d| **d < 7) {
                mask |= 1 << d;
            }
            if mask == 0 {
                return out;
            }
            let mut day = from;
            while day <= to {
                if mask & (1 << day.weekday().num_days_from_monday()) != 0 {
                    out.push(day);
                }
                day += Duration::days(1);
            }
        }
        Recurrence::MonthlyWeekday { nth, weekday } => {
            let Some(weekday) = weekday_of(*weekday) else {
                return out;
            };
            for (y, m) in months(from, to) {
                let day = match *nth {
                    -1 => last_weekday(y, m, weekday),
                    n @ 1..=4 => NaiveDate::from_weekday_of_month_opt(y, m, weekday, n as u8),
                    _ => None,
                };
                out.extend(day.filter(|d| (from..=to).contains(d)));
            }
        }
        Recurrence::MonthlyDay { day } => {
            if !(1..=31).contains(day) {
                return out;
            }
            for (y, m) in months(from, to) {
                let d = u32::from(*day).min(month_length(y, m));
                out.extend(NaiveDate::from_ymd_opt(y, m, d).filter(|d| (from..=to).contains(d)));
            }
        }
    }
    out
}

/// The instant a local `day` at `time` is in `zone`.
pub fn instant(day: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = day.and_time(time);
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        // No zone has a gap longer than an hour at a given instant; UTC as the last resort.
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// Checks a rule: weekdays 0–6 (at least one), nth 1–4 or -1, day 1–31.
pub fn is_valid(rule: &Recurrence) -> bool {
    match rule {
        Recurrence::Weekly { weekdays } => !weekdays.is_empty() && weekdays.iter().all(|d| *d < 7),
        Recurrence::MonthlyWeekday { nth, weekday } => {
            (*nth == -1 || (1..=4).contains(nth)) && *weekday < 7
        }
        Recurrence::MonthlyDay { day } => (1..=31).contains(day),
    }
}

fn weekday_of(d: u8) -> Option<Weekday> {
    (d < 7).then(|| Weekday::try_from(d).expect("0..7 is a weekday"))
}

/// (year, month) of every month touching `[from, to]`.
fn months(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = (i32, u32)> {
    let first = from.year() * 12 + from.month0() as i32;
    let last = to.year() * 12 + to.month0() as i32;
    (first..=last).map(|n| (n.div_euclid(12), n.rem_euclid(12) as u32 + 1))
}

fn month_length(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(28, |d| d.day())
}

fn last_weekday(y: i32, m: u32, weekday: Weekday) -> Option<NaiveDate> {
    let last = NaiveDate::from_ymd_opt(y, m, month_length(y, m))?;
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    Some(last - Duration::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn strings(v: Vec<NaiveDate>) -> Vec<String> {
        v.into_iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn weekly_on_tuesdays_and_fridays() {
        let rule = Recurrence::Weekly {
            weekdays: vec![1, 4],
        };
        assert_eq!(
            strings(days(&rule, d("2026-12-01"), d("2026-12-12"))),
            ["2026-12-01", "2026-12-04", "2026-12-08", "2026-12-11"]
        );
    }

    #[test]
    fn first_monday_and_last_friday_of_the_month() {
        let first_monday = Recurrence::MonthlyWeekday { nth: 1, weekday: 0 };
        assert_eq!(
            strings(days(&first_monday, d("2026-11-15"), d("2027-02-28"))),
            ["2026-12-07", "2027-01-04", "2027-02-01"]
        );
        let last_friday = Recurrence::MonthlyWeekday {
            nth: -1,
            weekday: 4,
        };
        assert_eq!(
            strings(days(&last_friday, d("2026-12-01"), d("2027-01-31"))),
            ["2026-12-25", "2027-01-29"]
        );
    }

    #[test]
    fn day_31_is_the_last_day_of_shorter_months() {
        let rule = Recurrence::MonthlyDay { day: 31 };
        assert_eq!(
            strings(days(&rule, d("2027-01-01"), d("2027-04-30"))),
            ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
        );
        // A leap year's February.
        assert_eq!(
            strings(days(&rule, d("2028-02-01"), d("2028-02-29"))),
            ["2028-02-29"]
        );
        let the_30th = Recurrence::MonthlyDay { day: 30 };
        assert_eq!(
            strings(days(&the_30th, d("2026-12-31"), d("2027-03-01"))),
            ["2027-01-30", "2027-02-28"]
        );
    }

    #[test]
    fn across_the_year_end() {
        let rule = Recurrence::Weekly { weekdays: vec![3] };
        assert_eq!(
            strings(days(&rule, d("2026-12-28"), d("2027-01-08"))),
            ["2026-12-31", "2027-01-07"]
        );
    }

    #[test]
    fn instants_follow_the_zone_and_its_summer_time() {
        let t = NaiveTime::from_hms_opt(20, 0, 0).unwrap();
        // Shanghai has no summer time: 20:00 is 12:00 UTC all year.
        assert_eq!(
            instant(d("2026-07-07"), t, chrono_tz::Asia::Shanghai).to_rfc3339(),
            "2026-07-07T12:00:00+00:00"
        );
        // New York: 20:00 EDT is 00:00 UTC the next day; EST one hour later.
        let ny = chrono_tz::America::New_York;
        assert_eq!(
            instant(d("2026-07-07"), t, ny).to_rfc3339(),
            "2026-07-08T00:00:00+00:00"
        );
        assert_eq!(
            instant(d("2026-12-08"), t, ny).to_rfc3339(),
            "2026-12-09T01:00:00+00:00"
        );
        // 02:30 on the spring-forward night does not exist: it is taken as 03:30 EDT.
        let gap = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            instant(d("2027-03-14"), gap, ny).to_rfc3339(),
            "2027-03-14T07:30:00+00:00"
        );
    }

    #[test]
    fn invalid_rules_are_told_apart() {
        assert!(!is_valid(&Recurrence::Weekly { weekdays: vec![] }));
        assert!(!is_valid(&Recurrence::Weekly { weekdays: vec![7] }));
        assert!(!is_valid(&Recurrence::MonthlyWeekday {
            nth: 5,
            weekday: 0
        }));
        assert!(!is_valid(&Recurrence::MonthlyDay { day: 0 }));
        assert!(is_valid(&Recurrence::MonthlyWeekday {
            nth: -1,
            weekday: 6
        }));
    }
}
