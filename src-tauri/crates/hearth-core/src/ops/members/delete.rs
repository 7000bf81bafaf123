//! Delete moves members to the trash (they keep their identities, so nobody else can take them
//! meanwhile); restore is the undo.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::Ctx;
use crate::store::members;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeleteMembers {
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeleteOutcome {
    /// How many members changed state.
    pub count: u32,
    /// The ids to pass to [`restore`] to undo.
    pub ids: Vec<i64>,
}

/// Moves the members to the trash, all in one transaction.
pub fn delete(ctx: &Ctx, input: DeleteMembers) -> Result<DeleteOutcome> {
    let now = ctx.now_stamp();
    let count = ctx.store.write(|w| {
        let count = members::soft_delete(w, &input.ids, &now)?;
        consequences::apply_in(w, Change::Trashed(&input.ids), Moment::of(ctx, &now))?;
        Ok(count)
    })?;
    Ok(DeleteOutcome {
        count,
        ids: input.ids,
    })
}

/// Undo of [`delete`]: brings the members back exactly as they were.
pub fn restore(ctx: &Ctx, input: DeleteMembers) -> Result<DeleteOutcome> {
    let now = ctx.now_stamp();
    let count = ctx.store.write(|w| {
        let count = members::restore(w, &input.ids, &now)?;
        consequences::apply_in(w, Change::Restored(&input.ids), Moment::of(ctx, &now))?;
        Ok(count)
    })?;
    Ok(DeleteOutcome {
        count,
        ids: input.ids,
    })
}
