//! Import nouns: one applied import as the history lists it, and a value an import left out
//! of a member ([`RowFlag`]).
//!
//! Deliberately absent: the plan of an import and its options (`ops::import`, which owns them
//! with the verbs), and the snapshots that make a batch undoable (`store::imports`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, ErrorCode};

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
    /// Rows imported with values left out or a possible duplicate; see `ops::import::flags`.
    pub flagged: u32,
    pub created_at: String,
    pub undone_at: Option<String>,
}

/// A value an import left out of a member, and why: the row still became (or matched) a
/// member, only this value did not go in. Shown in the preview, written to the JSON the CLI
/// prints and kept with the batch in the import history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowFlag {
    /// The file's line (or sheet row).
    pub line: u32,
    /// The field the value was for (`phone`, `birthday`, a custom field's label, ...), or
    /// `display_name` for a possible duplicate.
    pub field: String,
    /// The value as the file wrote it.
    pub value: String,
    /// Why it was left out (or, for `possible_duplicate`, why the row is worth a look); the UI
    /// translates `error.<reason>` with [`RowFlag::params`].
    pub reason: ErrorCode,
    /// English description, for logs and the CLI.
    pub message: String,
    /// What the translated reason needs (`value`, `max`, `member_id`, `member_name`, ...).
    pub params: BTreeMap<String, String>,
}

impl RowFlag {
    /// The flag for a value an error refused; `value` is the cell as written when the error
    /// does not carry it.
    pub fn from_error(line: u32, field: &str, value: &str, error: &Error) -> RowFlag {
        let value = error
            .params
            .get("value")
            .filter(|v| !v.is_empty())
            .cloned()
            .unwrap_or_else(|| value.to_owned());
        let mut params = error.params.clone();
        params.insert("value".into(), value.clone());
        params.insert("line".into(), line.to_string());
        RowFlag {
            line,
            field: error.field.clone().unwrap_or_else(|| field.to_owned()),
            value,
            reason: error.code,
            message: error.message.clone(),
            params,
        }
    }
}
