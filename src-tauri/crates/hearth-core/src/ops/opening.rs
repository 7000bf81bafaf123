//! Opening the database at start-up, safely: a quick check first; a damaged file is moved aside
//! (never overwritten or deleted) and the newest verified snapshot is named; a missing database
//! whose snapshots exist is a question for the manager, not a silent fresh start; a file or
//! folder that cannot be written opens read-only; a database that a newer schema will change is
//! snapshotted before it is migrated.
//!
//! The full `quick_check` reads every page, which takes seconds on a big database, so the desktop
//! shell opens with [`open_deferring`]: files up to [`CHECK_FIRST_MAX_BYTES`] are checked before
//! the window (well under a second), bigger ones only get the checks that take milliseconds at any
//! size (the header and the schema read) and [`check_open`] runs `quick_check` on a background
//! thread after the window shows. A problem found then cannot move the open file aside; the window
//! reports it and offers the newest verified snapshot through the ordinary restore (which keeps
//! the damaged state as a snapshot of its own first).
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

/// Databases up to this size get the full `quick_check` before the window opens (about a tenth
/// of a second per 64 MB on a laptop SSD); bigger ones are checked in the background.
pub const CHECK_FIRST_MAX_BYTES: u64 = 64 << 20;

/// An opened database and whether its full check is still to run.
pub struct Opened {
    pub ctx: Ctx,
    /// The file was bigger than the limit given to [`open_deferring`]: only the header and schema
    /// were checked, and [`check_open`] should run once the window is up.
    pub check_pending: bool,
}

/// Opens (creating when there is nothing to lose) the database in `dir`, with the full check
/// first whatever its size (the CLI: a terminal command has no window to keep responsive).
///
/// Errors the window can act on: `DatabaseCorrupt` (the file was moved aside; `params.snapshot`
/// is the newest verified snapshot, if any), `DatabaseMissing` (no database but snapshots:
/// `params.snapshot`). A folder or file that cannot be written opens read-only
/// ([`Store::is_read_only`]).
pub fn open(dir: &Path, clock: Arc<dyn Clock>, choice: &StartChoice) -> Result<Ctx> {
    open_deferring(dir, clock, choice, u64::MAX).map(|opened| opened.ctx)
}

/// [`open`], but a database file bigger than `check_first_max_bytes` gets only the fast checks
/// (header, schema) now; `check_pending` then says [`check_open`] is still to run.
pub fn open_deferring(
    dir: &Path,
    clock: Arc<dyn Clock>,
    choice: &StartChoice,
    check_first_max_bytes: u64,
) -> Result<Opened> {
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
    let mut check_pending = false;
    if db.exists() && files::is_sqlite_file(&db) {
        let size = fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        check_pending = size > check_first_max_bytes;
        let problems = if check_pending {
            files::header_check_file(&db)?
        } else {
            files::quick_check_file(&db)?
        };
        if !problems.is_empty() {
            return Err(damaged(&db, &snapshot_dir, &problems, clock.as_ref()));
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
    let ctx = match Store::open_in_dir(dir) {
        Ok(store) => Ok(Ctx::new(store, clock)),
        // The fast checks passed but reading the tables failed: the full check decides.
        Err(e) if check_pending && e.code == ErrorCode::Database => {
            let problems = files::quick_check_file(&db)?;
            if problems.is_empty() {
                return Err(e);
            }
            return Err(damaged(&db, &snapshot_dir, &problems, clock.as_ref()));
        }
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
    }?;
    Ok(Opened { ctx, check_pending })
}

/// Moves the damaged file aside and says so, naming the newest verified snapshot.
fn damaged(db: &Path, snapshot_dir: &Path, problems: &[String], clock: &dyn Clock) -> Error {
    let moved_to = match files::move_aside(db, &clock.now().format("%Y%m%d-%H%M%S").to_string()) {
        Ok(moved_to) => moved_to,
        Err(e) => return e,
    };
    let newest = snapshots::newest_verified_in(snapshot_dir).ok().flatten();
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
    e
}

/// The full `quick_check` of the open database, for after the window shows. `None` when it is
/// sound; otherwise a `DatabaseCorrupt` error naming the problems and (`params.snapshot`) the
/// newest verified snapshot to restore. The file is not moved: it is open. The check reads on a
/// connection of its own, so the app's reads and writes go on meanwhile.
pub fn check_open(ctx: &Ctx) -> Result<Option<Error>> {
    let db = ctx.store.path();
    let problems = files::quick_check_file(db)?;
    if problems.is_empty() {
        return Ok(None);
    }
    let newest = snapshots::newest_verified_in(&snapshots::folder_for(db))?;
    let mut e = Error::new(
        ErrorCode::DatabaseCorrupt,
        format!(
            "The check after opening found damage in the database ({}){}",
            problems.join("; "),
            newest
                .as_ref()
                .map(|s| format!("; snapshot {} can be restored", s.id))
                .unwrap_or_default()
        ),
    )
    .with_param("path", db.display())
    .with_param("problems", problems.join("; "));
    if let Some(s) = newest {
        e = e.with_param("snapshot", s.id);
    }
    Ok(Some(e))
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(".hearth-write-probe");
    let ok = fs::write(&probe, b"ok").is_ok();
    let _ = fs::remove_file(&probe);
    ok
}
