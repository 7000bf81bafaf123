//! Cell values as member lists write them, turned into what a member draft expects: dates in the
//! forms exports use, tag lists, genders, text that a formula-injection guard prefixed.
//! Pure functions; ambiguity is reported, never guessed silently.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::clock::stamp;
use crate::domain::Gender;

/// How to read dates that a file leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRules {
    /// `03/05/2024` is 3 May (true) or 5 March (false).
    pub day_first: bool,
    /// The manager's UTC offset, for times written without one (`2024/3/5 13:05`).
    pub utc_offset_minutes: i32,
    /// Excel serial numbers count from 1904 (old Mac workbooks) rather than 1900.
    pub excel_1904: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateIssue {
    NotADate,
}

/// Parses an instant; `Ok((stamp, ambiguous))` where `ambiguous` says the day/month order
/// decided the result (`03/05/2024`, both parts ≤ 12).
pub fn parse_instant(raw: &str, rules: DateRules) -> Result<(String, bool), DateIssue> {
    let s = raw.trim();
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    let offset = FixedOffset::east_opt(rules.utc_offset_minutes * 60).unwrap_or(utc);
    // `2021-02-03 09:12:44 UTC` (Discourse, Rails): a wall-clock time that says it is UTC.
    let (s, offset) = match s
        .len()
        .checked_sub(4)
        .filter(|&at| s.is_char_boundary(at))
        .map(|at| s.split_at(at))
    {
        Some((rest, zone))
            if zone.eq_ignore_ascii_case(" UTC") || zone.eq_ignore_ascii_case(" GMT") =>
        {
            (rest.trim_end(), utc)
        }
        _ => (s, offset),
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        return Ok((stamp(at.with_timezone(&Utc)), false));
    }
    if let Ok(at) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z") {
        return Ok((stamp(at.with_timezone(&Utc)), false));
    }
    if !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.bytes().filter(|&b| b == b'.').count() <= 1
    {
        return parse_number(s, rules)
            .map(|at| (stamp(at), false))
            .ok_or(DateIssue::NotADate);
    }
    let (naive, ambiguous) = parse_naive(s, rules.day_first).ok_or(DateIssue::NotADate)?;
    let local = offset
        .from_local_datetime(&naive)
        .single()
        .ok_or(DateIssue::NotADate)?;
    Ok((stamp(local.with_timezone(&Utc)), ambiguous))
}

/// Unix seconds (10 digits), Unix milliseconds (13 digits) or an Excel serial day number.
fn parse_number(s: &str, rules: DateRules) -> Option<DateTime<Utc>> {
    if !s.contains('.') && s.len() == 10 {
        return DateTime::from_timestamp(s.parse().ok()?, 0);
    }
    if !s.contains('.') && s.len() == 13 {
        return DateTime::from_timestamp_millis(s.parse().ok()?);
    }
    let serial: f64 = s.parse().ok()?;
    excel_serial(serial, rules.excel_1904)
}

/// An Excel serial date (days since 1899-12-30 in the 1900 system, with Lotus' phantom
/// 29 Feb 1900; since 1904-01-01 in the 1904 system) as a UTC instant of the wall-clock time.
pub fn excel_serial(serial: f64, is_1904: bool) -> Option<DateTime<Utc>> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else if serial < 61.0 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    let days = serial.trunc() as i64 - i64::from(!is_1904 && serial < 61.0);
    let seconds = ((serial.fract()) * 86_400.0).round() as i64;
    let at = epoch.and_time(NaiveTime::MIN) + Duration::days(days) + Duration::seconds(seconds);
    Some(at.and_utc())
}

fn parse_naive(s: &str, day_first: bool) -> Option<(NaiveDateTime, bool)> {
    // Chinese forms: 2024年3月5日 13:05
    let s = s.replace(['年', '月'], "-").replace(['日', '号'], " ");
    let s = s.trim();
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) || s.contains(',') {
        return parse_words(s);
    }
    let (date_part, time_part) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let time = parse_time(time_part)?;
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() == 3 && nums.len() == 3 {
        let (date, ambiguous) = if parts[0].len() == 4 {
            (
                NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2])?,
                false,
            )
        } else if parts[2].len() == 4 || parts[2].len() == 2 {
            let year = if parts[2].len() == 2 {
                2000 + nums[2] as i32
            } else {
                nums[2] as i32
            };
            // `5.3.2024` is always day first (the dotted form is European).
            let day_first = day_first || date_part.contains('.');
            let (d, m) = if day_first {
                (nums[0], nums[1])
            } else {
                (nums[1], nums[0])
            };
            let ambiguous = nums[0] <= 12 && nums[1] <= 12 && nums[0] != nums[1];
            (NaiveDate::from_ymd_opt(year, m, d)?, ambiguous)
        } else {
            return None;
        };
        return Some((date.and_time(time), ambiguous));
    }
    parse_words(s)
}

/// `March 5, 2024`, `5 Mar 2024 7:30 PM`, `Tue, 5 Mar 2024`.
fn parse_words(s: &str) -> Option<(NaiveDateTime, bool)> {
    for format in [
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%a, %d %b %Y",
        "%a %b %d %Y",
    ] {
        if let Ok(date) = NaiveDate::parse_from_str(date_part_words(s), format) {
            return Some((date.and_time(time_words(s)?), false));
        }
    }
    None
}

/// For word dates (`March 5, 2024 7:30 PM`), the part before the clock time.
fn date_part_words(s: &str) -> &str {
    match s
        .find(|c: char| c.is_ascii_digit())
        .and_then(|first| s[first..].find(':').map(|colon| first + colon))
    {
        Some(colon) => s[..colon].rsplit_once(' ').map_or(s, |(d, _)| d.trim()),
        None => s,
    }
}

fn time_words(s: &str) -> Option<NaiveTime> {
    match s.find(':') {
        Some(colon) => {
            let start = s[..colon].rfind(' ').map_or(0, |i| i + 1);
            parse_time(s[start..].trim())
        }
        None => Some(NaiveTime::MIN),
    }
}

fn parse_time(t: &str) -> Option<NaiveTime> {
    let t = t.trim().trim_end_matches('Z');
    if t.is_empty() {
        return Some(NaiveTime::MIN);
    }
    let upper = t.to_ascii_uppercase();
    let (clock, pm) = if let Some(c) = upper.strip_suffix("PM") {
        (c.trim().to_owned(), Some(true))
    } else if let Some(c) = upper.strip_suffix("AM") {
        (c.trim().to_owned(), Some(false))
    } else {
        (upper.clone(), None)
    };
    let clock = clock.split('.').next().unwrap_or_default();
    let mut parts = clock.split(':').map(|p| p.trim().parse::<u32>());
    let mut h = parts.next()?.ok()?;
    let m = parts.next().unwrap_or(Ok(0)).ok()?;
    let sec = parts.next().unwrap_or(Ok(0)).ok()?;
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

/// A birthday as the member draft takes it: `YYYY-MM-DD` or `--MM-DD` without a year.
pub fn parse_birthday(raw: &str, day_first: bool) -> Option<String> {
    let s = raw
        .trim()
        .replace(['年', '月'], "-")
        .replace(['日', '号'], "");
    let s = s.split([' ', 'T']).next().unwrap_or_default();
    let parts: Vec<u32> = s
        .split(['-', '/', '.'])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let raw_parts: Vec<&str> = s.split(['-', '/', '.']).filter(|p| !p.is_empty()).collect();
    let (y, m, d) = match parts.as_slice() {
        [a, b, c] if raw_parts[0].len() == 4 => (Some(*a as i32), *b, *c),
        [a, b, c] if day_first => (Some(*c as i32), *b, *a),
        [a, b, c] => (Some(*c as i32), *a, *b),
        [a, b] if day_first && raw_parts[0].len() <= 2 => (None, *b, *a),
        [a, b] => (None, *a, *b),
        _ => return None,
    };
    match y {
        Some(y) if y > 1000 => {
            NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
        }
        _ => NaiveDate::from_ymd_opt(2000, m, d).map(|_| format!("--{m:02}-{d:02}")),
    }
}

/// 男/女 and their English forms; anything else is left unknown rather than refused.
pub fn parse_gender(raw: &str) -> Option<Gender> {
    match raw.trim().to_lowercase().as_str() {
        "男" | "男性" | "先生" | "m" | "male" | "man" | "1" => Some(Gender::Male),
        "女" | "女性" | "女士" | "f" | "female" | "woman" | "2" => Some(Gender::Female),
        "其他" | "other" | "non-binary" | "nonbinary" => Some(Gender::Other),
        _ => None,
    }
}

/// Splits a tag cell on `,` `，` `、` `;` `；` `|` and newlines, and unwraps quoted or bracketed
/// lists (`["VIP","讲师"]`, `"a","b"`).
pub fn split_tags(raw: &str) -> Vec<String> {
    let trimmed = raw.trim().trim_start_matches('[').trim_end_matches(']');
    // Google Contacts joins labels with ` ::: `.
    trimmed
        .replace(":::", "\n")
        .split([',', '，', '、', ';', '；', '|', '\n'])
        .map(|t| t.trim().trim_matches(['"', '\'', '“', '”']).trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// HTML entities QQ and web exports leave in names (`&amp;`, `&#39;`, `&#x4E2D;`).
pub fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &tail[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Undoes the apostrophe a formula-injection guard puts before `=` `+` `-` `@` (Hearth's own
/// exports do this), so export → import gives back the same values.
pub fn strip_formula_guard(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => raw,
    }
}

/// Values exports write for "nothing here": Outlook's `0/0/00` in every empty Birthday and
/// Anniversary cell and `1/1/1601` (the Windows epoch), `-`, `—`, `无`, `N/A`, `null`, `none`
/// in Chinese and English spreadsheets. Such a cell is read as empty.
pub fn is_placeholder(raw: &str) -> bool {
    let v = raw.trim().to_lowercase();
    matches!(
        v.as_str(),
        "0/0/00"
            | "0/0/0000"
            | "00/00/00"
            | "00/00/0000"
            | "0000-00-00"
            | "0000/00/00"
            | "1/1/1601"
            | "01/01/1601"
            | "1601-01-01"
            | "-"
            | "--"
            | "—"
            | "——"
            | "－"
            | "/"
            | "无"
            | "暂无"
            | "空"
            | "n/a"
            | "#n/a"
            | "null"
            | "(null)"
            | "nil"
            | "none"
            | "undefined"
    )
}

/// Splits a cell that holds several values: Google's ` ::: `, newlines, and for phone, e-mail,
/// QQ and WeChat cells (`lists`) also `,` `;` `、` `/` and their full-width forms. Placeholders
/// and empty parts are dropped.
pub fn split_values(raw: &str, lists: bool) -> Vec<String> {
    let separators: &[char] = if lists {
        &[',', ';', '，', '；', '、', '/', '\n', '\r', '|']
    } else {
        &['\n', '\r']
    };
    raw.replace(":::", "\n")
        .split(separators)
        .map(str::trim)
        .filter(|v| !v.is_empty() && !is_placeholder(v))
        .map(str::to_owned)
        .collect()
}

/// `1.38001E+10`: a number Excel rewrote in scientific notation, digits lost.
pub fn is_e_notation(raw: &str) -> bool {
    let s = raw.trim();
    let Some((mantissa, exponent)) = s.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.trim_start_matches('+');
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.contains('.')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_read_as_empty_and_lists_split() {
        for empty in [
            "0/0/00", "1/1/1601", "-", "无", "N/A", "null", " NULL ", "—",
        ] {
            assert!(is_placeholder(empty), "{empty}");
        }
        for value in ["0", "张伟", "1/1/2000", "a-b", "Nana"] {
            assert!(!is_placeholder(value), "{value}");
        }
        assert_eq!(
            split_values("a@x.com ::: b@y.org", true),
            ["a@x.com", "b@y.org"]
        );
        assert_eq!(
            split_values("13800138000；13900139000\n-", true),
            ["13800138000", "13900139000"]
        );
        assert_eq!(split_values("Leo, SZ ::: 阿杰", false), ["Leo, SZ", "阿杰"]);
    }

    const CN: DateRules = DateRules {
        day_first: false,
        utc_offset_minutes: 8 * 60,
        excel_1904: false,
    };

    fn at(raw: &str, rules: DateRules) -> String {
        parse_instant(raw, rules)
            .unwrap_or_else(|e| panic!("{raw}: {e:?}"))
            .0
    }

    #[test]
    fn dates_in_the_forms_exports_use() {
        assert_eq!(at("2024/3/5 13:05", CN), "2024-03-05T05:05:00Z");
        assert_eq!(at("2024-03-05", CN), "2024-03-04T16:00:00Z");
        assert_eq!(at("2024年3月5日", CN), "2024-03-04T16:00:00Z");
        assert_eq!(at("2024-03-05T13:05:00Z", CN), "2024-03-05T13:05:00Z");
        assert_eq!(at("2024-03-05T13:05:00+08:00", CN), "2024-03-05T05:05:00Z");
        assert_eq!(at("1709643900", CN), "2024-03-05T13:05:00Z");
        assert_eq!(at("1709643900000", CN), "2024-03-05T13:05:00Z");
        // 45356 is 2024-03-05 in the 1900 system; the 1904 system is 1,462 days later.
        let utc = DateRules {
            utc_offset_minutes: 0,
            ..CN
        };
        assert_eq!(at("45356", utc), "2024-03-05T00:00:00Z");
        assert_eq!(
            at(
                "43894",
                DateRules {
                    excel_1904: true,
                    ..utc
                }
            ),
            "2024-03-05T00:00:00Z"
        );
        assert_eq!(at("45356.5", utc), "2024-03-05T12:00:00Z");
        assert_eq!(at("March 5, 2024", utc), "2024-03-05T00:00:00Z");
        assert_eq!(at("Mar 5, 2024 7:30 PM", utc), "2024-03-05T19:30:00Z");
        assert_eq!(at("2021-02-03 09:12:44 UTC", CN), "2021-02-03T09:12:44Z");
        assert!(parse_instant("soon", CN).is_err());
        assert!(parse_instant("2024-02-30", CN).is_err());
    }

    #[test]
    fn day_month_order_is_the_managers_choice_and_flagged() {
        let (us, ambiguous) = parse_instant(
            "03/05/2024",
            DateRules {
                utc_offset_minutes: 0,
                ..CN
            },
        )
        .unwrap();
        assert_eq!(us, "2024-03-05T00:00:00Z");
        assert!(ambiguous);
        let uk = DateRules {
            day_first: true,
            utc_offset_minutes: 0,
            ..CN
        };
        assert_eq!(at("03/05/2024", uk), "2024-05-03T00:00:00Z");
        assert!(!parse_instant("25/12/2024", uk).unwrap().1);
        assert_eq!(
            at(
                "5.3.2024",
                DateRules {
                    utc_offset_minutes: 0,
                    ..CN
                }
            ),
            "2024-03-05T00:00:00Z"
        );
    }

    #[test]
    fn birthdays_with_and_without_year() {
        assert_eq!(
            parse_birthday("1990-05-17", false).as_deref(),
            Some("1990-05-17")
        );
        assert_eq!(
            parse_birthday("1990/5/17", false).as_deref(),
            Some("1990-05-17")
        );
        assert_eq!(parse_birthday("05/17", false).as_deref(), Some("--05-17"));
        assert_eq!(parse_birthday("5月17日", false).as_deref(), Some("--05-17"));
        assert_eq!(parse_birthday("17/05", true).as_deref(), Some("--05-17"));
        assert_eq!(parse_birthday("02/30", false), None);
    }

    #[test]
    fn tags_split_on_every_separator_managers_use() {
        assert_eq!(
            split_tags("VIP，讲师、北京;志愿者|2024"),
            ["VIP", "讲师", "北京", "志愿者", "2024"]
        );
        assert_eq!(split_tags(r#"["VIP","讲师"]"#), ["VIP", "讲师"]);
        assert_eq!(
            split_tags("* myContacts ::: Community ::: Volunteers"),
            ["* myContacts", "Community", "Volunteers"]
        );
        assert_eq!(split_tags(r#""a", "b""#), ["a", "b"]);
        assert!(split_tags("  ").is_empty());
    }

    #[test]
    fn entities_guard_and_e_notation() {
        assert_eq!(
            decode_entities("Tom &amp; Jerry&#39;s &#x4E2D;"),
            "Tom & Jerry's 中"
        );
        assert_eq!(decode_entities("AT&T"), "AT&T");
        assert_eq!(strip_formula_guard("'+8613800138000"), "+8613800138000");
        assert_eq!(strip_formula_guard("'hello"), "'hello");
        assert!(is_e_notation("1.38001E+10"));
        assert!(!is_e_notation("13800138000"));
        assert!(!is_e_notation("Eve"));
    }
}
