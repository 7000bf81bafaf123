//! The tag vocabulary: list with counts, rename (renaming onto an existing tag merges the two),
//! delete. Each is one transaction; affected members' search text is refreshed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::members::MAX_TAG;
use crate::ops::Ctx;
use crate::store::tags as table;
use crate::text;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TagCount {
    pub name: String,
    /// Live members carrying the tag.
    pub members: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RenameTag {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TagChange {
    /// Members whose tags changed.
    pub members: u32,
    /// Their ids: re-tagging them undoes a delete.
    pub ids: Vec<i64>,
    /// True when the new name already existed and the two tags became one.
    pub merged: bool,
}

fn missing(name: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("tag {name} does not exist")).with_param("id", name)
}

pub fn list(ctx: &Ctx) -> Result<Vec<TagCount>> {
    ctx.store.read(table::counts)
}

pub fn rename(ctx: &Ctx, input: RenameTag) -> Result<TagChange> {
    let to = text::clean(&input.to);
    if to.is_empty() {
        return Err(Error::required("tags"));
    }
    if to.chars().count() > MAX_TAG {
        return Err(Error::too_long("tags", MAX_TAG).with_param("value", &to));
    }
    let from = text::clean(&input.from);
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let (ids, merged) = table::rename(w, &from, &to, &now)?.ok_or_else(|| missing(&from))?;
        Ok(TagChange {
            members: ids.len() as u32,
            ids,
            merged,
        })
    })
}

pub fn delete(ctx: &Ctx, name: String) -> Result<TagChange> {
    let name = text::clean(&name);
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let ids = table::delete(w, &name, &now)?.ok_or_else(|| missing(&name))?;
        Ok(TagChange {
            members: ids.len() as u32,
            ids,
            merged: false,
        })
    })
}
