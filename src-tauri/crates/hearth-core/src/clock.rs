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
