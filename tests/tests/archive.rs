//! `export-all` / `import-all`: everything out to one archive and back into an empty folder, with
//! nothing lost (every table, every row, every value).

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use common::{hearth, now, open_demo};
use hearth_core::ops::archive;
use hearth_core::{ErrorCode, FixedClock};
use rusqlite::types::Value;

/// Every user table of the database file and its rows (as SQLite values), sorted.
fn contents(db: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    hearth_core::store::dump::table_names(&conn)
        .unwrap()
        .into_iter()
        .map(|name| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
            let width = stmt.column_count();
            let mut rows: Vec<Vec<Value>> = stmt
                .query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            (name, rows)
        })
        .collect()
}

#[test]
fn the_demo_community_survives_a_round_trip_unchanged() {
    let db = open_demo();
    let file = db.dir.path().join("everything.zip");
    let manifest = archive::export_all(&db.ctx, &file).unwrap();
    let before = contents(db.ctx.store.path());
    // Every table is in the manifest, with its row count.
    assert_eq!(
        manifest
            .tables
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>(),
        before.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()
    );
    let filled: Vec<&str> = before
        .iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(n, _)| n.as_str())
        .collect();
    for feature in [
        "members",
        "identities",
        "events",
        "registrations",
        "activities",
        "points_ledger",
        "member_lifecycle",
        "stage_history",
        "credit_entries",
        "member_badges",
    ] {
        assert!(
            filled.contains(&feature),
            "the demo fills {feature}: {filled:?}"
        );
    }

    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("restored");
    let (ctx, read) = archive::import_all(&dir, &file, Arc::new(FixedClock(now()))).unwrap();
    assert_eq!(read, manifest);
    let after = contents(ctx.store.path());
    assert_eq!(before.len(), after.len());
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a.len(), b.len(), "rows of {name}");
        assert!(a == b, "table {name} differs after the round trip");
    }
    assert!(hearth_core::ops::snapshots::check(&ctx).unwrap().ok);
}

#[test]
fn an_import_goes_only_into_an_empty_folder_and_refuses_a_tampered_archive() {
    let db = open_demo();
    let file = db.dir.path().join("everything.zip");
    archive::export_all(&db.ctx, &file).unwrap();
    let clock = || Arc::new(FixedClock(now()));

    // Not into a folder with anything in it.
    let err = archive::import_all(db.dir.path(), &file, clock())
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    // A manifest that disagrees with a table: refused, and no database is left behind.
    let tampered = db.dir.path().join("tampered.zip");
    {
        let mut zip = zip_entries(&file);
        let manifest = zip.iter_mut().find(|(n, _)| n == "manifest.json").unwrap();
        let mut m: serde_json::Value = serde_json::from_slice(&manifest.1).unwrap();
        let members = m["tables"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|t| t["name"] == "members")
            .unwrap();
        members["rows"] = serde_json::json!(3);
        manifest.1 = serde_json::to_vec(&m).unwrap();
        write_zip(&tampered, &zip);
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let err = archive::import_all(&target, &tampered, clock())
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::FileUnreadable);
    assert!(!target.join("hearth.db").exists());

    // A row pointing at a member the archive does not have: refused by the reference check.
    let dangling = db.dir.path().join("dangling.zip");
    {
        let mut zip = zip_entries(&file);
        let ids = zip
            .iter_mut()
            .find(|(n, _)| n == "tables/identities.json")
            .unwrap();
        let mut t: serde_json::Value = serde_json::from_slice(&ids.1).unwrap();
        let col = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c == "member_id")
            .unwrap();
        t["rows"][0][col] = serde_json::json!(987654321);
        ids.1 = serde_json::to_vec(&t).unwrap();
        write_zip(&dangling, &zip);
    }
    let target = dir.path().join("other");
    let err = archive::import_all(&target, &dangling, clock())
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::FileUnreadable);
    assert!(!target.join("hearth.db").exists());

    // Not a zip at all.
    let junk = db.dir.path().join("junk.zip");
    std::fs::write(&junk, b"PK\x03\x04 but not really").unwrap();
    let err = archive::import_all(&dir.path().join("third"), &junk, clock())
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::FileUnreadable);
}

fn zip_entries(file: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn write_zip(file: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(file).unwrap());
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn the_cli_exports_and_imports_everything() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a");
    assert!(hearth(&src, &["demo", "--members", "80"]).status.success());
    let file = dir.path().join("all.zip");
    let out = hearth(&src, &["export-all", file.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(manifest["format"], "hearth-export");
    let dst = dir.path().join("b");
    let out = hearth(&dst, &["import-all", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        contents(&src.join("hearth.db")),
        contents(&dst.join("hearth.db"))
    );
    // Into a folder that has a database: refused, exit 1.
    let out = hearth(&dst, &["import-all", file.to_str().unwrap()]);
    assert!(!out.status.success());
    // The CSV of every table is in the archive too.
    let names: Vec<String> = zip_entries(&file).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"csv/members.csv".to_owned()));
    assert!(names.contains(&"tables/members.json".to_owned()));
}
