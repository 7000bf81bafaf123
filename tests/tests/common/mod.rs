//! Shared set-up: a real database file in a fresh temp folder, on a fixed clock.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use hearth_core::domain::{Identity, IdentityKind, MemberDraft};
use hearth_core::ops::members::{self, ListMembers};
use hearth_core::{Ctx, FixedClock};

pub const NOW: &str = "2026-11-25T09:30:00Z";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

pub struct TestDb {
    pub ctx: Ctx,
    pub dir: tempfile::TempDir,
}

pub fn open() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(FixedClock(now()))).unwrap();
    TestDb { ctx, dir }
}

/// A fresh database with the demo community of 2,000 members (seed 7, as the app's button).
pub fn open_demo() -> TestDb {
    let db = open();
    hearth_core::demo::load(
        &db.ctx,
        hearth_core::demo::LoadDemo {
            members: 2000,
            seed: 7,
        },
    )
    .unwrap();
    db
}

pub fn draft(name: &str, identities: &[(IdentityKind, &str)], tags: &[&str]) -> MemberDraft {
    MemberDraft {
        display_name: name.into(),
        identities: identities
            .iter()
            .map(|(kind, value)| Identity {
                kind: *kind,
                value: (*value).into(),
            })
            .collect(),
        tags: tags.iter().map(|t| (*t).into()).collect(),
        ..Default::default()
    }
}

/// Every live member (up to 1,000, far more than any test database here holds), in list order.
pub fn all_members(db: &TestDb) -> Vec<hearth_core::domain::Member> {
    members::list(
        &db.ctx,
        ListMembers {
            limit: 1000,
            ..Default::default()
        },
    )
    .unwrap()
    .members
}

/// Names of the members a search finds, in list order.
pub fn names(db: &TestDb, q: &str) -> Vec<String> {
    members::list(
        &db.ctx,
        ListMembers {
            search: Some(q.into()),
            limit: 100,
            ..Default::default()
        },
    )
    .unwrap()
    .members
    .into_iter()
    .map(|m| m.display_name)
    .collect()
}

/// Every row of every table `keep` accepts, every column, as text with each table's rows
/// sorted: equal dumps mean equal content, whatever order the rows were written in.
pub fn dump_db(path: &std::path::Path, keep: impl Fn(&str) -> bool) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
        .into_iter()
        .filter(|t| keep(t))
        .collect();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |row| {
                (0..n)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap()
            .map(|r| r.unwrap().join(" | "))
            .collect();
        rows.sort();
        for row in rows {
            out += &format!("{table}: {row}\n");
        }
    }
    out
}

/// Builds (if needed) and locates target/debug/hearth, the real CLI binary.
pub fn hearth_bin() -> &'static std::path::PathBuf {
    use std::path::PathBuf;
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "-q", "-p", "hearth-cli", "--bin", "hearth"])
            .status()
            .expect("cargo build hearth");
        assert!(status.success());
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map_or(root.join("target"), PathBuf::from);
        target.join("debug").join("hearth")
    })
}

/// Runs `hearth --data-dir DIR ARGS…` in English, as a user would from a terminal.
pub fn hearth(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(hearth_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap()
}
