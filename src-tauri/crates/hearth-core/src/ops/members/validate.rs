//! Turns a [`MemberDraft`] into a [`MemberRecord`] the store can write, or the first error a
//! manager needs to fix, naming the field.

use chrono::{DateTime, NaiveDate, Utc};

use crate::clock::stamp;

use crate::domain::{CustomField, Identity, IdentityKind, MemberDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::custom_fields::resolve_custom;
use crate::ops::tags::clean_tags;
use crate::store::members::MemberRecord;
use crate::text::{self, Region};

pub const MAX_NAME: usize = 100;
pub const MAX_NOTES: usize = 10_000;
const MAX_CITY: usize = 50;
const MAX_ROLE: usize = 40;
const MAX_RESPONSIBILITIES: usize = 500;
const MAX_SOURCE: usize = 100;
const MAX_IDENTITIES: usize = 50;
const MAX_TAGS: usize = 100;

pub fn validate(draft: &MemberDraft) -> Result<MemberRecord> {
    let display_name = text::clean(&draft.display_name);
    if display_name.is_empty() {
        return Err(Error::required("display_name"));
    }
    if display_name.chars().count() > MAX_NAME {
        return Err(Error::too_long("display_name", MAX_NAME));
    }
    let notes = draft.notes.trim().to_owned();
    if notes.chars().count() > MAX_NOTES {
        return Err(Error::too_long("notes", MAX_NOTES));
    }
    if draft.identities.len() > MAX_IDENTITIES {
        return Err(
            Error::new(ErrorCode::InvalidInput, "too many identities").with_field("identities")
        );
    }
    let mut identities: Vec<Identity> = Vec::with_capacity(draft.identities.len());
    for raw in &draft.identities {
        if raw.value.trim().is_empty() {
            continue;
        }
        let identity = normalize_identity(raw)?;
        if !identities.contains(&identity) {
            identities.push(identity);
        }
    }
    let tags = clean_tags(&draft.tags)?;
    if tags.len() > MAX_TAGS {
        return Err(Error::new(ErrorCode::InvalidInput, "too many tags").with_field("tags"));
    }
    let joined_at = match draft.joined_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(parse_instant(raw).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidDate,
                format!("Joined date \"{raw}\" is not a date"),
            )
            .with_field("joined_at")
            .with_param("value", raw)
        })?),
    };
    let city = short_text(&draft.city, "city", MAX_CITY)?;
    let role = short_text(&draft.role, "role", MAX_ROLE)?;
    let source = short_text(&draft.source, "source", MAX_SOURCE)?;
    let responsibilities = draft.responsibilities.trim().to_owned();
    if responsibilities.chars().count() > MAX_RESPONSIBILITIES {
        return Err(Error::too_long("responsibilities", MAX_RESPONSIBILITIES));
    }
    let birthday = match draft.birthday.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(parse_birthday(raw).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidDate,
                format!("Birthday \"{raw}\" is not a date"),
            )
            .with_field("birthday")
            .with_param("value", raw)
        })?),
    };
    Ok(MemberRecord {
        keys: text::name_keys(&display_name),
        display_name,
        identities,
        tags,
        joined_at,
        notes,
        gender: draft.gender,
        city,
        birthday,
        role,
        responsibilities,
        source,
        identity_source: "manual".to_owned(),
        custom: Vec::new(),
    })
}

/// [`validate`], plus the custom field values checked against the fields defined in the store.
pub fn validate_in(r: &crate::store::Read<'_>, draft: &MemberDraft) -> Result<MemberRecord> {
    if draft.custom.is_empty() {
        return validate(draft);
    }
    validate_with(&crate::store::custom_fields::list(r)?, draft)
}

/// [`validate_in`] with the custom fields already read (an import reads them once).
pub fn validate_with(fields: &[CustomField], draft: &MemberDraft) -> Result<MemberRecord> {
    let mut record = validate(draft)?;
    if !draft.custom.is_empty() {
        record.custom = resolve_custom(fields, &draft.custom)?;
    }
    Ok(record)
}

fn short_text(raw: &str, field: &str, max: usize) -> Result<String> {
    let value = text::clean(raw);
    if value.chars().count() > max {
        return Err(Error::too_long(field, max));
    }
    Ok(value)
}

/// `YYYY-MM-DD` as is; `MM-DD` or `--MM-DD` (year unknown) as `--MM-DD`. 29 February is a valid
/// birthday without a year.
fn parse_birthday(raw: &str) -> Option<String> {
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(date.format("%Y-%m-%d").to_string());
    }
    let md = raw.strip_prefix("--").unwrap_or(raw);
    let (m, d) = md.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2000, m, d)?;
    Some(format!("--{m:02}-{d:02}"))
}

fn normalize_identity(raw: &Identity) -> Result<Identity> {
    let value = raw.value.trim();
    let (normalized, code, what) = match raw.kind {
        IdentityKind::Phone => (
            text::normalize_phone(value, Region::default()),
            ErrorCode::InvalidPhone,
            "phone number",
        ),
        IdentityKind::Email => (
            text::normalize_email(value),
            ErrorCode::InvalidEmail,
            "email",
        ),
        IdentityKind::Wechat => (
            text::normalize_wechat(value),
            ErrorCode::InvalidWechat,
            "WeChat ID",
        ),
        IdentityKind::Qq => (text::normalize_qq(value), ErrorCode::InvalidQq, "QQ number"),
        IdentityKind::WechatRemark | IdentityKind::GroupNick | IdentityKind::QqCard => (
            text::normalize_nickname(value),
            ErrorCode::InvalidIdentity,
            "nickname",
        ),
        IdentityKind::Forum => (
            text::normalize_nickname(value),
            ErrorCode::InvalidIdentity,
            "forum handle",
        ),
        IdentityKind::Platform => (
            text::normalize_platform_id(value),
            ErrorCode::InvalidIdentity,
            "platform id (platform:id)",
        ),
    };
    let value_out = normalized.ok_or_else(|| {
        Error::new(code, format!("\"{value}\" is not a valid {what}"))
            .with_field(raw.kind.as_str())
            .with_param("value", value)
    })?;
    Ok(Identity {
        kind: raw.kind,
        value: value_out,
    })
}

/// `YYYY-MM-DD` (taken as midnight UTC) or RFC 3339 with any offset, stored as UTC.
fn parse_instant(raw: &str) -> Option<String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(stamp(at.with_timezone(&Utc)));
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    Some(stamp(date.and_hms_opt(0, 0, 0)?.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str) -> MemberDraft {
        MemberDraft {
            display_name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert_eq!(
            validate(&draft("  \u{3000}")).unwrap_err().code,
            ErrorCode::Required
        );
        let long = "长".repeat(MAX_NAME + 1);
        let err = validate(&draft(&long)).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::TooLong, Some("display_name"))
        );
        assert!(validate(&draft(&"长".repeat(MAX_NAME))).is_ok());
    }

    #[test]
    fn identities_are_normalised_and_deduplicated() {
        let mut d = draft("张伟");
        d.identities = vec![
            Identity {
                kind: IdentityKind::Phone,
                value: "138-0013-8000".into(),
            },
            Identity {
                kind: IdentityKind::Phone,
                value: "+86 138 0013 8000".into(),
            },
            Identity {
                kind: IdentityKind::Email,
                value: "ZW@Example.com".into(),
            },
            Identity {
                kind: IdentityKind::Wechat,
                value: "  ".into(),
            },
        ];
        let record = validate(&d).unwrap();
        assert_eq!(
            record.identities,
            vec![
                Identity {
                    kind: IdentityKind::Phone,
                    value: "+8613800138000".into()
                },
                Identity {
                    kind: IdentityKind::Email,
                    value: "zw@example.com".into()
                },
            ]
        );
    }

    #[test]
    fn a_bad_identity_names_its_field_and_value() {
        let mut d = draft("张伟");
        d.identities = vec![Identity {
            kind: IdentityKind::Email,
            value: "zw@".into(),
        }];
        let err = validate(&d).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidEmail);
        assert_eq!(err.field.as_deref(), Some("email"));
        assert_eq!(err.params["value"], "zw@");
    }

    #[test]
    fn dates_and_tags() {
        let mut d = draft("Tom");
        d.joined_at = Some("2024-03-05".into());
        d.tags = vec!["VIP".into(), "vip".into(), " 北京 ".into()];
        let record = validate(&d).unwrap();
        assert_eq!(record.joined_at.as_deref(), Some("2024-03-05T00:00:00Z"));
        assert_eq!(record.tags, vec!["VIP", "北京"]);
        d.joined_at = Some("2024-03-05T08:00:00+08:00".into());
        assert_eq!(
            validate(&d).unwrap().joined_at.as_deref(),
            Some("2024-03-05T00:00:00Z")
        );
        d.joined_at = Some("5 March".into());
        assert_eq!(validate(&d).unwrap_err().code, ErrorCode::InvalidDate);
    }

    #[test]
    fn birthdays_with_and_without_a_year() {
        let mut d = draft("Tom");
        for (raw, stored) in [
            ("1990-02-28", "1990-02-28"),
            ("2-29", "--02-29"),
            ("--12-01", "--12-01"),
        ] {
            d.birthday = Some(raw.into());
            assert_eq!(
                validate(&d).unwrap().birthday.as_deref(),
                Some(stored),
                "{raw}"
            );
        }
        for raw in ["1990-02-30", "13-01", "tomorrow"] {
            d.birthday = Some(raw.into());
            let err = validate(&d).unwrap_err();
            assert_eq!(
                (err.code, err.field.as_deref()),
                (ErrorCode::InvalidDate, Some("birthday"))
            );
        }
    }
}
