//! What happens to the rest of a member's data when the member is merged, unmerged, trashed,
//! restored, erased, or created or removed by an import (or its undo).
//!
//! Every feature that keeps rows about members registers here once, as a [`Feature`]: the tables
//! it owns that point at a member, what each lifecycle event does to those rows, how a merge
//! moves its rows and its undo moves them back ([`MergeMoves`]), and one function that reacts to
//! any other [`Change`]. The member operations (merge, delete, restore, erase, imports and
//! their undo) call exactly one function of this module per event and never list side effects by
//! hand, so a new feature is covered everywhere by adding one entry to [`FEATURES`].
//!
//! This module is the composition root of the member features: the one place in `ops` allowed
//! to name them all (the architecture check exempts it from the no-circles rule for that reason).
//!
//! A test reads the schema (every table with a column that refers to `members`) and fails when a
//! table is not declared by some feature, or a declaration names a table that does not exist.
//!
//! Everything here runs inside the caller's transaction (`*_in` convention): nothing commits.

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::Result;
use crate::store::Write;

/// The moment an event happens, in the three forms features need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moment<'a> {
    /// The store's timestamp text for `at`.
    pub now: &'a str,
    pub at: DateTime<Utc>,
    /// The manager's local date (lifecycle days, badges).
    pub today: NaiveDate,
}

impl<'a> Moment<'a> {
    pub(crate) fn of(ctx: &crate::ops::Ctx, now: &'a str) -> Self {
        Moment {
            now,
            at: ctx.clock.now(),
            today: ctx.clock.today(),
        }
    }
}

/// A lifecycle event of one or more members.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change<'a> {
    /// `merged` went into `kept` (merge `merge`); `merged` is now in the trash, pointing at `kept`.
    Merged { merge: i64, kept: i64, merged: i64 },
    /// Merge `merge` was taken back: both members are exactly as before it.
    Unmerged { merge: i64, kept: i64, merged: i64 },
    /// Moved to the trash (deleted, or created by something that was undone).
    Trashed(&'a [i64]),
    /// Brought back from the trash.
    Restored(&'a [i64]),
    /// About to be erased for good: the rows still exist.
    Erasing(&'a [i64]),
    /// Erased: every row that pointed at them is gone (foreign keys cascade), so only what
    /// depends on them as a whole (seats) has anything left to do.
    Erased,
    /// An import (or its undo) created, updated or removed members in bulk.
    Imported,
}

/// What an event does to a table's rows that point at the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Re-pointed to the member kept, recorded per merge so the undo moves exactly those back.
    Moved,
    /// Combined into the member kept by the merged profile (identities, tags, custom values);
    /// the merged record's own rows are restored from the merge snapshot on undo.
    Combined,
    /// Derived from other data and computed again for the members concerned.
    Recomputed,
    /// Left on their record: history that belongs to that record (merge snapshots, import
    /// changes, feedback given under that record), hidden while the member is in the trash.
    Kept,
    /// Removed with the member: the foreign key cascades (checked by the schema test).
    Deleted,
    /// The row stays and names no one: the foreign key sets it NULL (a content item's owner).
    Detached,
}

/// How one table that points at members behaves on each event.
#[derive(Debug, Clone, Copy)]
pub struct MemberTable {
    pub table: &'static str,
    pub on_merge: Rows,
    pub on_trash: Rows,
    pub on_erase: Rows,
}

impl MemberTable {
    pub(crate) const fn new(table: &'static str, on_merge: Rows, on_trash: Rows) -> Self {
        MemberTable {
            table,
            on_merge,
            on_trash,
            on_erase: Rows::Deleted,
        }
    }
}

/// Re-points a feature's rows from the merged member to the kept one, recording them under the
/// merge (`move_rows`), and moves exactly those back when the merge is undone (`move_back`).
/// Arguments: the transaction, the merge, the merged member, the kept member.
#[derive(Clone, Copy)]
pub(crate) struct MergeMoves {
    pub move_rows: fn(&mut Write<'_>, i64, i64, i64) -> Result<()>,
    pub move_back: fn(&mut Write<'_>, i64, i64, i64) -> Result<()>,
}

/// One feature's registration: its member tables, the rows a merge moves, and how it reacts to
/// every change.
pub(crate) struct Feature {
    pub name: &'static str,
    pub tables: &'static [MemberTable],
    /// For features with `Moved` tables: run on `Merged` and `Unmerged` before `react`.
    pub moves: Option<MergeMoves>,
    pub react: fn(&mut Write<'_>, Change<'_>, Moment<'_>) -> Result<()>,
}

/// Every feature with member data, in the order they react: features whose rows others derive
/// from come first (registrations and activities move before stages and badges are recomputed).
pub(crate) const FEATURES: &[&Feature] = &[
    &crate::ops::members::PROFILE,
    &crate::ops::events::MEMBER_DATA,
    &crate::ops::engagement::MEMBER_DATA,
    &crate::ops::invites::MEMBER_DATA,
    &crate::ops::dashboard::ROLLUPS,
    &crate::ops::credit::MEMBER_DATA,
    &crate::ops::today::MEMBER_DATA,
    &crate::ops::content::OWNERS,
    &crate::ops::campaigns::MEMBER_DATA,
    &crate::ops::segments::MEMBER_DATA,
    &crate::ops::lifecycle::MEMBER_DATA,
    &crate::ops::rewards::MEMBER_DATA,
    &crate::ops::events::SEATS,
];

/// Every declared member table with the feature that owns it, in [`FEATURES`] order (for
/// checks and documentation; the schema test and `tests/tests/consequences.rs` use it).
pub fn declarations() -> impl Iterator<Item = (&'static str, &'static MemberTable)> {
    FEATURES
        .iter()
        .flat_map(|f| f.tables.iter().map(move |t| (f.name, t)))
}

/// Tells every feature about `change`, in [`FEATURES`] order.
pub(crate) fn apply_in(w: &mut Write<'_>, change: Change<'_>, at: Moment<'_>) -> Result<()> {
    for feature in FEATURES {
        match (change, feature.moves) {
            (
                Change::Merged {
                    merge,
                    kept,
                    merged,
                },
                Some(moves),
            ) => (moves.move_rows)(w, merge, merged, kept)?,
            (
                Change::Unmerged {
                    merge,
                    kept,
                    merged,
                },
                Some(moves),
            ) => (moves.move_back)(w, merge, merged, kept)?,
            _ => {}
        }
        (feature.react)(w, change, at)?;
    }
    Ok(())
}

/// A feature that only declares tables and has nothing to do on any change.
pub(crate) fn unaffected(_: &mut Write<'_>, _: Change<'_>, _: Moment<'_>) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::store::Store;

    /// Every (table, column, on delete) that refers to a member, read from a fresh schema.
    fn member_references(store: &Store) -> Vec<(String, String, String)> {
        store
            .read(crate::store::schema::member_references)
            .unwrap()
            .into_iter()
            .map(|m| (m.table, m.column, m.on_delete))
            .collect()
    }

    #[test]
    fn every_table_pointing_at_members_is_declared_by_a_feature() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let declared: BTreeSet<&str> = FEATURES
            .iter()
            .flat_map(|f| f.tables.iter().map(|t| t.table))
            .collect();
        let mut missing = Vec::new();
        let mut schema = BTreeSet::new();
        for (table, column, on_delete) in member_references(&store) {
            schema.insert(table.clone());
            if !declared.contains(table.as_str()) {
                missing.push(format!("{table}.{column}"));
            }
            // Erase relies on the cascade: a reference that does not cascade would either block
            // the erase or leave a row naming a member who no longer exists.
            let declared_erase = FEATURES
                .iter()
                .flat_map(|f| f.tables.iter())
                .find(|t| t.table == table)
                .map(|t| t.on_erase);
            // `members.merged_into` points at the member kept; erase removes those records itself.
            if declared_erase == Some(Rows::Deleted) && table != "members" {
                assert_eq!(
                    on_delete, "CASCADE",
                    "{table}.{column} is declared Deleted on erase but its key does not cascade"
                );
            }
            if declared_erase == Some(Rows::Detached) {
                assert_eq!(
                    on_delete, "SET NULL",
                    "{table}.{column} is declared Detached on erase but its key does not set NULL"
                );
            }
        }
        assert!(
            missing.is_empty(),
            "tables that refer to members but no feature in consequences::FEATURES declares \
             what merge, trash/restore and erase do to them: {missing:?}"
        );
        let stale: Vec<_> = declared.iter().filter(|t| !schema.contains(**t)).collect();
        assert!(
            stale.is_empty(),
            "declared tables not in the schema: {stale:?}"
        );
    }

    #[test]
    fn a_feature_with_moved_rows_says_how_to_move_them() {
        for feature in FEATURES {
            let moves_rows = feature.tables.iter().any(|t| t.on_merge == Rows::Moved);
            assert_eq!(
                moves_rows,
                feature.moves.is_some(),
                "{}: tables declared Moved and `moves` must go together",
                feature.name
            );
        }
    }

    #[test]
    fn each_table_is_declared_once() {
        let mut seen = BTreeSet::new();
        for feature in FEATURES {
            for table in feature.tables {
                assert!(
                    seen.insert(table.table),
                    "{} declared twice (again by {})",
                    table.table,
                    feature.name
                );
            }
        }
    }
}
