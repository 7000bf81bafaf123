//! What a member's lifecycle events do to stored stages (registered in `ops::consequences`).

use super::refresh_stored_in;
use crate::ops::consequences::{Change, Feature, MemberTable, Rows};

/// Stages are derived from activities: after a merge (or its undo) moved them, the members
/// concerned are assessed again. Their history stays with each record; the trash keeps both.
pub(crate) const MEMBER_DATA: Feature = Feature {
    name: "lifecycle",
    tables: &[
        MemberTable::new("member_lifecycle", Rows::Recomputed, Rows::Kept),
        MemberTable::new("stage_history", Rows::Kept, Rows::Kept),
    ],
    moves: None,
    react: |w, change, at| match change {
        Change::Merged { kept, .. } => refresh_stored_in(w, &[kept], at.today, at.now),
        Change::Unmerged { kept, merged, .. } => {
            refresh_stored_in(w, &[kept, merged], at.today, at.now)
        }
        _ => Ok(()),
    },
};
