use serde::{Deserialize, Serialize};

/// Which members a segment (or the board's filter bar) selects. Every part that is set must
/// hold; an empty filter selects everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberFilter {
    /// The member carries every one of these tags.
    #[serde(default)]
    pub tags_all: Vec<String>,
    /// ... at least one of these.
    #[serde(default)]
    pub tags_any: Vec<String>,
    /// ... none of these.
    #[serde(default)]
    pub tags_none: Vec<String>,
    /// Role is one of these (empty: any role).
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub cities: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// Joined on or after this day (`YYYY-MM-DD`, UTC).
    #[serde(default)]
    pub joined_from: Option<String>,
    /// Joined on or before this day.
    #[serde(default)]
    pub joined_to: Option<String>,
}

impl MemberFilter {
    pub fn is_empty(&self) -> bool {
        *self == MemberFilter::default()
    }
}

/// A saved filter with its live count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub filter: MemberFilter,
    /// Members in it right now.
    pub count: u32,
    /// Members who entered and left since the last daily snapshot before today (None before
    /// there is one).
    pub entered: Option<u32>,
    pub left: Option<u32>,
    /// The day of that snapshot (`YYYY-MM-DD`).
    pub since: Option<String>,
    pub created_at: String,
}

/// Who entered and who left a segment since a snapshot day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SegmentChanges {
    pub since: Option<String>,
    pub entered: Vec<crate::domain::Member>,
    pub left: Vec<crate::domain::Member>,
}
