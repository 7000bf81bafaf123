//! What a member's lifecycle does to their credit deductions and appeals (registered in
//! `ops::consequences`).

use crate::ops::consequences::{Change, Feature, MemberTable, Rows};
use crate::store::credit;

/// Deductions go with the member kept by a merge (and back on undo); the trash keeps them
/// (scores and tiers list live members only).
pub(crate) const MEMBER_DATA: Feature = Feature {
    name: "credit",
    tables: &[MemberTable::new("credit_entries", Rows::Moved, Rows::Kept)],
    react: |w, change, _| match change {
        Change::Merged {
            merge,
            kept,
            merged,
        } => credit::move_on_merge(w, merge, merged, kept),
        Change::Unmerged { merge, merged, .. } => credit::unmove_on_merge(w, merge, merged),
        _ => Ok(()),
    },
};
