//! Snapshots: verified copies of the whole database, kept next to it, and the result of checking
//! a database file.

use serde::{Deserialize, Serialize};

/// Why a snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// The manager asked for one.
    Manual,
    /// The half-hourly timer, after something changed.
    Timer,
    /// The app was closing.
    Quit,
    /// Restoring another snapshot replaces everything: the state before it is kept.
    BeforeRestore,
    /// Permanent erase has no undo of its own.
    BeforeErase,
    /// Emptying the trash erases its members for good.
    BeforeEmptyTrash,
    /// A newer Hearth changes the schema of a database that holds data.
    BeforeMigration,
}

impl SnapshotReason {
    pub const ALL: [SnapshotReason; 7] = [
        SnapshotReason::Manual,
        SnapshotReason::Timer,
        SnapshotReason::Quit,
        SnapshotReason::BeforeRestore,
        SnapshotReason::BeforeErase,
        SnapshotReason::BeforeEmptyTrash,
        SnapshotReason::BeforeMigration,
    ];

    /// The name used in snapshot file names and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            SnapshotReason::Manual => "manual",
            SnapshotReason::Timer => "timer",
            SnapshotReason::Quit => "quit",
            SnapshotReason::BeforeRestore => "before-restore",
            SnapshotReason::BeforeErase => "before-erase",
            SnapshotReason::BeforeEmptyTrash => "before-empty-trash",
            SnapshotReason::BeforeMigration => "before-migration",
        }
    }

    pub fn from_key(key: &str) -> Option<SnapshotReason> {
        SnapshotReason::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// One snapshot, as its manifest describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Snapshot {
    /// `20261208-013000-manual`: the time (UTC) and the reason; the file is `ID.db`.
    pub id: String,
    /// RFC 3339, UTC.
    pub taken_at: String,
    pub reason: SnapshotReason,
    /// Size of the copy in bytes.
    pub size_bytes: i64,
    /// Live (not trashed, not merged away) members in the copy.
    pub members: i64,
    /// The schema version (`user_version`) of the copy.
    pub schema_version: i64,
    /// `PRAGMA integrity_check` answered `ok` on the copy (when it was taken, or at the last
    /// verify).
    pub verified: bool,
}

/// Where snapshots go and what the manager chose about them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SnapshotSettings {
    /// The `snapshots` folder next to the database.
    pub folder: String,
    /// Another folder (a USB stick, a synced drive) that receives a copy of every snapshot.
    pub second_folder: Option<String>,
}

/// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` found in a database file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckReport {
    /// Both checks are clean.
    pub ok: bool,
    /// `integrity_check`'s lines other than `ok` (at most 100).
    pub integrity: Vec<String>,
    /// Rows whose foreign key points at nothing: `table rowid → parent`.
    pub foreign_keys: Vec<String>,
}
