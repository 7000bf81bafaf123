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
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

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
