//! The tag vocabulary: list with counts, rename (renaming onto an existing tag merges the two),
//! delete, and what a tag may be ([`clean_tags`], used by every profile write, bulk tagging and
//! segment filters). Each write is one transaction; affected members' search text is refreshed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;

pub use crate::domain::TagCount;
use crate::store::tags as table;
use crate::text;

/// The palette tags can use (names the UI maps to theme-aware colours).
pub const COLORS: [&str; 8] = [
    "red", "orange", "yellow", "green", "teal", "blue", "purple", "gray",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StyleTag {
    pub name: String,
    #[serde(default)]
    pub color: String,
    #[serde(default)]
    pub group: String,
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

/// Sets a tag's colour and group.
pub fn style(ctx: &Ctx, input: StyleTag) -> Result<TagCount> {
    let color = input.color.trim().to_lowercase();
    if !color.is_empty() && !COLORS.contains(&color.as_str()) {
        return Err(
            Error::new(ErrorCode::InvalidInput, format!("unknown colour {color}"))
                .with_field("color")
                .with_param("value", color),
        );
    }
    let group = text::clean(&input.group);
    if group.chars().count() > MAX_TAG {
        return Err(Error::too_long("group", MAX_TAG));
    }
    let name = text::clean(&input.name);
    ctx.store.write(|w| {
        if !table::style(w, &name, &color, &group)? {
            return Err(missing(&name));
        }
        Ok(())
    })?;
    list(ctx)?
        .into_iter()
        .find(|t| t.name.to_lowercase() == name.to_lowercase())
        .ok_or_else(|| missing(&name))
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

/// The longest tag, in characters.
pub const MAX_TAG: usize = 40;

/// Tags as stored: cleaned, empty ones dropped, at most [`MAX_TAG`] characters, repeats (ignoring
/// case) removed. Shared by member drafts and bulk tagging.
pub fn clean_tags(raw: &[String]) -> Result<Vec<String>> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.iter().map(|t| text::clean(t)).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG {
            return Err(Error::too_long("tags", MAX_TAG).with_param("value", &tag));
        }
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag);
        }
    }
    Ok(tags)
}
