//! Opening the database at start-up, safely: a quick check first; a damaged file is moved aside
//! (never overwritten or deleted) and the newest verified snapshot is named; a missing database
//! whose snapshots exist is a question for the manager, not a silent fresh start; a file or
//! folder that cannot be written opens read-only; a database that a newer schema will change is
//! snapshotted before it is migrated.
//!
//! The desktop shell and the CLI open through [`open`]; tests and benchmarks that make their own
//! fresh database keep using [`Ctx::open_in_dir`].

use std::fs;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::domain::SnapshotReason;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::{snapshots, Ctx};
use crate::paths::DATABASE_FILE;
use crate::store::snapshots as files;
use crate::store::Store;

/// What the manager chose when the database was missing or damaged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StartChoice {
    /// Open normally (ask when something is wrong).
    #[default]
    Ask,
    /// Start with an empty database although snapshots exist.
    StartEmpty,
    /// Put this snapshot where the database should be, then open it.
    Restore { id: String },
}

/// Opens (creating when there is nothing to lose) the database in `dir`.
///
/// Errors the window can act on: `DatabaseCorrupt` (the file was moved aside; `params.snapshot`
/// is the newest verified snapshot, if any), `DatabaseMissing` (no database but snapshots:
/// `params.snapshot`). A folder or file that cannot be written opens read-only
/// ([`Store::is_read_only`]).
pub fn open(dir: &Path, clock: Arc<dyn Clock>, choice: &StartChoice) -> Result<Ctx> {
    fs::create_dir_all(dir).map_err(|e| Error::data_dir(dir, e))?;
    let db = dir.join(DATABASE_FILE);
    let snapshot_dir = snapshots::folder_for(&db);
    if let StartChoice::Restore { id } = choice {
        if db.exists() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "A database is already there; restore from inside the app instead",
            ));
        }
        snapshots::usable(&snapshot_dir, id)?;
        files::place_copy(&snapshot_dir.join(format!("{id}.db")), &db)?;
    }
    if !db.exists() && *choice == StartChoice::Ask {
        if let Some(newest) = snapshots::newest_verified_in(&snapshot_dir)? {
            return Err(Error::new(
                ErrorCode::DatabaseMissing,
                format!(
                    "The database {} is missing, but snapshots of it exist (the newest is {})",
                    db.display(),
                    newest.id
                ),
            )
            .with_param("path", db.display())
            .with_param("snapshot", newest.id));
        }
    }
    if db.exists() && files::is_sqlite_file(&db) {
        let problems = files::quick_check_file(&db)?;
        if !problems.is_empty() {
            let moved_to =
                files::move_aside(&db, &clock.now().format("%Y%m%d-%H%M%S").to_string())?;
            let newest = snapshots::newest_verified_in(&snapshot_dir)?;
            let mut e = Error::new(
                ErrorCode::DatabaseCorrupt,
                format!(
                    "The database was damaged ({}); it was moved to {}{}",
                    problems.join("; "),
                    moved_to.display(),
                    newest
                        .as_ref()
                        .map(|s| format!(" and snapshot {} can be restored", s.id))
                        .unwrap_or_default()
                ),
            )
            .with_param("path", db.display())
            .with_param("moved_to", moved_to.display());
            if let Some(s) = newest {
                e = e.with_param("snapshot", s.id);
            }
            return Err(e);
        }
        if files::needs_migration(&db)? && writable(dir) {
            snapshots::take(
                &db,
                SnapshotReason::BeforeMigration,
                clock.now(),
                clock.utc_offset(),
            )?;
        }
    }
    match Store::open_in_dir(dir) {
        Ok(store) => Ok(Ctx::new(store, clock)),
        Err(e)
            if db.exists()
                && matches!(
                    e.code,
                    ErrorCode::DataDirUnavailable | ErrorCode::ReadOnlyDatabase
                ) =>
        {
            Store::open_read_only(&db)
                .map(|store| Ctx::new(store, clock))
                .map_err(|ro| {
                    if ro.code == ErrorCode::ReadOnlyDatabase {
                        ro
                    } else {
                        e
                    }
                })
        }
        Err(e) => Err(e),
    }
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(".hearth-write-probe");
    let ok = fs::write(&probe, b"ok").is_ok();
    let _ = fs::remove_file(&probe);
    ok
}
