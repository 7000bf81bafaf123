//! A full export of everything (`hearth export-all`): one table's rows, and the archive's manifest.

use serde::{Deserialize, Serialize};

/// Every row of one table, values as JSON: `null`, integers, reals, text, and a blob as
/// `{"blob": "<hex>"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableData {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// `manifest.json` of a full export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ArchiveManifest {
    /// Always `hearth-export`.
    pub format: String,
    /// Layout of the archive itself (1).
    pub format_version: i64,
    /// The database's schema version (`user_version`) the rows belong to.
    pub schema_version: i64,
    /// RFC 3339, UTC.
    pub exported_at: String,
    pub tables: Vec<ArchiveTable>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ArchiveTable {
    pub name: String,
    pub rows: i64,
}
