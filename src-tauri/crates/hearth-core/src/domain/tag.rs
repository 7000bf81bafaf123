//! Tag nouns: a tag with its colour, group and how many live members carry it.
//!
//! Deliberately absent: the palette and renaming or merging tags (`ops::tags`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TagCount {
    pub name: String,
    /// Live members carrying the tag.
    pub members: u32,
    /// One of the palette in `ops::tags::COLORS`, or empty for the default.
    pub color: String,
    /// The group the tag belongs to (活动, 身份, 兴趣 …), or empty.
    pub group: String,
}
