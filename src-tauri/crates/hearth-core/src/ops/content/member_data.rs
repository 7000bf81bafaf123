//! What a member's lifecycle does to the content items they own (registered in
//! `ops::consequences`).

use crate::ops::consequences::{unaffected, Feature, MemberTable, MergeMoves, Rows};
use crate::store::content;

/// An item's owner goes with the member kept by a merge (and back on undo); the trash keeps the
/// owner; erasing the member leaves the item with no owner (the key sets it NULL).
pub(crate) const OWNERS: Feature = Feature {
    name: "content",
    tables: &[MemberTable {
        table: "content_items",
        on_merge: Rows::Moved,
        on_trash: Rows::Kept,
        on_erase: Rows::Detached,
    }],
    moves: Some(MergeMoves {
        move_rows: content::move_on_merge,
        move_back: |w, merge, merged, _| content::unmove_on_merge(w, merge, merged),
    }),
    react: unaffected,
};
