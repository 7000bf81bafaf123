//! Delete moves members to the trash (they keep their identities, so nobody else can take them
//! meanwhile); restore is the undo.

use serde::{Deserialize, Serialize};

use crate::error::Result;
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
        // An invitee leaving within the claw-back window takes the invite points back.
        crate::ops::invites::claw_back_in(w, &input.ids, ctx.clock.now(), &now)?;
        crate::ops::events::registrations::rebalance_all(w, &now)?;
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
        crate::ops::invites::give_back_in(w, &input.ids, &now)?;
        // Badges they held wait in the trash; rules they met while away apply now.
        crate::ops::rewards::evaluate_in(w, &input.ids, &now)?;
        crate::ops::events::registrations::reseat_restored(w, &input.ids, &now)?;
        Ok(count)
    })?;
    Ok(DeleteOutcome {
        count,
        ids: input.ids,
    })
}
