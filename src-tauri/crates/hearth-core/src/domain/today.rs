//! Today nouns: a follow-up the manager set on a member.
//!
//! Deliberately absent: the Today list itself (`ops::today`, which assembles it from every
//! board).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FollowUp {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    /// `YYYY-MM-DD`, the manager's local day.
    pub due_on: String,
    pub note: String,
    pub created_at: String,
    pub done_at: Option<String>,
}
