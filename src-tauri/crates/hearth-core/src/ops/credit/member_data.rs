//! What a member's lifecycle does to their credit deductions and appeals (registered in
//! `ops::consequences`).

use crate::ops::consequences::{unaffected, Feature, MemberTable, MergeMoves, Rows};
use crate::store::credit;

/// Deductions go with the member kept by a merge (and back on undo); the trash keeps them
/// (scores and tiers list live members only).
pub(crate) const MEMBER_DATA: Feature = Feature {
    name: "credit",
    tables: &[MemberTable::new("credit_entries", Rows::Moved, Rows::Kept)],
    moves: Some(MergeMoves {
        move_rows: credit::move_on_merge,
        move_back: |w, merge, merged, _| credit::unmove_on_merge(w, merge, merged),
    }),
    react: unaffected,
};
