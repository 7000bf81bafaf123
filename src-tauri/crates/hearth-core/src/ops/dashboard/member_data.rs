//! What a member's lifecycle events do to the rollups (registered in `ops::consequences`).

use crate::ops::consequences::{Change, Feature, MemberTable, Rows};
use crate::store::rollups::refresh_members;

/// `member_days` and `member_totals` hold counted members only: a merge (after engagement moved the activities)
/// and its undo recompute both members, the trash takes a member's days out of the totals and
/// a restore puts them back. Erase needs nothing here: the migration's trigger takes a deleted
/// member's days out of the totals and the foreign key removes the rows.
pub(crate) const ROLLUPS: Feature = Feature {
    name: "rollups",
    tables: &[
        MemberTable::new("member_days", Rows::Recomputed, Rows::Recomputed),
        MemberTable::new("member_totals", Rows::Recomputed, Rows::Recomputed),
    ],
    moves: None,
    react: |w, change, _| match change {
        Change::Merged { kept, merged, .. } | Change::Unmerged { kept, merged, .. } => {
            refresh_members(w, &[kept, merged])
        }
        Change::Trashed(ids) | Change::Restored(ids) => refresh_members(w, ids),
        Change::Erasing(_) | Change::Erased | Change::Imported => Ok(()),
    },
};
