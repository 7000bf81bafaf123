//! Text normalisation shared by every way data enters: typed in the UI, the CLI, demo data (and
//! later imports). Pure functions, no I/O.

mod phone;
mod pinyin_keys;

pub use phone::{normalize_phone, Region};
pub use pinyin_keys::{name_keys, NameKeys};

use unicode_normalization::UnicodeNormalization;

/// NFC, trims ASCII and full-width (U+3000) whitespace, collapses inner runs of whitespace into one
/// ASCII space.
pub fn clean(raw: &str) -> String {
    let nfc: String = raw.nfc().collect();
    nfc.split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-cased, NFC, trimmed; `None` unless it looks like `local@domain.tld`.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email: String = clean(raw).to_lowercase();
    if email.len() > 254 || email.contains(' ') {
        return None;
    }
    let (local, domain) = email.split_once('@')?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty() && local.len() <= 64 && !local.contains('@');
    (domain_ok && local_ok).then_some(email)
}

/// WeChat IDs: 6–20 characters of letters, digits, `_` and `-`, starting with a letter. Kept as
/// typed (WeChat shows them as typed), compared exactly.
pub fn normalize_wechat(raw: &str) -> Option<String> {
    let id = clean(raw);
    let len = id.chars().count();
    let ok = (6..=20).contains(&len)
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then_some(id)
}

/// QQ numbers: 5–11 digits, no leading zero.
pub fn normalize_qq(raw: &str) -> Option<String> {
    let id = clean(raw);
    let ok = (5..=11).contains(&id.len())
        && !id.starts_with('0')
        && id.chars().all(|c| c.is_ascii_digit());
    ok.then_some(id)
}

/// Group nicknames, remark names, QQ cards and forum handles: cleaned, HTML entities that QQ
/// exports leave behind decoded, 1–64 characters.
pub fn normalize_nickname(raw: &str) -> Option<String> {
    let decoded = raw
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ");
    let nick = clean(&decoded);
    (!nick.is_empty() && nick.chars().count() <= 64).then_some(nick)
}

/// `platform:id`: the platform name lower-cased (`meetup`, `discord`, `luma`), the id kept
/// exactly (19-digit Discord snowflakes must not pass through a float).
pub fn normalize_platform_id(raw: &str) -> Option<String> {
    let (platform, id) = raw.trim().split_once(':')?;
    let platform = platform.trim().to_lowercase();
    let id = id.trim();
    let ok = !platform.is_empty()
        && platform.len() <= 32
        && platform
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !id.is_empty()
        && id.chars().count() <= 128
        && !id.chars().any(char::is_whitespace);
    ok.then(|| format!("{platform}:{id}"))
}

/// A search query as the store matches it: cleaned and lower-cased; a query made only of digits
/// and phone punctuation (`138-0013`, `+86 138`) becomes its digits.
pub fn search_needle(raw: &str) -> String {
    let q = clean(raw).to_lowercase();
    let phoneish = q.chars().any(|c| c.is_ascii_digit())
        && q.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '.'));
    if phoneish {
        q.chars().filter(char::is_ascii_digit).collect()
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_trims_full_width_space_and_composes() {
        assert_eq!(clean("\u{3000} 张伟\u{3000}"), "张伟");
        assert_eq!(clean("Tom   \t Lee"), "Tom Lee");
        assert_eq!(clean("Cafe\u{301}"), "Caf\u{e9}");
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Li.Na@Example.COM ").as_deref(),
            Some("li.na@example.com")
        );
        assert_eq!(normalize_email("li.na@example"), None);
        assert_eq!(normalize_email("li na@example.com"), None);
        assert_eq!(normalize_email("@example.com"), None);
        assert_eq!(normalize_email("a@b@example.com"), None);
    }

    #[test]
    fn wechat_and_qq() {
        assert_eq!(
            normalize_wechat("zhang_wei-88").as_deref(),
            Some("zhang_wei-88")
        );
        assert_eq!(normalize_wechat("1zhangwei"), None);
        assert_eq!(normalize_wechat("abc"), None);
        assert_eq!(normalize_qq("10001").as_deref(), Some("10001"));
        assert_eq!(normalize_qq("01234"), None);
    }

    #[test]
    fn nicknames_and_platform_ids() {
        assert_eq!(
            normalize_nickname(" 小王&amp;小李\u{3000}").as_deref(),
            Some("小王&小李")
        );
        assert_eq!(normalize_nickname("  "), None);
        assert_eq!(
            normalize_platform_id("Discord: 1234567890123456789").as_deref(),
            Some("discord:1234567890123456789")
        );
        assert_eq!(normalize_platform_id("1234"), None);
        assert_eq!(normalize_platform_id("meetup:"), None);
    }

    #[test]
    fn needles() {
        assert_eq!(search_needle(" 138-0013 "), "1380013");
        assert_eq!(search_needle("ZW"), "zw");
        assert_eq!(search_needle("张伟"), "张伟");
    }
}
