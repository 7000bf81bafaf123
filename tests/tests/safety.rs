//! Data safety beyond snapshots themselves, on real files: the check of a big database that runs
//! after the window opens, emptying the trash behind a verified snapshot, and the CLI's
//! `members empty-trash`.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use common::{hearth, now, open, open_demo};
use hearth_core::domain::SnapshotReason;
use hearth_core::ops::members::{self, DeleteMembers, ListMembers, MergeMembers, UndoMerge};
use hearth_core::ops::opening::{self, StartChoice};
use hearth_core::ops::snapshots;
use hearth_core::{Ctx, ErrorCode, FixedClock};

/// Live members (not in the trash, not merged away).
fn live(ctx: &Ctx) -> u32 {
    members::list(
        ctx,
        ListMembers {
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap()
    .total
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock(now()))
}

/// Overwrites the last four pages of a (closed) database: table and index pages that opening
/// never reads, so only the full check finds them.
fn damage_the_end(db: &Path) -> Vec<u8> {
    let mut bytes = fs::read(db).unwrap();
    let len = bytes.len();
    assert!(len > 64 * 8192, "the demo database is big enough");
    for b in &mut bytes[len - 4 * 8192..] {
        *b = 0xA5;
    }
    fs::write(db, &bytes).unwrap();
    bytes
}

#[test]
fn a_big_database_opens_after_the_fast_checks_and_the_full_check_then_reports_damage() {
    let db = open_demo();
    let s = snapshots::create(&db.ctx, SnapshotReason::Manual)
        .unwrap()
        .snapshot;
    let dir = db.dir.path().to_owned();
    drop(db.ctx);
    let file = dir.join("hearth.db");

    // Healthy: a file over the limit opens with its check still to run, and the check passes.
    let opened = opening::open_deferring(&dir, clock(), &StartChoice::Ask, 0).unwrap();
    assert!(opened.check_pending);
    assert!(opening::check_open(&opened.ctx).unwrap().is_none());
    drop(opened);
    let opened = opening::open_deferring(&dir, clock(), &StartChoice::Ask, u64::MAX).unwrap();
    assert!(
        !opened.check_pending,
        "a file under the limit is checked first"
    );
    drop(opened);

    let damaged = damage_the_end(&file);
    // Deferred: it opens (the window can show), then the check finds the damage and names the
    // snapshot to restore; the open file stays where it is.
    let opened = opening::open_deferring(&dir, clock(), &StartChoice::Ask, 0).unwrap();
    let found = opening::check_open(&opened.ctx)
        .unwrap()
        .expect("the check after opening finds the damage");
    assert_eq!(found.code, ErrorCode::DatabaseCorrupt);
    assert_eq!(found.params["snapshot"], s.id);
    assert!(!found.params["problems"].is_empty());
    assert!(file.exists());

    drop(opened);

    // Checked first (the CLI, a small file in the app): the damage is found before opening and
    // the file moved aside untouched.
    damage_the_end(&file);
    let err = opening::open(&dir, clock(), &StartChoice::Ask)
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseCorrupt);
    assert_eq!(
        fs::read(&err.params["moved_to"]).unwrap().len(),
        damaged.len()
    );
    assert!(!file.exists());
}

#[test]
fn a_database_whose_header_is_damaged_is_refused_before_the_window_at_any_size() {
    let db = open_demo();
    let dir = db.dir.path().to_owned();
    drop(db.ctx);
    let file = dir.join("hearth.db");
    let mut bytes = fs::read(&file).unwrap();
    // Page 1 past the 100-byte header: the schema table.
    for b in &mut bytes[100..8192] {
        *b = 0x5A;
    }
    fs::write(&file, &bytes).unwrap();
    let err = opening::open_deferring(&dir, clock(), &StartChoice::Ask, 0)
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseCorrupt);
    assert!(!file.exists(), "moved aside");
}

#[test]
fn emptying_the_trash_erases_its_members_after_a_verified_snapshot() {
    let db = open_demo();
    let ctx = &db.ctx;
    members::delete(ctx, DeleteMembers { ids: vec![3, 4, 5] }).unwrap();
    // A member merged into another is not in the trash: the merge's undo still needs them.
    let merge = members::merge(
        ctx,
        MergeMembers {
            keep_id: 10,
            merge_id: 11,
            take_from_merged: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(members::trash_count(ctx).unwrap(), 3);

    let out = members::empty_trash(ctx).unwrap();
    assert_eq!(out.erased, 3);
    let snapshot = out.snapshot.expect("a snapshot before");
    assert_eq!(snapshot.reason, SnapshotReason::BeforeEmptyTrash);
    assert!(snapshot.verified);
    assert_eq!(members::trash_count(ctx).unwrap(), 0);
    for id in [3, 4, 5] {
        assert_eq!(
            members::get(ctx, id).unwrap_err().code,
            ErrorCode::NotFound,
            "#{id} is gone from the live database"
        );
    }
    // Nobody else went; the merge can still be undone.
    assert_eq!(live(ctx), 2000 - 3 - 1);
    members::undo_merge(ctx, UndoMerge { merge: merge.merge }).unwrap();
    assert_eq!(live(ctx), 2000 - 3);

    // An empty trash: nothing done, no snapshot taken.
    let before = snapshots::list(ctx).unwrap().len();
    let again = members::empty_trash(ctx).unwrap();
    assert_eq!(again.erased, 0);
    assert!(again.snapshot.is_none());
    assert_eq!(snapshots::list(ctx).unwrap().len(), before);
}

#[test]
fn the_cli_empties_the_trash() {
    let db = open();
    let dir = db.dir.path().to_owned();
    for name in ["甲", "乙", "丙"] {
        members::create(&db.ctx, common::draft(name, &[], &[])).unwrap();
    }
    members::delete(&db.ctx, DeleteMembers { ids: vec![1, 2] }).unwrap();
    drop(db.ctx);
    let out = hearth(&dir, &["members", "empty-trash", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["erased"], 2);
    assert_eq!(json["snapshot"]["reason"], "before_empty_trash");
    let out = hearth(&dir, &["members", "empty-trash"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "The trash is empty"
    );
    let out = hearth(&dir, &["members", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
}

#[test]
fn a_file_over_the_import_limit_is_refused_before_it_is_read() {
    let db = open();
    let path = db.dir.path().join("huge.csv");
    // Sparse: a gigabyte and a byte of size, no disk used.
    let file = fs::File::create(&path).unwrap();
    file.set_len(hearth_core::io::read::MAX_FILE_BYTES + 1)
        .unwrap();
    drop(file);
    let err = hearth_core::ops::import::preview(
        &db.ctx,
        &hearth_core::ops::import::ImportOptions {
            path: path.display().to_string(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::FileTooLarge);
    assert_eq!(err.params["max_mb"], "1024");
    assert_eq!(err.params["size_mb"], "1025");
    assert!(err.localized("zh-CN").contains("超过可导入的上限 1024 MB"));
}

#[test]
fn a_second_process_on_a_held_database_gets_the_busy_error_and_then_gets_through() {
    let db = open();
    let dir = db.dir.path().to_owned();
    members::create(&db.ctx, common::draft("甲", &[], &[])).unwrap();
    drop(db.ctx);
    // Another program (here a plain connection; in life the app) holds the write lock.
    let holder = rusqlite::Connection::open(dir.join("hearth.db")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = hearth(&dir, &["members", "add", "--name", "乙"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Another program is using the database"),
        "a handled, translated busy error: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    holder.execute_batch("COMMIT").unwrap();
    drop(holder);
    let out = hearth(&dir, &["members", "add", "--name", "乙"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
