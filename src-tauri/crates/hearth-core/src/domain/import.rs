//! Import nouns: one applied import as the history lists it.
//!
//! Deliberately absent: the plan of an import and its options (`ops::import`, which owns them
//! with the verbs), and the snapshots that make a batch undoable (`store::imports`).

use serde::Serialize;

/// One applied import, for the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportBatch {
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub encoding: String,
    pub policy: String,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub invalid: u32,
    pub created_at: String,
    pub undone_at: Option<String>,
}
