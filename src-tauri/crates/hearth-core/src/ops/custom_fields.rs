//! Custom fields: the profile fields a manager adds (text, number, date, single or multiple
//! choice). Deleting one hands back its values so Undo can put everything back.

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
