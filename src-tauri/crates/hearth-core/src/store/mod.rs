//! The SQLite store: the only place in Hearth that writes SQL or holds a `Connection`.
//!
//! [`Store::open`] applies the pragmas (WAL, foreign keys, synchronous=FULL, busy timeout), refuses
//! files that are not Hearth databases, and runs the embedded migrations. Reads go through a
//! [`Read`] handle on their own connection; writes go through a [`Write`] handle that *is* one
//! transaction, so "every multi-row write is one transaction" is visible in the types: there is no
//! other way to write. Table modules (`members`, `settings`) take one of the two handles.

pub mod campaigns;
pub mod content;
pub mod content_library;
pub mod credit;
pub mod custom_fields;
pub mod dashboard;
pub mod dump;
pub mod duplicates;
pub mod engagement;
pub mod events;
pub mod imports;
pub mod lifecycle;
pub mod members;
pub mod merges;
pub mod metrics;
mod migrate;
pub mod rewards;
pub mod rollups;
pub mod schema;
pub mod segments;
pub mod settings;
pub mod snapshots;
pub mod tags;
pub mod timeline;
pub mod today;

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::paths::DATABASE_FILE;

pub use migrate::{migrate, Migration, MIGRATIONS};

/// Page size of a database Hearth creates.
pub const PAGE_SIZE: i64 = 8192;

/// `PRAGMA application_id` of every Hearth database ("HRTH").
pub const APPLICATION_ID: i32 = 0x4852_5448;

pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    /// Set while [`Store::insert_prechecked`] has SQLite's foreign-key checks off; still set if it
    /// could not switch them back on (a panic, a failed pragma), so the next use of the writer
    /// does it first.
    checks_off: AtomicBool,
    /// Write transactions committed since the store opened: the snapshot timer takes one only
    /// when this moved.
    commits: AtomicU64,
    /// Opened with [`Store::open_read_only`]: every write answers `ReadOnlyDatabase`.
    read_only: bool,
}

/// Read access; cannot write (it only ever sees a shared `&Connection`).
pub struct Read<'a> {
    pub(crate) conn: &'a Connection,
}

/// Write access: one open transaction, committed by [`Store::write`] when the closure succeeds and
/// rolled back when it fails.
pub struct Write<'a> {
    pub(crate) tx: Transaction<'a>,
}

impl Write<'_> {
    /// Reads inside the same transaction (they see this transaction's own writes).
    pub fn read(&self) -> Read<'_> {
        Read { conn: &self.tx }
    }
}

impl Store {
    /// Opens (creating if needed) `hearth.db` inside `dir`, creating the folder first. A folder that
    /// cannot be created or written is a [`DataDirUnavailable`](crate::ErrorCode) error.
    pub fn open_in_dir(dir: &Path) -> Result<Store> {
        fs::create_dir_all(dir).map_err(|e| Error::data_dir(dir, e))?;
        let probe = dir.join(".hearth-write-probe");
        fs::write(&probe, b"ok").map_err(|e| Error::data_dir(dir, e))?;
        let _ = fs::remove_file(&probe);
        Store::open(&dir.join(DATABASE_FILE))
    }

    /// Opens a database file. An existing file that is not a Hearth database is refused and left
    /// untouched.
    pub fn open(path: &Path) -> Result<Store> {
        check_is_hearth_or_new(path)?;
        let writer = connect(path)?;
        {
            let app_id: i32 = writer.query_row("PRAGMA application_id", [], |r| r.get(0))?;
            let has_tables: bool = writer.query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')",
                [],
                |r| r.get(0),
            )?;
            if app_id != APPLICATION_ID && (app_id != 0 || has_tables) {
                return Err(Error::not_hearth(path));
            }
        }
        let mut writer = writer;
        // A new database gets 8 KiB pages (SQLite's default is 4): half the pages, frames and
        // checkpoint copies for a bulk write — logging a million activities went from 196k to
        // 222k rows/s — with member pages and searches unchanged. It can only be set before
        // the first table; an existing database keeps the size it was made with.
        let new_file: bool =
            writer.query_row("SELECT NOT EXISTS (SELECT 1 FROM sqlite_master)", [], |r| {
                r.get(0)
            })?;
        if new_file {
            writer.pragma_update(None, "page_size", PAGE_SIZE)?;
        }
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrate(&mut writer, MIGRATIONS)?;
        let reader = connect(path)?;
        Ok(Store {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            checks_off: AtomicBool::new(false),
            commits: AtomicU64::new(0),
            read_only: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens an existing Hearth database that cannot be written (a read-only file or folder, a
    /// write-protected stick) for reading only: every write answers `ReadOnlyDatabase`. A
    /// database that would need migrating cannot be opened this way.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        check_is_hearth_or_new(path)?;
        if !path.exists() {
            return Err(Error::data_dir(
                path.parent().unwrap_or(path),
                "the database does not exist",
            ));
        }
        let writer = connect_read_only(path)?;
        let app_id: i32 = writer.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            return Err(Error::not_hearth(path));
        }
        let version: i64 = writer.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let latest = MIGRATIONS.last().map_or(0, |m| m.version);
        if version != latest {
            return Err(Error::read_only(path).with_param("version", version));
        }
        let reader = connect_read_only(path)?;
        Ok(Store {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            checks_off: AtomicBool::new(false),
            commits: AtomicU64::new(0),
            read_only: true,
        })
    }

    /// The store was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// How many write transactions committed since the store opened.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::SeqCst)
    }

    pub fn read<T>(&self, f: impl FnOnce(&Read<'_>) -> Result<T>) -> Result<T> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        f(&Read { conn: &conn })
    }

    /// Runs `f` inside a write transaction and always rolls it back: the dry run of an import
    /// sees exactly what applying it would do, and nothing is written.
    pub fn dry_run<T>(&self, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer()?;
        let tx = Transaction::new(&mut conn, TransactionBehavior::Immediate)?;
        let mut write = Write { tx };
        let out = f(&mut write);
        write.tx.rollback()?;
        out
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it lands, or none of it.
    pub fn write<T>(&self, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(Error::read_only(&self.path));
        }
        let mut conn = self.writer()?;
        let tx = Transaction::new(&mut conn, TransactionBehavior::Immediate)?;
        let mut write = Write { tx };
        let out = f(&mut write)?;
        write.tx.commit()?;
        self.commits.fetch_add(1, Ordering::SeqCst);
        Ok(out)
    }

    /// [`Store::write`] with SQLite's own foreign-key checks off for this one transaction, for a
    /// bulk insert that has checked every reference itself before writing anything (bulk
    /// logging: every member is live, every kind exists, every ledger row names an activity of
    /// the same transaction). Those checks are a parent lookup per row and reference, about a
    /// sixth of the time of logging a million activities. Only inserts, and updates of columns
    /// no key refers to, belong here: with the checks off a delete would not cascade. The setting
    /// is back on before the connection is released, whether `f` succeeds or not.
    pub(crate) fn insert_prechecked<T>(
        &self,
        f: impl FnOnce(&mut Write<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.read_only {
            return Err(Error::read_only(&self.path));
        }
        let mut conn = self.writer()?;
        // Outside a transaction, as SQLite requires (inside one the pragma does nothing).
        self.checks_off.store(true, Ordering::SeqCst);
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        let out = (|| {
            let tx = Transaction::new(&mut conn, TransactionBehavior::Immediate)?;
            let mut write = Write { tx };
            let out = f(&mut write)?;
            write.tx.commit()?;
            self.commits.fetch_add(1, Ordering::SeqCst);
            Ok(out)
        })();
        // The outcome stands either way; if the checks cannot be switched on here, the next
        // use of the writer does it before anything else.
        let _ = checks_back_on(&conn).map(|()| self.checks_off.store(false, Ordering::SeqCst));
        out
    }

    /// The writing connection, with SQLite's foreign-key checks on whatever happened before.
    fn writer(&self) -> Result<MutexGuard<'_, Connection>> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if self.checks_off.load(Ordering::SeqCst) {
            checks_back_on(&conn)?;
            self.checks_off.store(false, Ordering::SeqCst);
        }
        Ok(conn)
    }
}

/// Ends any transaction a failure left open, then switches foreign-key checks on and makes sure
/// they are.
fn checks_back_on(conn: &Connection) -> Result<()> {
    if !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let on: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    if !on {
        return Err(Error::new(
            crate::error::ErrorCode::Database,
            "foreign-key checks could not be switched back on",
        ));
    }
    Ok(())
}

impl Store {
    /// Folds the WAL back into the main file and truncates it, so erased rows do not linger in
    /// the log.
    pub fn checkpoint(&self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let conn = self.writer()?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

fn connect(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Erased personal data is overwritten, not just unlinked.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // 64 MiB of page cache (the default is 2 MiB): a 100k-row import or undo touches every
    // members index, and a cache that spills turns it from seconds into minutes.
    conn.pragma_update(None, "cache_size", -65_536)?;
    // A file SQLite cannot parse fails on the first statement, not on open.
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map_err(|e| open_error(path, e))?;
    Ok(conn)
}

/// A read-only connection; when SQLite cannot even set up its shared-memory file next to a WAL
/// database (a read-only folder), the file is opened as immutable (nothing else may be writing
/// it: it is on a read-only medium or folder).
fn connect_read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let plain = Connection::open_with_flags(path, flags).and_then(|conn| {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(conn)
    });
    let conn = match plain {
        Ok(conn) => conn,
        Err(_) => {
            let escaped = path
                .display()
                .to_string()
                .replace('%', "%25")
                .replace('?', "%3f")
                .replace('#', "%23");
            let uri = format!("file:{escaped}?immutable=1");
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .map_err(|e| open_error(path, e))?
        }
    };
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(conn)
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::not_hearth(path),
        Some(rusqlite::ErrorCode::CannotOpen) | Some(rusqlite::ErrorCode::ReadOnly) => {
            Error::data_dir(path.parent().unwrap_or(path), e)
        }
        _ => e.into(),
    }
}

/// A non-empty file must start with the SQLite header; anything else (a spreadsheet someone
/// renamed, a half-copied file) is refused before SQLite touches it.
fn check_is_hearth_or_new(path: &Path) -> Result<()> {
    let Ok(mut file) = fs::File::open(path) else {
        return Ok(());
    };
    let mut header = [0u8; 16];
    let read = file.read(&mut header)?;
    if read == 0 {
        return Ok(());
    }
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(Error::not_hearth(path));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks_on(store: &Store) -> bool {
        store
            .write(|w| Ok(w.tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?))
            .unwrap()
    }

    #[test]
    fn foreign_key_checks_come_back_after_a_prechecked_insert_however_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(dir.path()).unwrap();
        // Inside: off.
        let inside: bool = store
            .insert_prechecked(|w| Ok(w.tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?))
            .unwrap();
        assert!(!inside);
        assert!(checks_on(&store));
        // A refusal.
        let refused: Result<()> =
            store.insert_prechecked(|_| Err(Error::new(crate::ErrorCode::InvalidInput, "no")));
        assert!(refused.is_err());
        assert!(checks_on(&store));
        // A panic half-way: the next writer sees the checks on and nothing of the batch.
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<()> = store.insert_prechecked(|w| {
                w.tx.execute(
                    "INSERT INTO activity_kinds (key, name_zh, name_en, weight, points)
                     VALUES ('x', 'x', 'x', 1, 1)",
                    [],
                )?;
                panic!("a bug in the middle of a bulk log")
            });
        }));
        assert!(panicked.is_err());
        assert!(checks_on(&store));
        let kinds: i64 = store
            .write(|w| {
                Ok(w.tx.query_row(
                    "SELECT count(*) FROM activity_kinds WHERE key = 'x'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(kinds, 0);
    }
}
