//! What a member's lifecycle does to their registrations and to the seats of every event
//! (both registered in `ops::consequences`).

use super::registrations::{rebalance_all, reseat_restored};
use crate::ops::consequences::{unaffected, Change, Feature, MemberTable, MergeMoves, Rows};
use crate::store::events;

/// Registrations go with the member kept by a merge (and back on undo); feedback stays with the
/// record it was given under. The trash keeps both.
pub(crate) const MEMBER_DATA: Feature = Feature {
    name: "events",
    tables: &[
        MemberTable::new("registrations", Rows::Moved, Rows::Kept),
        MemberTable::new("event_feedback", Rows::Kept, Rows::Kept),
    ],
    moves: Some(MergeMoves {
        move_rows: events::move_on_merge,
        move_back: |w, merge, merged, _| events::unmove_on_merge(w, merge, merged),
    }),
    react: unaffected,
};

/// Seats: a member who leaves (merged away, trashed, erased, removed by an import undo) frees a
/// seat for the waitlist; one who comes back takes a seat again if there is one, else waits.
/// Runs last, after every other feature has moved its rows.
pub(crate) const SEATS: Feature = Feature {
    name: "seats",
    tables: &[],
    moves: None,
    react: |w, change, at| match change {
        Change::Merged { .. } | Change::Trashed(_) | Change::Erased | Change::Imported => {
            rebalance_all(w, at.now)
        }
        Change::Unmerged { merged, .. } => reseat_restored(w, &[merged], at.now),
        Change::Restored(ids) => reseat_restored(w, ids, at.now),
        Change::Erasing(_) => Ok(()),
    },
};
