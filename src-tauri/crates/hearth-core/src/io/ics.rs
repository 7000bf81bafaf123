//! Writing events (and the content plan) as an iCalendar file (RFC 5545) that phone and desktop
//! calendars import.
//!
//! One `VCALENDAR` (`METHOD:PUBLISH`) with one `VEVENT` per [`IcsEvent`]. Times are written in
//! UTC (`19700101T000000Z`), so no `VTIMEZONE` is needed; the zone the event is held in is
//! informational only: `X-WR-TIMEZONE` on the calendar when every event shares it (Google and
//! Apple calendars show it) and `X-HEARTH-TIME-ZONE` on each event.
//!
//! Text values are escaped (`\` `;` `,` and line breaks), other control characters are dropped,
//! lines end with CRLF and are folded at 75 octets without cutting a UTF-8 character in two.
//! Pure function: no clock (the caller passes `stamp`), no I/O.

use chrono::{DateTime, Utc};

pub struct IcsEvent<'a> {
    /// Stable across exports, e.g. `event-12@hearth.local`, so a re-import updates the event.
    pub uid: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Venue, may be "".
    pub location: &'a str,
    /// Online link.
    pub url: Option<&'a str>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// IANA name the event is held in, e.g. `Asia/Shanghai`; informational (times are UTC).
    pub time_zone: &'a str,
    /// `DTSTAMP`: the caller's clock's now.
    pub stamp: DateTime<Utc>,
    /// `CONFIRMED`, `CANCELLED` or `TENTATIVE` (any case); anything else writes no `STATUS`.
    pub status: &'a str,
    /// `CATEGORIES` (a content item's channels); none writes no property.
    pub categories: Vec<&'a str>,
}

/// PRODID of every calendar Hearth writes.
pub const PRODID: &str = "-//Hearth//社群运营台//ZH";

/// The longest physical line, in octets, without its CRLF.
const MAX_OCTETS: usize = 75;

/// One `VCALENDAR` holding `events`, CRLF line endings.
pub fn write(events: &[IcsEvent<'_>]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:{}", text(PRODID)));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    if let Some(first) = events.first() {
        let zone = first.time_zone.trim();
        if !zone.is_empty() && events.iter().all(|e| e.time_zone.trim() == zone) {
            line(&mut out, &format!("X-WR-TIMEZONE:{}", text(zone)));
        }
    }
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", text(e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(e.stamp)));
        line(&mut out, &format!("DTSTART:{}", utc(e.starts_at)));
        line(&mut out, &format!("DTEND:{}", utc(e.ends_at)));
        line(&mut out, &format!("SUMMARY:{}", text(e.title)));
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", text(e.description)));
        }
        if !e.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", text(e.location)));
        }
        if let Some(url) = e.url.map(str::trim).filter(|u| !u.is_empty()) {
            // A URI, not TEXT: not escaped, but it must stay on one logical line.
            let url: String = url.chars().filter(|c| !c.is_control()).collect();
            line(&mut out, &format!("URL:{url}"));
        }
        let status = e.status.trim().to_ascii_uppercase();
        if matches!(status.as_str(), "CONFIRMED" | "CANCELLED" | "TENTATIVE") {
            line(&mut out, &format!("STATUS:{status}"));
        }
        if !e.categories.is_empty() {
            let list: Vec<String> = e.categories.iter().map(|c| text(c)).collect();
            line(&mut out, &format!("CATEGORIES:{}", list.join(",")));
        }
        if !e.time_zone.trim().is_empty() {
            line(
                &mut out,
                &format!("X-HEARTH-TIME-ZONE:{}", text(e.time_zone.trim())),
            );
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// `DATE-TIME` in UTC form: `20241130T060000Z`.
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A `TEXT` value (RFC 5545 §3.3.11): `\` `;` `,` escaped, line breaks as `\n`, other control
/// characters (except tab) dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded (RFC 5545 §3.1): no physical line longer than 75 octets,
/// continuation lines start with one space, breaks fall between characters.
fn line(out: &mut String, content: &str) {
    let mut used = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if used + n > MAX_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escaping() {
        assert_eq!(text("a\\b;c,d\r\ne\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(text("x\u{7}y"), "xy");
    }

    #[test]
    fn folding_keeps_characters_whole() {
        let mut out = String::new();
        let content = format!("SUMMARY:{}", "读书会".repeat(20));
        line(&mut out, &content);
        for l in out.split_terminator("\r\n") {
            assert!(l.len() <= MAX_OCTETS, "{l:?}");
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), content);
    }
}
