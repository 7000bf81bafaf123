//! What merge, unmerge, trash, restore and erase do to every table that refers to a member,
//! checked against the declarations in `ops::consequences` and the schema itself (not a list kept
//! by hand here): a new table with member data is covered, or this fails.

mod common;

use std::collections::BTreeMap;

use hearth_core::ops::consequences::{declarations, Rows};
use hearth_core::ops::members::{self, DeleteMembers, EraseMembers, MergeMembers, UndoMerge};
use hearth_core::paths::DATABASE_FILE;
use hearth_core::store::schema::{member_references, MemberReference};

use common::TestDb;

fn references(db: &TestDb) -> Vec<MemberReference> {
    db.ctx.store.read(member_references).unwrap()
}

/// For each (table, column) that refers to a member: how many rows point at `id`.
fn rows_of(db: &TestDb, id: i64) -> BTreeMap<String, i64> {
    let conn = rusqlite::Connection::open(db.dir.path().join(DATABASE_FILE)).unwrap();
    references(db)
        .into_iter()
        .map(|r| {
            let n: i64 = conn
                .query_row(
                    &format!(
                        "SELECT COUNT(*) FROM \"{}\" WHERE \"{}\" = ?1",
                        r.table, r.column
                    ),
                    [id],
                    |row| row.get(0),
                )
                .unwrap();
            (format!("{}.{}", r.table, r.column), n)
        })
        .collect()
}

fn on_merge(table_column: &str) -> Rows {
    let table = table_column.split('.').next().unwrap();
    declarations()
        .find(|(_, t)| t.table == table)
        .unwrap_or_else(|| panic!("{table} is not declared in ops::consequences"))
        .1
        .on_merge
}

/// For each live demo member, the member tables (other than `members`) holding rows of theirs,
/// counting only tables whose merge rule is `only` when given.
fn tables_per_member(db: &TestDb, only: Option<Rows>) -> BTreeMap<i64, usize> {
    let conn = rusqlite::Connection::open(db.dir.path().join(DATABASE_FILE)).unwrap();
    let mut out: BTreeMap<i64, usize> = BTreeMap::new();
    for r in references(db) {
        if r.table == "members" || only.is_some_and(|rule| on_merge(&r.table) != rule) {
            continue;
        }
        let mut stmt = conn
            .prepare(&format!(
                "SELECT DISTINCT x.\"{col}\" FROM \"{table}\" x JOIN members m ON m.id = x.\"{col}\"
                  WHERE m.deleted_at IS NULL",
                table = r.table,
                col = r.column
            ))
            .unwrap();
        for id in stmt.query_map([], |row| row.get::<_, i64>(0)).unwrap() {
            *out.entry(id.unwrap()).or_default() += 1;
        }
    }
    out
}

fn best(counts: BTreeMap<i64, usize>, except: Option<i64>) -> i64 {
    let mut ranked: Vec<(i64, usize)> = counts
        .into_iter()
        .filter(|(id, _)| Some(*id) != except)
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked[0].0
}

/// Two live demo members with data in many member tables: the second has rows in the most
/// tables a merge moves, the first in the most tables overall (ties: lowest id).
fn richest_pair(db: &TestDb) -> (i64, i64) {
    let merge = best(tables_per_member(db, Some(Rows::Moved)), None);
    let keep = best(tables_per_member(db, None), Some(merge));
    (keep, merge)
}

#[test]
fn a_merge_moves_what_it_declares_and_its_undo_puts_every_row_back() {
    let db = common::open_demo();
    let (keep, merge) = richest_pair(&db);
    let keep_before = rows_of(&db, keep);
    let merge_before = rows_of(&db, merge);
    let moved: Vec<&String> = merge_before
        .iter()
        .filter(|(t, n)| **n > 0 && on_merge(t) == Rows::Moved)
        .map(|(t, _)| t)
        .collect();
    assert!(
        moved.len() >= 4,
        "the demo pair should exercise several moving tables, got {moved:?}"
    );

    let outcome = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: keep,
            merge_id: merge,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    let keep_after = rows_of(&db, keep);
    let merge_after = rows_of(&db, merge);
    for table in &moved {
        assert_eq!(
            merge_after[*table], 0,
            "{table}: declared Moved, but rows still point at the merged member"
        );
        assert_eq!(
            keep_after[*table],
            keep_before[*table] + merge_before[*table],
            "{table}: the kept member should hold both members' rows"
        );
    }

    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: outcome.merge,
        },
    )
    .unwrap();
    let keep_undone = rows_of(&db, keep);
    let merge_undone = rows_of(&db, merge);
    for (table, n) in &keep_before {
        // The merge record itself stays (marked undone): it is history of both members.
        if table.starts_with("merges.") {
            continue;
        }
        assert_eq!(
            keep_undone[table], *n,
            "{table} of the kept member after undo"
        );
        assert_eq!(
            merge_undone[table], merge_before[table],
            "{table} of the merged member after undo"
        );
    }
}

#[test]
fn the_trash_keeps_every_row_and_restore_brings_the_member_back_whole() {
    let db = common::open_demo();
    let (id, _) = richest_pair(&db);
    let before = rows_of(&db, id);
    members::delete(&db.ctx, DeleteMembers { ids: vec![id] }).unwrap();
    let trashed = rows_of(&db, id);
    for (table, n) in &before {
        let kept = declarations()
            .find(|(_, t)| table.starts_with(&format!("{}.", t.table)))
            .map(|(_, t)| t.on_trash)
            .unwrap();
        if kept == Rows::Kept {
            assert_eq!(trashed[table], *n, "{table}: declared Kept in the trash");
        }
    }
    members::restore(&db.ctx, DeleteMembers { ids: vec![id] }).unwrap();
    assert_eq!(rows_of(&db, id), before);
}

#[test]
fn erase_leaves_no_row_anywhere_that_points_at_the_member() {
    let db = common::open_demo();
    let (id, other) = richest_pair(&db);
    assert!(rows_of(&db, id).values().filter(|n| **n > 0).count() >= 5);
    let other_before = rows_of(&db, other);
    members::erase(&db.ctx, EraseMembers { ids: vec![id] }).unwrap();
    let left: Vec<(String, i64)> = rows_of(&db, id)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
    assert!(
        left.is_empty(),
        "rows still naming an erased member: {left:?}"
    );
    // Someone else's data is untouched.
    assert_eq!(rows_of(&db, other), other_before);
    let conn = rusqlite::Connection::open(db.dir.path().join(DATABASE_FILE)).unwrap();
    let broken: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
}

#[test]
fn erase_keeps_detached_rows_and_they_name_no_one() {
    let db = common::open_demo();
    let conn = rusqlite::Connection::open(db.dir.path().join(DATABASE_FILE)).unwrap();
    let detached: Vec<MemberReference> = references(&db)
        .into_iter()
        .filter(|r| {
            declarations()
                .find(|(_, t)| t.table == r.table)
                .is_some_and(|(_, t)| t.on_erase == Rows::Detached)
        })
        .collect();
    assert!(!detached.is_empty(), "content owners are declared Detached");
    for r in detached {
        let count = |conn: &rusqlite::Connection| -> i64 {
            conn.query_row(
                &format!("SELECT COUNT(*) FROM \"{}\"", r.table),
                [],
                |row| row.get(0),
            )
            .unwrap()
        };
        let id: i64 = conn
            .query_row(
                &format!(
                    "SELECT \"{col}\" FROM \"{table}\" WHERE \"{col}\" IS NOT NULL
                      ORDER BY \"{col}\" LIMIT 1",
                    col = r.column,
                    table = r.table
                ),
                [],
                |row| row.get(0),
            )
            .unwrap_or_else(|_| panic!("the demo gives {} a member", r.table));
        let before = count(&conn);
        members::erase(&db.ctx, EraseMembers { ids: vec![id] }).unwrap();
        assert_eq!(count(&conn), before, "{}: rows stay", r.table);
        assert_eq!(rows_of(&db, id)[&format!("{}.{}", r.table, r.column)], 0);
    }
}
