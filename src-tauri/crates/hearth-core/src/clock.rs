//! Time enters the core through [`Clock`]; tests pass a [`FixedClock`].

use chrono::{DateTime, FixedOffset, Local, NaiveDate, SecondsFormat, Utc};

/// The only source of "now" inside hearth-core.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// The manager's offset from UTC, for "today" (tag end dates, daily segment snapshots).
    fn utc_offset(&self) -> FixedOffset {
        FixedOffset::east_opt(0).expect("zero offset")
    }

    /// Today's date where the manager is.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.utc_offset()).date_naive()
    }
}

/// Wall-clock time, for the desktop app and the CLI.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn utc_offset(&self) -> FixedOffset {
        *Local::now().offset()
    }
}

/// A clock that always answers the same instant (in UTC, so "today" is the UTC date).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Clocks of two machines disagree a little: a time this much ahead of ours still counts as now.
pub const CLOCK_SLACK: chrono::Duration = chrono::Duration::minutes(5);

/// When something happened, as typed: RFC 3339, or the manager's local `YYYY-MM-DD HH:MM[:SS]`,
/// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD` (midnight); empty or absent is now. A time that has not
/// come yet is refused (`FutureDate`); either refusal names `field`.
pub fn parse_past(
    raw: Option<&str>,
    now: DateTime<Utc>,
    offset: FixedOffset,
    field: &str,
) -> crate::error::Result<DateTime<Utc>> {
    use chrono::TimeZone;
    let at = match raw.map(str::trim) {
        None | Some("") => return Ok(now),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
                    .iter()
                    .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
                    .or_else(|| {
                        NaiveDate::parse_from_str(s, "%Y-%m-%d")
                            .ok()
                            .and_then(|d| d.and_hms_opt(0, 0, 0))
                    })
                    .and_then(|n| offset.from_local_datetime(&n).single())
                    .map(|t| t.with_timezone(&Utc))
            })
            .ok_or_else(|| {
                crate::error::Error::new(
                    crate::error::ErrorCode::InvalidDate,
                    format!("“{s}” is not a date and time"),
                )
                .with_field(field)
                .with_param("value", s)
            })?,
    };
    refuse_future(at, now, field)?;
    Ok(at)
}

/// Refuses a time later than now (beyond [`CLOCK_SLACK`]), naming `field`.
pub fn refuse_future(
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    field: &str,
) -> crate::error::Result<()> {
    if at > now + CLOCK_SLACK {
        return Err(crate::error::Error::new(
            crate::error::ErrorCode::FutureDate,
            format!(
                "{} has not come yet: only what already happened can be recorded",
                stamp(at)
            ),
        )
        .with_field(field)
        .with_param("value", stamp(at)));
    }
    Ok(())
}

/// The one timestamp format the store writes: RFC 3339, UTC, whole seconds. Being fixed-width it
/// also sorts correctly as text.
pub fn stamp(at: DateTime<Utc>) -> String {
    // What `to_rfc3339_opts(SecondsFormat::Secs, true)` writes, without the formatter (a bulk
    // log stamps every row: chrono's formatting was a twentieth of logging a million).
    let secs = at.timestamp();
    let (y, mo, d) = civil(secs.div_euclid(86_400) as i32);
    if !(0..=9999).contains(&y) {
        return at.to_rfc3339_opts(SecondsFormat::Secs, true);
    }
    let t = secs.rem_euclid(86_400) as u32;
    let mut out = [0u8; 20];
    let mut put = |at: usize, n: u32, width: usize| {
        let mut n = n;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, y as u32, 4);
    put(5, mo, 2);
    put(8, d, 2);
    put(11, t / 3600, 2);
    put(14, t / 60 % 60, 2);
    put(17, t % 60, 2);
    for (i, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ] {
        out[i] = c;
    }
    // Digits and ASCII punctuation only.
    String::from_utf8_lossy(&out).into_owned()
}

/// (year, month, day) of a day counted from 1970-01-01 (the proleptic Gregorian calendar).
pub(crate) fn civil(day: i32) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_writes_what_chrono_writes() {
        // Every second would be too many: a walk with a stride prime to a day and a year,
        // from before 1970 to 9999, plus the edges.
        let mut t = -62_135_596_800i64; // 0001-01-01T00:00:00Z
        let end = 253_402_300_799i64; // 9999-12-31T23:59:59Z
        let mut checked = 0;
        while t <= end {
            let at = DateTime::from_timestamp(t, 0).unwrap();
            assert_eq!(stamp(at), at.to_rfc3339_opts(SecondsFormat::Secs, true));
            t += 7_919_993;
            checked += 1;
        }
        assert!(checked > 30_000);
        for t in [-1, 0, 1, 951_782_400, 951_868_799, 1_709_164_800, end] {
            let at = DateTime::from_timestamp(t, 0).unwrap();
            assert_eq!(stamp(at), at.to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        let later = DateTime::from_timestamp(end + 1, 0).unwrap();
        assert_eq!(
            stamp(later),
            later.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        let subsecond = DateTime::from_timestamp(1_764_000_000, 999_999_999).unwrap();
        assert_eq!(stamp(subsecond), "2025-11-24T16:00:00Z");
    }

    struct Shanghai(DateTime<Utc>);

    impl Clock for Shanghai {
        fn now(&self) -> DateTime<Utc> {
            self.0
        }
        fn utc_offset(&self) -> FixedOffset {
            FixedOffset::east_opt(8 * 3600).unwrap()
        }
    }

    #[test]
    fn today_is_the_managers_date_not_utcs() {
        // 20:00 UTC on the 25th is already 04:00 on the 26th in Shanghai.
        let at = DateTime::parse_from_rfc3339("2026-11-25T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(Shanghai(at).today().to_string(), "2026-11-26");
        assert_eq!(FixedClock(at).today().to_string(), "2026-11-25");
    }
}
