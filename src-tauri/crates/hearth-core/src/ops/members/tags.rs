//! Bulk tagging: add or remove tags on many members in one transaction.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::members;

use super::validate::clean_tags;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BulkTag {
    pub ids: Vec<i64>,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
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
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        Ok(BulkTagOutcome {
            added: members::add_tags(w, &input.ids, &add, &now)?,
            removed: members::remove_tags(w, &input.ids, &remove, &now)?,
        })
    })
}
