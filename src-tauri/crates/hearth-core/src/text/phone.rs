//! Phone numbers to E.164. Deliberately small: mainland China rules in full (the default region),
//! plus any number written with an explicit `+`/`00` country code. A number we cannot place is an
//! error for the caller to show, never a guess.

/// The region a number without a country code is assumed to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Region {
    /// Mainland China, +86 (the default).
    #[default]
    Cn,
    /// North America, +1.
    Us,
}

/// `+86 138 0013 8000`, `8613800138000`, `138-0013-8000` and `(010) 6552 9988` all come out as
/// `+86...`. Returns `None` for anything that is not a plausible number.
pub fn normalize_phone(raw: &str, region: Region) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let allowed =
        |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+' | '\u{3000}');
    if !trimmed.chars().all(allowed) {
        return None;
    }
    // A plus is only meaningful before the first digit, and only once.
    let plus_at = trimmed.find('+');
    let first_digit = trimmed.find(|c: char| c.is_ascii_digit())?;
    if trimmed.matches('+').count() > 1 || plus_at.is_some_and(|p| p > first_digit) {
        return None;
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let international = if plus_at.is_some() {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    if let Some(number) = international {
        return e164_from_international(number);
    }
    match region {
        Region::Cn => cn_national(&digits),
        Region::Us => us_national(&digits),
    }
}

fn e164_from_international(number: &str) -> Option<String> {
    if let Some(national) = number.strip_prefix("86") {
        return cn_national(national);
    }
    if let Some(national) = number.strip_prefix('1') {
        return us_national(national).or_else(|| generic(number));
    }
    generic(number)
}

fn generic(number: &str) -> Option<String> {
    let ok = (8..=15).contains(&number.len()) && !number.starts_with('0');
    ok.then(|| format!("+{number}"))
}

fn cn_national(digits: &str) -> Option<String> {
    let bytes = digits.as_bytes();
    // Mobile: 11 digits, 1[3-9]x. Also accept the country code glued on without a plus.
    if bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]) {
        return Some(format!("+86{digits}"));
    }
    if bytes.len() == 13 && digits.starts_with("861") {
        return cn_national(&digits[2..]);
    }
    // Landline with trunk prefix 0: area code (2–3 digits) + 7–8 digit subscriber number.
    if let Some(rest) = digits.strip_prefix('0') {
        if (9..=11).contains(&rest.len()) && !rest.starts_with('0') {
            return Some(format!("+86{rest}"));
        }
    }
    None
}

fn us_national(digits: &str) -> Option<String> {
    let digits = if digits.len() == 11 {
        digits.strip_prefix('1')?
    } else {
        digits
    };
    let b = digits.as_bytes();
    let ok = b.len() == 10 && (b'2'..=b'9').contains(&b[0]) && (b'2'..=b'9').contains(&b[3]);
    ok.then(|| format!("+1{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(raw: &str) -> Option<String> {
        normalize_phone(raw, Region::Cn)
    }

    #[test]
    fn mainland_mobile_in_every_common_shape() {
        for raw in [
            "+86 138 0013 8000",
            "8613800138000",
            "138-0013-8000",
            "13800138000",
            "0086 13800138000",
            "(+86) 138.0013.8000",
        ] {
            assert_eq!(cn(raw).as_deref(), Some("+8613800138000"), "{raw}");
        }
    }

    #[test]
    fn landlines_and_other_countries() {
        assert_eq!(cn("(010) 6552 9988").as_deref(), Some("+861065529988"));
        assert_eq!(cn("+1 (415) 555-0132").as_deref(), Some("+14155550132"));
        assert_eq!(cn("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(
            normalize_phone("415-555-0132", Region::Us).as_deref(),
            Some("+14155550132")
        );
    }

    #[test]
    fn rejects_what_it_cannot_place() {
        for raw in [
            "",
            "12345",
            "1.38001E+10",
            "138001380001",
            "phone",
            "+86 12800138000",
            "555-0132",
        ] {
            assert_eq!(cn(raw), None, "{raw}");
        }
    }
}
