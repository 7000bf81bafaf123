//! Every table's rows out of a database file, and into a new one: the SQL under
//! `ops::archive` (`hearth export-all` / `import-all`).
//!
//! The table list comes from `sqlite_master`, so a table a later migration adds is exported
//! without anyone listing it here. Reading happens in one read transaction on a connection of its
//! own (one consistent state, the app's connections untouched). Loading creates the file at the
//! archive's schema version, replaces every table's rows in one transaction with SQLite's
//! foreign-key checks deferred to a `foreign_key_check` before the commit, and leaves migrating
//! forward to `Store::open`.

use std::path::Path;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags};
use serde_json::json;

use crate::domain::TableData;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{migrate, APPLICATION_ID, MIGRATIONS, PAGE_SIZE};

/// The user tables of a database (not SQLite's own), by name.
pub fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The columns a row of `table` stores: generated columns (`hidden` 2 and 3 in
/// `pragma_table_xinfo`) are computed from the others, so they are neither dumped nor loaded.
fn stored_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden NOT IN (2, 3) ORDER BY cid",
    )?;
    let columns = stmt
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(columns)
}

/// Reads every table of the database at `db` in one consistent read, handing each to `each`;
/// returns the schema version.
pub fn dump_all(db: &Path, mut each: impl FnMut(TableData) -> Result<()>) -> Result<i64> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch("BEGIN")?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for name in table_names(&conn)? {
        let columns = stored_columns(&conn, &name)?;
        let list = columns
            .iter()
            .map(|c| quoted(c))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {list} FROM {} ORDER BY rowid",
                quoted(&name)
            ))
            .or_else(|_| conn.prepare(&format!("SELECT {list} FROM {}", quoted(&name))))?;
        let width = columns.len();
        let rows = stmt
            .query_map([], |r| {
                (0..width)
                    .map(|i| r.get_ref(i).map(to_json))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        each(TableData {
            name,
            columns,
            rows,
        })?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(version)
}

fn to_json(v: ValueRef<'_>) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => {
            json!({ "blob": b.iter().map(|x| format!("{x:02x}")).collect::<String>() })
        }
    }
}

fn from_json(v: &serde_json::Value, table: &str) -> Result<Value> {
    let bad = || {
        Error::new(
            ErrorCode::FileUnreadable,
            format!("a value in table {table} is not a database value"),
        )
        .with_param("reason", format!("table {table}"))
    };
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().ok_or_else(bad)?),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Object(o) => {
            let hex = o.get("blob").and_then(|h| h.as_str()).ok_or_else(bad)?;
            if hex.len() % 2 != 0 {
                return Err(bad());
            }
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
                .collect::<std::result::Result<Vec<u8>, _>>()
                .map_err(|_| bad())?;
            Value::Blob(bytes)
        }
        serde_json::Value::Array(_) => return Err(bad()),
    })
}

/// Creates a Hearth database at `db` (which must not exist) at `schema_version` and fills it with
/// `tables`, in one transaction. Every table of the archive must exist in that schema with the
/// same columns; tables the archive does not name are left as the migrations made them. Refused
/// (and the file removed) when a reference would dangle.
pub fn load_new(db: &Path, schema_version: i64, tables: &[TableData]) -> Result<()> {
    if db.exists() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{} exists; a full import only goes into an empty folder",
                db.display()
            ),
        ));
    }
    let result = load(db, schema_version, tables);
    if result.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(std::path::PathBuf::from(p));
        }
    }
    result
}

fn load(db: &Path, schema_version: i64, tables: &[TableData]) -> Result<()> {
    let upto = MIGRATIONS
        .iter()
        .position(|m| m.version == schema_version)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NewerSchema,
                format!("The archive has schema version {schema_version}, which this Hearth does not know"),
            )
            .with_param("version", schema_version)
        })?;
    let mut conn = Connection::open(db)?;
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    migrate(&mut conn, &MIGRATIONS[..=upto])?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let existing = table_names(&conn)?;
    let tx = conn.transaction()?;
    for t in tables {
        if !existing.contains(&t.name) {
            return Err(Error::new(
                ErrorCode::FileUnreadable,
                format!("the archive has a table {} this schema does not", t.name),
            )
            .with_param("reason", format!("unknown table {}", t.name)));
        }
        tx.execute(&format!("DELETE FROM {}", quoted(&t.name)), [])?;
        let cols: Vec<String> = t.columns.iter().map(|c| quoted(c)).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(&t.name),
            cols.join(", "),
            marks.join(", ")
        ))?;
        for row in &t.rows {
            if row.len() != cols.len() {
                return Err(Error::new(
                    ErrorCode::FileUnreadable,
                    format!(
                        "a row of table {} has {} values for {} columns",
                        t.name,
                        row.len(),
                        cols.len()
                    ),
                )
                .with_param("reason", format!("table {}", t.name)));
            }
            let values = row
                .iter()
                .map(|v| from_json(v, &t.name))
                .collect::<Result<Vec<Value>>>()?;
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
    }
    let dangling: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if dangling > 0 {
        return Err(Error::new(
            ErrorCode::FileUnreadable,
            format!("{dangling} rows of the archive refer to rows it does not have"),
        )
        .with_param("reason", "broken references"));
    }
    tx.commit()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}
