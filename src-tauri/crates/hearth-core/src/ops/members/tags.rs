//! Bulk tagging: add or remove tags on many members in one transaction.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::members;

use crate::ops::tags::clean_tags;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkTag {
    pub ids: Vec<i64>,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
    /// The last day the added tags stay on (`YYYY-MM-DD`); none: they stay.
    #[serde(default)]
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkTagOutcome {
    /// New (member, tag) links.
    pub added: u32,
    /// Links taken away.
    pub removed: u32,
}

pub fn bulk_tag(ctx: &Ctx, input: BulkTag) -> Result<BulkTagOutcome> {
    let add = clean_tags(&input.add)?;
    let remove = clean_tags(&input.remove)?;
    if add.is_empty() && remove.is_empty() {
        return Err(Error::required("tags"));
    }
    if input.ids.is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "no members selected").with_field("members")
        );
    }
    let expires_on = match input.expires_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(day) => {
            let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| {
                Error::new(ErrorCode::InvalidDate, format!("\"{day}\" is not a date"))
                    .with_field("expires_on")
                    .with_param("value", day)
            })?;
            if date < ctx.clock.today() {
                return Err(Error::new(
                    ErrorCode::InvalidDate,
                    format!("{day} is already past; a tag cannot expire in the past"),
                )
                .with_field("expires_on")
                .with_param("value", day));
            }
            Some(date.format("%Y-%m-%d").to_string())
        }
    };
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        Ok(BulkTagOutcome {
            added: members::add_tags(w, &input.ids, &add, expires_on.as_deref(), &now)?,
            removed: members::remove_tags(w, &input.ids, &remove, &now)?,
        })
    })
}

/// Takes off tags whose last day has passed (run at start-up and before listing in the CLI);
/// returns how many members lost a tag.
pub fn expire_tags(ctx: &Ctx) -> Result<u32> {
    let today = ctx.clock.today().format("%Y-%m-%d").to_string();
    let now = ctx.now_stamp();
    Ok(ctx
        .store
        .write(|w| members::expire_tags(w, &today, &now))?
        .len() as u32)
}
