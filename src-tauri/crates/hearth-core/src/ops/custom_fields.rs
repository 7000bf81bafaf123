//! Custom fields: the profile fields a manager adds (text, number, date, single or multiple
//! choice), and the check of a value against its field ([`resolve_custom`], used by every
//! profile write and by segment filters). Deleting one hands back its values so Undo can put
//! everything back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{CustomField, CustomFieldDraft, CustomFieldKind};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::custom_fields;
use crate::text;

const MAX_LABEL: usize = 40;
const MAX_OPTIONS: usize = 50;

/// A deleted field with every value it had, for Undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeletedField {
    pub id: i64,
    pub field: CustomFieldDraft,
    /// (member id, value).
    pub values: Vec<(i64, String)>,
}

pub fn list(ctx: &Ctx) -> Result<Vec<CustomField>> {
    ctx.store.read(custom_fields::list)
}

fn clean(draft: &CustomFieldDraft) -> Result<CustomFieldDraft> {
    let label = text::clean(&draft.label);
    if label.is_empty() {
        return Err(Error::required("label"));
    }
    if label.chars().count() > MAX_LABEL {
        return Err(Error::too_long("label", MAX_LABEL));
    }
    let mut options: Vec<String> = Vec::new();
    for option in draft
        .options
        .iter()
        .map(|o| text::clean(o))
        .filter(|o| !o.is_empty())
    {
        if option.contains([',', '，', '、', ';', '；']) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("option \"{option}\" cannot contain a comma or semicolon"),
            )
            .with_field("options")
            .with_param("value", option));
        }
        if !options
            .iter()
            .any(|o| o.to_lowercase() == option.to_lowercase())
        {
            options.push(option);
        }
    }
    let choice = matches!(draft.kind, CustomFieldKind::Choice | CustomFieldKind::Multi);
    if choice && options.is_empty() {
        return Err(Error::required("options"));
    }
    if options.len() > MAX_OPTIONS {
        return Err(Error::new(ErrorCode::InvalidInput, "too many options").with_field("options"));
    }
    Ok(CustomFieldDraft {
        label,
        kind: draft.kind,
        options: if choice { options } else { Vec::new() },
    })
}

pub fn create(ctx: &Ctx, draft: CustomFieldDraft) -> Result<CustomField> {
    let draft = clean(&draft)?;
    let now = ctx.now_stamp();
    let id = ctx.store.write(|w| {
        custom_fields::insert(w, None, &draft.label, draft.kind, &draft.options, &now)
    })?;
    Ok(CustomField {
        id,
        label: draft.label,
        kind: draft.kind,
        options: draft.options,
    })
}

pub fn delete(ctx: &Ctx, id: i64) -> Result<DeletedField> {
    ctx.store.write(|w| {
        let field = custom_fields::list(&w.read())?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| Error::not_found("custom field", id))?;
        let values = custom_fields::delete(w, id)?;
        Ok(DeletedField {
            id,
            field: CustomFieldDraft {
                label: field.label,
                kind: field.kind,
                options: field.options,
            },
            values,
        })
    })
}

/// Undo of [`delete`]: the field with the same id, and its values.
pub fn restore(ctx: &Ctx, deleted: DeletedField) -> Result<CustomField> {
    let now = ctx.now_stamp();
    let draft = clean(&deleted.field)?;
    ctx.store.write(|w| {
        let id = custom_fields::insert(
            w,
            Some(deleted.id),
            &draft.label,
            draft.kind,
            &draft.options,
            &now,
        )?;
        custom_fields::restore_values(w, id, &deleted.values)?;
        Ok(CustomField {
            id,
            label: draft.label.clone(),
            kind: draft.kind,
            options: draft.options.clone(),
        })
    })
}

/// The longest value a text field keeps.
const MAX_CUSTOM_TEXT: usize = 1000;

/// Custom values by label → (field id, canonical value); empty values are dropped.
pub fn resolve_custom(
    fields: &[CustomField],
    raw: &BTreeMap<String, String>,
) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for (label, value) in raw {
        let value = text::clean(value);
        if value.is_empty() {
            continue;
        }
        let field = fields
            .iter()
            .find(|f| f.label.to_lowercase() == label.trim().to_lowercase())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("there is no custom field called {label}"),
                )
                .with_field(label)
            })?;
        let bad = || {
            Error::new(
                match field.kind {
                    CustomFieldKind::Number => ErrorCode::InvalidCustomNumber,
                    CustomFieldKind::Date => ErrorCode::InvalidCustomDate,
                    _ => ErrorCode::InvalidCustomChoice,
                },
                format!(
                    "\"{value}\" is not a valid {} for {}",
                    field.kind.as_str(),
                    field.label
                ),
            )
            .with_field(&field.label)
            .with_param("value", &value)
            .with_param("kind", field.kind.as_str())
            .with_param("options", field.options.join(", "))
        };
        let canonical = match field.kind {
            CustomFieldKind::Text => {
                if value.chars().count() > MAX_CUSTOM_TEXT {
                    return Err(Error::too_long(&field.label, MAX_CUSTOM_TEXT));
                }
                value.clone()
            }
            CustomFieldKind::Number => {
                let n: f64 = value.replace([',', '，'], "").parse().map_err(|_| bad())?;
                if !n.is_finite() {
                    return Err(bad());
                }
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", n as i64)
                } else {
                    n.to_string()
                }
            }
            CustomFieldKind::Date => NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .map(|d| d.format("%Y-%m-%d").to_string())
                .map_err(|_| bad())?,
            CustomFieldKind::Choice => field
                .options
                .iter()
                .find(|o| o.to_lowercase() == value.to_lowercase())
                .cloned()
                .ok_or_else(bad)?,
            CustomFieldKind::Multi => {
                let picked: Vec<String> = value
                    .split([',', '，', '、', ';', '；'])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| {
                        field
                            .options
                            .iter()
                            .find(|o| o.to_lowercase() == v.to_lowercase())
                            .cloned()
                            .ok_or_else(bad)
                    })
                    .collect::<Result<_>>()?;
                field
                    .options
                    .iter()
                    .filter(|o| picked.contains(o))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        out.push((field.id, canonical));
    }
    Ok(out)
}
