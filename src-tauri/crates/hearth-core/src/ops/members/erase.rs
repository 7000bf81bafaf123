//! Permanent erase for personal-information removal requests: the member, every identity, tag
//! link, merge snapshot and merged-away record of them go, pages are overwritten
//! (`secure_delete`) and the WAL is truncated. Not undoable by design; the UI confirms first.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::ops::Ctx;
use crate::store::members;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EraseMembers {
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EraseOutcome {
    /// Member records removed (including members merged into them).
    pub erased: u32,
}

pub fn erase(ctx: &Ctx, input: EraseMembers) -> Result<EraseOutcome> {
    let now = ctx.now_stamp();
    let erased = ctx.store.write(|w| {
        // Erasing is leaving for good: within the claw-back window the inviter's points go, as
        // when the invitee is trashed (taken once: a trashed invitee's were taken already).
        crate::ops::invites::claw_back_in(w, &input.ids, ctx.clock.now(), &now)?;
        // No invite names them any more (an id may be given again to someone new).
        crate::store::rewards::forget_invitees(w, &input.ids)?;
        let erased = members::erase(w, &input.ids)?;
        // Seats they held go to the waitlist.
        crate::ops::events::registrations::rebalance_all(w, &now)?;
        Ok(erased)
    })?;
    ctx.store.checkpoint()?;
    Ok(EraseOutcome { erased })
}
