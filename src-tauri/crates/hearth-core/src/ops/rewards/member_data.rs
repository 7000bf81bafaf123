//! What a member's lifecycle events do to badges (registered in `ops::consequences`).

use super::evaluate_in;
use crate::ops::consequences::{Change, Feature, MemberTable, Rows};

/// Badges by rule are checked again wherever the data behind them moved: two records' activities
/// together may earn a badge neither had (merge), the undo splits them again, and a member back
/// from the trash meets the rules that changed while they were away. Badges held stay in the
/// trash with their member.
pub(crate) const MEMBER_DATA: Feature = Feature {
    name: "rewards",
    tables: &[MemberTable::new(
        "member_badges",
        Rows::Recomputed,
        Rows::Kept,
    )],
    moves: None,
    react: |w, change, at| match change {
        Change::Merged { kept, .. } => evaluate_in(w, &[kept], at.now),
        Change::Unmerged { kept, merged, .. } => evaluate_in(w, &[kept, merged], at.now),
        Change::Restored(ids) => evaluate_in(w, ids, at.now),
        _ => Ok(()),
    },
};
