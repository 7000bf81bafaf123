//! Snapshots, restore and opening the database safely, on real files.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use common::{draft, hearth, now, open, open_demo};
use hearth_core::domain::SnapshotReason;
use hearth_core::ops::members::{self, EraseMembers};
use hearth_core::ops::opening::{self, StartChoice};
use hearth_core::ops::snapshots;
use hearth_core::store::{Migration, MIGRATIONS};
use hearth_core::{Ctx, ErrorCode, FixedClock};

/// Names of every live member, in list order.
fn live_members(ctx: &Ctx) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let page = members::list(
            ctx,
            members::ListMembers {
                offset: names.len() as u32,
                limit: 1000,
                ..Default::default()
            },
        )
        .unwrap();
        let done = page.members.is_empty();
        names.extend(page.members.into_iter().map(|m| m.display_name));
        if done {
            return names;
        }
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(now()))
}

/// Overwrites pages 2–5 of a (closed) database with garbage.
fn damage(db: &Path) {
    let mut bytes = fs::read(db).unwrap();
    assert!(bytes.len() > 6 * 8192, "the demo database is big enough");
    for b in &mut bytes[2 * 8192..6 * 8192] {
        *b = 0xA5;
    }
    fs::write(db, bytes).unwrap();
}

#[test]
fn a_snapshot_is_a_verified_copy_with_a_manifest() {
    let db = open_demo();
    let taken = snapshots::create(&db.ctx, SnapshotReason::Manual).unwrap();
    let s = &taken.snapshot;
    assert!(s.verified);
    assert_eq!(s.reason, SnapshotReason::Manual);
    assert_eq!(s.members, 2000);
    assert_eq!(s.schema_version, MIGRATIONS.last().unwrap().version);
    assert_eq!(s.id, "20261125-093000-manual");
    let folder = db.dir.path().join("snapshots");
    let file = folder.join(format!("{}.db", s.id));
    assert_eq!(fs::metadata(&file).unwrap().len() as i64, s.size_bytes);
    assert!(folder.join(format!("{}.json", s.id)).exists());
    // A second one in the same second gets its own name; the list is newest first.
    let again = snapshots::create(&db.ctx, SnapshotReason::Timer).unwrap();
    assert_eq!(again.snapshot.id, "20261125-093000-timer");
    let third = snapshots::create(&db.ctx, SnapshotReason::Timer).unwrap();
    assert_eq!(third.snapshot.id, "20261125-093000-timer-2");
    let ids: Vec<String> = snapshots::list(&db.ctx)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[0], "20261125-093000-timer-2");
    // The copy opens as a Hearth database with the same members.
    let copy_dir = tempfile::tempdir().unwrap();
    fs::copy(&file, copy_dir.path().join("hearth.db")).unwrap();
    let copy = Ctx::open_in_dir(copy_dir.path(), clock()).unwrap();
    assert_eq!(live_members(&copy), live_members(&db.ctx));
}

#[test]
fn restore_brings_back_the_snapshot_and_keeps_the_state_before() {
    let db = open();
    members::create(&db.ctx, draft("郑佳琪", &[], &[])).unwrap();
    let s = snapshots::create(&db.ctx, SnapshotReason::Manual)
        .unwrap()
        .snapshot;
    members::create(&db.ctx, draft("Tom Lee", &[], &[])).unwrap();
    assert_eq!(live_members(&db.ctx).len(), 2);

    let restored = snapshots::restore(&db.ctx, &s.id).unwrap();
    assert_eq!(restored.restored.id, s.id);
    assert_eq!(restored.before.reason, SnapshotReason::BeforeRestore);
    assert_eq!(restored.before.members, 2);
    // The open store reads and writes the restored state.
    assert_eq!(live_members(&db.ctx), vec!["郑佳琪".to_owned()]);
    members::create(&db.ctx, draft("Ann", &[], &[])).unwrap();
    assert_eq!(live_members(&db.ctx).len(), 2);
    // And the state before can be restored in turn.
    snapshots::restore(&db.ctx, &restored.before.id).unwrap();
    let mut names = live_members(&db.ctx);
    names.sort();
    assert_eq!(names, vec!["Tom Lee".to_owned(), "郑佳琪".to_owned()]);
    let report = snapshots::check(&db.ctx).unwrap();
    assert!(report.ok, "{report:?}");
}

#[test]
fn a_damaged_snapshot_is_refused_and_nothing_changes() {
    let db = open_demo();
    let s = snapshots::create(&db.ctx, SnapshotReason::Manual)
        .unwrap()
        .snapshot;
    let file = db.dir.path().join("snapshots").join(format!("{}.db", s.id));
    damage(&file);
    let before = snapshots::list(&db.ctx).unwrap().len();
    let names = live_members(&db.ctx);
    let err = snapshots::restore(&db.ctx, &s.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::SnapshotDamaged);
    // No before-restore snapshot was taken, the database is untouched, the manifest says so.
    assert_eq!(snapshots::list(&db.ctx).unwrap().len(), before);
    assert_eq!(live_members(&db.ctx), names);
    assert!(!snapshots::verify(&db.ctx, &s.id).unwrap().verified);
    let unknown = snapshots::verify(&db.ctx, "nope").unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
}

#[test]
fn erase_takes_a_snapshot_first() {
    let db = open();
    let m = members::create(&db.ctx, draft("郑佳琪", &[], &[])).unwrap();
    members::erase(&db.ctx, EraseMembers { ids: vec![m.id] }).unwrap();
    let list = snapshots::list(&db.ctx).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, SnapshotReason::BeforeErase);
    assert_eq!(list[0].members, 1);
    assert!(live_members(&db.ctx).is_empty());
}

#[test]
fn the_second_folder_gets_a_copy_of_each_snapshot() {
    let db = open();
    members::create(&db.ctx, draft("郑佳琪", &[], &[])).unwrap();
    let first = snapshots::create(&db.ctx, SnapshotReason::Manual)
        .unwrap()
        .snapshot;
    let stick = tempfile::tempdir().unwrap();
    let second = stick.path().join("hearth-copies");
    let relative = snapshots::set_second_folder(&db.ctx, Some("relative/path".into()));
    assert_eq!(relative.unwrap_err().code, ErrorCode::InvalidInput);
    let settings =
        snapshots::set_second_folder(&db.ctx, Some(second.display().to_string())).unwrap();
    assert_eq!(settings.second_folder, Some(second.display().to_string()));
    // The newest snapshot is copied at once, later ones as they are taken.
    assert!(second.join(format!("{}.db", first.id)).exists());
    let next = snapshots::create(&db.ctx, SnapshotReason::Timer)
        .unwrap()
        .snapshot;
    let copies = snapshots::list_in(&second).unwrap();
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0], next);
    // A second folder that cannot be written (here a file took its place) does not stop the
    // snapshot; the failure is reported.
    fs::remove_dir_all(&second).unwrap();
    fs::write(&second, b"not a folder").unwrap();
    let taken = snapshots::create(&db.ctx, SnapshotReason::Timer).unwrap();
    assert!(taken.snapshot.verified);
    assert!(taken.second_copy_error.is_some());
    assert_eq!(snapshots::list(&db.ctx).unwrap().len(), 3);
    let cleared = snapshots::set_second_folder(&db.ctx, Some(" ".into())).unwrap();
    assert_eq!(cleared.second_folder, None);
}

#[test]
fn a_damaged_database_is_moved_aside_and_the_newest_snapshot_offered() {
    let db = open_demo();
    let s = snapshots::create(&db.ctx, SnapshotReason::Manual)
        .unwrap()
        .snapshot;
    let dir = db.dir.path().to_owned();
    let names = live_members(&db.ctx);
    drop(db.ctx);
    let file = dir.join("hearth.db");
    damage(&file);
    let damaged = fs::read(&file).unwrap();

    let err = opening::open(&dir, clock(), &StartChoice::Ask)
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseCorrupt);
    assert_eq!(err.params["snapshot"], s.id);
    // Moved, byte for byte, never overwritten.
    let moved = Path::new(&err.params["moved_to"]).to_owned();
    assert!(moved.starts_with(&dir));
    assert_eq!(fs::read(&moved).unwrap(), damaged);
    assert!(!file.exists());

    // Now the database is missing and snapshots exist: the app asks.
    let err = opening::open(&dir, clock(), &StartChoice::Ask)
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseMissing);
    assert_eq!(err.params["snapshot"], s.id);

    let restored =
        opening::open(&dir, clock(), &StartChoice::Restore { id: s.id.clone() }).unwrap();
    assert_eq!(live_members(&restored), names);
    assert!(snapshots::check(&restored).unwrap().ok);
    // A second damage in the same second goes beside the first one, not over it.
    drop(restored);
    damage(&file);
    let err = opening::open(&dir, clock(), &StartChoice::Ask)
        .err()
        .unwrap();
    assert_ne!(Path::new(&err.params["moved_to"]), moved);
    assert_eq!(fs::read(&moved).unwrap(), damaged);
}

#[test]
fn starting_empty_is_a_choice_when_snapshots_exist() {
    let db = open();
    members::create(&db.ctx, draft("郑佳琪", &[], &[])).unwrap();
    snapshots::create(&db.ctx, SnapshotReason::Quit).unwrap();
    let dir = db.dir.path().to_owned();
    drop(db.ctx);
    fs::remove_file(dir.join("hearth.db")).unwrap();
    let _ = fs::remove_file(dir.join("hearth.db-wal"));
    let _ = fs::remove_file(dir.join("hearth.db-shm"));
    let err = opening::open(&dir, clock(), &StartChoice::Ask)
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseMissing);
    let empty = opening::open(&dir, clock(), &StartChoice::StartEmpty).unwrap();
    assert!(live_members(&empty).is_empty());
    // A first start with no snapshots at all just starts.
    let fresh = tempfile::tempdir().unwrap();
    assert!(opening::open(fresh.path(), clock(), &StartChoice::Ask).is_ok());
}

#[test]
fn a_database_with_data_is_snapshotted_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hearth.db");
    let older = &MIGRATIONS[..MIGRATIONS.len() - 1];
    {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "application_id", hearth_core::store::APPLICATION_ID)
            .unwrap();
        hearth_core::store::migrate(&mut conn, older).unwrap();
        conn.execute(
            "INSERT INTO members (display_name, sort_key, created_at, updated_at)
             VALUES ('郑佳琪', 'zheng', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let ctx = opening::open(dir.path(), clock(), &StartChoice::Ask).unwrap();
    let list = snapshots::list(&ctx).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, SnapshotReason::BeforeMigration);
    assert_eq!(list[0].schema_version, older.last().unwrap().version);
    assert_eq!(list[0].members, 1);
    // Opening again (already migrated) takes none.
    drop(ctx);
    let ctx = opening::open(dir.path(), clock(), &StartChoice::Ask).unwrap();
    assert_eq!(snapshots::list(&ctx).unwrap().len(), 1);
    // An empty older database is migrated without one.
    let empty = tempfile::tempdir().unwrap();
    {
        let mut conn = rusqlite::Connection::open(empty.path().join("hearth.db")).unwrap();
        conn.pragma_update(None, "application_id", hearth_core::store::APPLICATION_ID)
            .unwrap();
        let first: &[Migration] = &MIGRATIONS[..1];
        hearth_core::store::migrate(&mut conn, first).unwrap();
    }
    let ctx = opening::open(empty.path(), clock(), &StartChoice::Ask).unwrap();
    assert!(snapshots::list(&ctx).unwrap().is_empty());
}

#[test]
fn a_read_only_database_reads_and_refuses_writes_with_a_clear_error() {
    let db = open();
    members::create(&db.ctx, draft("郑佳琪", &[], &[])).unwrap();
    let path = db.ctx.store.path().to_owned();
    drop(db.ctx);
    let store = hearth_core::store::Store::open_read_only(&path).unwrap();
    assert!(store.is_read_only());
    let ctx = Ctx::new(store, clock());
    assert_eq!(live_members(&ctx), vec!["郑佳琪".to_owned()]);
    let err = members::create(&ctx, draft("Tom", &[], &[])).unwrap_err();
    assert_eq!(err.code, ErrorCode::ReadOnlyDatabase);
    assert!(err.localized("zh-CN").contains("只读"));
}

#[test]
fn a_second_process_holding_the_file_gives_a_busy_error() {
    let db = open();
    let other = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = members::create(&db.ctx, draft("Tom", &[], &[])).unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseBusy);
    other.execute_batch("ROLLBACK").unwrap();
    members::create(&db.ctx, draft("Tom", &[], &[])).unwrap();
}

#[test]
fn the_cli_creates_lists_verifies_restores_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hearth(dir.path(), &["demo", "--members", "50"])
        .status
        .success());
    let out = hearth(dir.path(), &["backup", "create", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let taken: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = taken["snapshot"]["id"].as_str().unwrap().to_owned();
    assert_eq!(taken["snapshot"]["verified"], true);
    assert_eq!(taken["snapshot"]["members"], 50);

    let out = hearth(dir.path(), &["backup", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["reason"], "manual");

    assert!(hearth(dir.path(), &["backup", "verify", &id])
        .status
        .success());
    assert!(hearth(dir.path(), &["members", "add", "--name", "Extra"])
        .status
        .success());
    let out = hearth(dir.path(), &["backup", "restore", &id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hearth(
        dir.path(),
        &["members", "list", "--search", "Extra", "--json"],
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 0);

    let out = hearth(dir.path(), &["check"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok"));

    // Break a reference behind Hearth's back: `check` fails and names the table.
    {
        let conn = rusqlite::Connection::open(dir.path().join("hearth.db")).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO identities (member_id, kind, value, created_at)
             VALUES (999999, 'qq', '12345678', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let out = hearth(dir.path(), &["check", "--json"]);
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(report["foreign_keys"][0]
        .as_str()
        .unwrap()
        .starts_with("identities"));

    // A damaged database: moved aside; `backup restore` puts the snapshot back.
    let db = dir.path().join("hearth.db");
    damage(&db);
    let out = hearth(dir.path(), &["members", "list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    let out = hearth(dir.path(), &["backup", "restore", &id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hearth(dir.path(), &["members", "list", "--json", "--limit", "500"]);
    let back: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back.as_array().unwrap().len(), 50);
}
