//! Opening databases: pragmas, migrations on disk, and refusing what is not ours.

mod common;

use std::fs;
use std::sync::Arc;

use hearth_core::demo::{self, LoadDemo};
use hearth_core::ops::members::{self, ListMembers};
use hearth_core::store::{Store, MIGRATIONS};
use hearth_core::{Ctx, ErrorCode, FixedClock};

#[test]
fn a_new_database_gets_wal_foreign_keys_full_sync_and_the_latest_schema() {
    let db = common::open();
    let path = db.dir.path().join("hearth.db");
    assert!(path.exists());
    drop(db.ctx);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.last().unwrap().version);
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, hearth_core::store::APPLICATION_ID);
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, hearth_core::store::PAGE_SIZE);
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock(common::now()));
    {
        let ctx = Ctx::open_in_dir(dir.path(), clock.clone()).unwrap();
        demo::load(
            &ctx,
            LoadDemo {
                members: 50,
                seed: 1,
            },
        )
        .unwrap();
    }
    let ctx = Ctx::open_in_dir(dir.path(), clock).unwrap();
    let page = members::list(
        &ctx,
        ListMembers {
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 50);
}

#[test]
fn a_file_that_is_not_a_hearth_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hearth.db");
    fs::write(&path, "姓名,手机号\n张伟,13800138000\n").unwrap();
    let before = fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert_eq!(err.code, ErrorCode::NotHearthDatabase);
    assert_eq!(fs::read(&path).unwrap(), before);

    // Another application's SQLite database is refused too.
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    let err = Store::open(&other).err().unwrap();
    assert_eq!(err.code, ErrorCode::NotHearthDatabase);
    let rows: i64 = rusqlite::Connection::open(&other)
        .unwrap()
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_data_folder_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, "a file where the folder should be").unwrap();
    let err = Store::open_in_dir(&blocker.join("data")).err().unwrap();
    assert_eq!(err.code, ErrorCode::DataDirUnavailable);
    assert!(err.params["path"].contains("not-a-folder"));
}

#[test]
fn a_database_from_a_newer_hearth_is_refused() {
    let db = common::open();
    let path = db.dir.path().join("hearth.db");
    drop(db.ctx);
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    assert_eq!(
        Store::open(&path).err().unwrap().code,
        ErrorCode::NewerSchema
    );
}

#[test]
fn a_shipped_migration_edited_after_the_fact_is_detected_on_open() {
    let db = common::open();
    let path = db.dir.path().join("hearth.db");
    drop(db.ctx);
    // Simulate the binary carrying different SQL for an applied version.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1",
            [],
        )
        .unwrap();
    assert_eq!(
        Store::open(&path).err().unwrap().code,
        ErrorCode::MigrationEdited
    );
}

#[test]
fn demo_is_deterministic_and_can_be_loaded_twice() {
    let a = common::open();
    let b = common::open();
    demo::load(
        &a.ctx,
        LoadDemo {
            members: 300,
            seed: 9,
        },
    )
    .unwrap();
    demo::load(
        &b.ctx,
        LoadDemo {
            members: 300,
            seed: 9,
        },
    )
    .unwrap();
    assert_eq!(common::all_members(&a), common::all_members(&b));
    let names: std::collections::HashSet<_> = common::all_members(&a)
        .into_iter()
        .map(|m| m.display_name)
        .collect();
    assert!(names
        .iter()
        .any(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));
    assert!(names.iter().any(|n| n.is_ascii()));
    // A second load continues the numbering instead of colliding on phones and emails.
    demo::load(
        &a.ctx,
        LoadDemo {
            members: 300,
            seed: 9,
        },
    )
    .unwrap();
    assert_eq!(common::all_members(&a).len(), 600);
}

#[test]
fn a_large_demo_loads_whole_and_contains_findable_duplicates() {
    let db = common::open();
    let out = demo::load(
        &db.ctx,
        LoadDemo {
            members: 20_000,
            seed: 7,
        },
    )
    .unwrap();
    assert_eq!(out.created, 20_000);
    let report = members::find_duplicates(&db.ctx, Default::default()).unwrap();
    assert!(
        report.total > 100,
        "second registrations are found: {}",
        report.total
    );
}

#[test]
fn a_database_from_the_first_release_upgrades_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hearth.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", hearth_core::store::APPLICATION_ID)
            .unwrap();
        hearth_core::store::migrate(&mut conn, &MIGRATIONS[..1]).unwrap();
        conn.execute_batch(
            "INSERT INTO members (id, display_name, pinyin, sort_key, search_text, created_at, updated_at)
                 VALUES (1, '张伟', 'zhang wei', 'zhang wei', '张伟\u{1f}zhangwei\u{1f}zhang wei\u{1f}zw\u{1f}8613800138000',
                         '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             INSERT INTO identities (member_id, kind, value, created_at)
                 VALUES (1, 'phone', '+8613800138000', '2025-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(FixedClock(common::now()))).unwrap();
    let found = members::list(
        &ctx,
        ListMembers {
            search: Some("zw".into()),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(found.total, 1);
    let m = &found.members[0];
    assert_eq!(m.identities[0].value, "+8613800138000");
    assert_eq!(
        (m.city.as_str(), m.gender),
        ("", None),
        "new columns get their defaults"
    );
    drop(ctx);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, 4096, "an existing database keeps its page size");
}
