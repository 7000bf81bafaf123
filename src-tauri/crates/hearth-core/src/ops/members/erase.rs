//! Permanent erase for personal-information removal requests: the member, every identity, tag
//! link, merge snapshot and merged-away record of them go, pages are overwritten
//! (`secure_delete`) and the WAL is truncated. Not undoable by design; the UI confirms first, and
//! a snapshot of the state before it is taken (snapshots age out under retention, so the person
//! is gone from every copy within six months).

use serde::{Deserialize, Serialize};

use crate::domain::SnapshotReason;
use crate::error::Result;
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::{snapshots, Ctx};
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
    if input.ids.is_empty() {
        return Ok(EraseOutcome { erased: 0 });
    }
    snapshots::create(ctx, SnapshotReason::BeforeErase)?;
    let now = ctx.now_stamp();
    let erased = ctx.store.write(|w| {
        let at = Moment::of(ctx, &now);
        consequences::apply_in(w, Change::Erasing(&input.ids), at)?;
        let erased = members::erase(w, &input.ids)?;
        consequences::apply_in(w, Change::Erased, at)?;
        Ok(erased)
    })?;
    ctx.store.checkpoint()?;
    Ok(EraseOutcome { erased })
}
