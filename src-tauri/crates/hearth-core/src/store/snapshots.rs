//! Database files as whole files: verified copies (snapshots), checks, restoring a copy into the
//! open database, and moving a damaged file aside.
//!
//! A copy is made with `VACUUM INTO` on a connection of its own (a read transaction: it sees the
//! last committed state, never blocks the writer in WAL mode and never takes the app's own
//! connections), written to a temporary name, checked with `PRAGMA integrity_check`, flushed to
//! disk and only then renamed into place, so a file under a snapshot's name is always complete.
//! Which snapshots exist, their manifests and retention belong to `ops::snapshots`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use crate::domain::CheckReport;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{migrate, Store, MIGRATIONS};

/// What a copy holds, read from the copy itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFacts {
    pub size_bytes: i64,
    pub members: i64,
    pub schema_version: i64,
    pub verified: bool,
}

/// At most this many lines of `integrity_check` are kept in a report.
const MAX_PROBLEMS: usize = 100;

/// A read-only connection to a database file that never creates it.
fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// Copies the committed state of the database at `db` to `dest` (which must not exist), checks
/// the copy and flushes it to disk. The copy is at `dest` only if all of that worked; a copy that
/// fails its check is still kept (as evidence) but marked unverified.
pub fn copy_verified(db: &Path, dest: &Path) -> Result<CopyFacts> {
    if dest.exists() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("{} already exists", dest.display()),
        ));
    }
    let tmp = dest.with_extension("db-partial");
    let _ = fs::remove_file(&tmp);
    {
        let src = open_read_only(db)?;
        let target = tmp.to_str().ok_or_else(|| {
            Error::new(
                ErrorCode::Io,
                format!("{} is not valid UTF-8", tmp.display()),
            )
        })?;
        src.execute("VACUUM INTO ?1", [target])?;
    }
    let facts = facts_of(&tmp)?;
    fs::File::open(&tmp)?.sync_all()?;
    fs::rename(&tmp, dest)?;
    sync_dir(dest);
    Ok(facts)
}

/// Copies a finished snapshot file to another place, flushed before it takes its name.
pub fn copy_file(src: &Path, dest: &Path) -> Result<()> {
    let tmp = dest.with_extension("db-partial");
    fs::copy(src, &tmp)?;
    fs::File::open(&tmp)?.sync_all()?;
    fs::rename(&tmp, dest)?;
    sync_dir(dest);
    Ok(())
}

/// Size, live members, schema version and `integrity_check` of a database file.
pub fn facts_of(path: &Path) -> Result<CopyFacts> {
    let conn = open_read_only(path)?;
    let verified = integrity_problems(&conn, "integrity_check")?.is_empty();
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let members: i64 = conn
        .query_row(
            "SELECT count(*) FROM members WHERE deleted_at IS NULL AND merged_into IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    let size_bytes = fs::metadata(path)?.len() as i64;
    Ok(CopyFacts {
        size_bytes,
        members,
        schema_version,
        verified,
    })
}

/// The lines of `PRAGMA integrity_check` / `quick_check` other than `ok`.
fn integrity_problems(conn: &Connection, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}({MAX_PROBLEMS})"))?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on the database file at `path`.
/// A file SQLite cannot read at all is reported, not returned as an error.
pub fn check_file(path: &Path) -> Result<CheckReport> {
    let conn = open_read_only(path)?;
    let integrity = match integrity_problems(&conn, "integrity_check") {
        Ok(lines) => lines,
        Err(e) => vec![e.message],
    };
    let foreign_keys = match foreign_key_problems(&conn) {
        Ok(lines) => lines,
        Err(e) => vec![e.message],
    };
    Ok(CheckReport {
        ok: integrity.is_empty() && foreign_keys.is_empty(),
        integrity,
        foreign_keys,
    })
}

fn foreign_key_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt
        .query_map([], |r| {
            let table: String = r.get(0)?;
            let rowid: Option<i64> = r.get(1)?;
            let parent: String = r.get(2)?;
            Ok(format!(
                "{table} {} → {parent}",
                rowid.map_or("?".to_owned(), |id| id.to_string())
            ))
        })?
        .take(MAX_PROBLEMS)
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// `PRAGMA quick_check` on the file at `path`: the problems found (empty when healthy). A file
/// SQLite cannot read at all (a damaged header, garbage) is one problem.
pub fn quick_check_file(path: &Path) -> Result<Vec<String>> {
    let conn = match open_read_only(path) {
        Ok(conn) => conn,
        Err(e) => return Ok(vec![e.message]),
    };
    match integrity_problems(&conn, "quick_check") {
        Ok(lines) => Ok(lines),
        Err(e) if e.code == ErrorCode::Database => Ok(vec![e.message]),
        Err(e) => Err(e),
    }
}

/// The checks that take milliseconds at any size: SQLite can open the file, read its header and
/// parse its schema (page 1 and the schema table). The problems found (empty when fine).
/// `quick_check` reads every page; this reads a handful.
pub fn header_check_file(path: &Path) -> Result<Vec<String>> {
    let conn = match open_read_only(path) {
        Ok(conn) => conn,
        Err(e) => return Ok(vec![e.message]),
    };
    let read = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .and_then(|_| {
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })
        });
    match read {
        Ok(_) => Ok(Vec::new()),
        Err(e) => {
            let e = Error::from(e);
            if e.code == ErrorCode::Database {
                Ok(vec![e.message])
            } else {
                Err(e)
            }
        }
    }
}

/// The file starts with SQLite's header (a damaged Hearth database usually still does; a
/// spreadsheet renamed to `hearth.db` does not, and is refused untouched by `Store::open`).
pub fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut header = [0u8; 16];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && &header == b"SQLite format 3\0"
}

/// The database at `path` exists, holds members, and is older than this Hearth's schema: opening
/// it will migrate it.
pub fn needs_migration(path: &Path) -> Result<bool> {
    if !path.exists() {
        return Ok(false);
    }
    let conn = open_read_only(path)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = MIGRATIONS.last().map_or(0, |m| m.version);
    if version == 0 || version >= latest {
        return Ok(false);
    }
    let has_members: bool = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM members)", [], |r| r.get(0))
        .unwrap_or(false);
    Ok(has_members)
}

/// The schema version of a database file.
pub fn schema_version_of(path: &Path) -> Result<i64> {
    let conn = open_read_only(path)?;
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

impl Store {
    /// Replaces everything in the open database with the content of the database file at `src`,
    /// in one step of SQLite's online backup (one write transaction on this database: all of it
    /// lands or none of it), then brings the schema up to date. The reading connection sees the
    /// new content from its next read on.
    pub fn restore_from(&self, src: &Path) -> Result<()> {
        let source = open_read_only(src)?;
        let mut conn = self.writer()?;
        {
            let backup = Backup::new(&source, &mut conn)?;
            backup.step(-1)?;
        }
        migrate(&mut conn, MIGRATIONS)?;
        drop(conn);
        self.checkpoint()
    }

    /// `PRAGMA quick_check` on the open database.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        let conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        integrity_problems(&conn, "quick_check")
    }
}

/// Moves a damaged database (and its `-wal` and `-shm`) aside under a name with `stamp` in it,
/// never over an existing file. Returns where the database went.
pub fn move_aside(db: &Path, stamp: &str) -> Result<PathBuf> {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "hearth.db".to_owned());
    let dir = db.parent().unwrap_or(Path::new("."));
    let mut n = 1;
    let target = loop {
        let candidate = if n == 1 {
            dir.join(format!("{name}.damaged-{stamp}"))
        } else {
            dir.join(format!("{name}.damaged-{stamp}-{n}"))
        };
        if !candidate.exists() {
            break candidate;
        }
        n += 1;
    };
    for suffix in ["-wal", "-shm"] {
        let side = dir.join(format!("{name}{suffix}"));
        if side.exists() {
            let mut moved = target.clone().into_os_string();
            moved.push(suffix);
            fs::rename(&side, PathBuf::from(moved))?;
        }
    }
    fs::rename(db, &target)?;
    sync_dir(db);
    Ok(target)
}

/// Puts a copy of `src` at `db`, where no database is (it was missing or moved aside): copied to
/// a temporary name, flushed, renamed.
pub fn place_copy(src: &Path, db: &Path) -> Result<()> {
    if db.exists() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("{} exists; it is never overwritten", db.display()),
        ));
    }
    copy_file(src, db)
}

/// Flushes a folder's entry list so a rename survives a power cut (a no-op where folders cannot
/// be opened, as on Windows).
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent() {
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
