//! Permanent erase for personal-information removal requests: the member, every identity, tag
//! link, merge snapshot and merged-away record of them go, pages are overwritten
//! (`secure_delete`) and the WAL is truncated. Not undoable by design; the UI confirms first, and
//! a snapshot of the state before it is taken (snapshots age out under retention, so the person
//! is gone from every copy within six months).
//!
//! Emptying the trash is the same erase for every member in the trash, after a snapshot that must
//! pass its integrity check (there is no other way back).

use serde::{Deserialize, Serialize};

use crate::domain::{Snapshot, SnapshotReason};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::{snapshots, Ctx};
use crate::store::{members, Write};

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

/// What emptying the trash did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrashEmptied {
    /// Member records removed (with members merged into them).
    pub erased: u32,
    /// The verified snapshot of the state before (`None` when the trash was already empty and
    /// nothing was done).
    pub snapshot: Option<Snapshot>,
}

pub fn erase(ctx: &Ctx, input: EraseMembers) -> Result<EraseOutcome> {
    if input.ids.is_empty() {
        return Ok(EraseOutcome { erased: 0 });
    }
    snapshots::create(ctx, SnapshotReason::BeforeErase)?;
    let erased = erase_now(ctx, &input.ids)?;
    Ok(EraseOutcome { erased })
}

/// How many members are in the trash (what emptying it would erase).
pub fn trash_count(ctx: &Ctx) -> Result<u32> {
    Ok(ctx.store.read(members::trashed_ids)?.len() as u32)
}

/// Erases every member in the trash for good, after a snapshot of the state before that passed
/// its integrity check (`SnapshotDamaged` and nothing erased when it did not). The trash is read
/// again inside the erase's transaction, so a member restored meanwhile is not erased.
pub fn empty_trash(ctx: &Ctx) -> Result<TrashEmptied> {
    if trash_count(ctx)? == 0 {
        return Ok(TrashEmptied {
            erased: 0,
            snapshot: None,
        });
    }
    let taken = snapshots::create(ctx, SnapshotReason::BeforeEmptyTrash)?;
    if !taken.snapshot.verified {
        return Err(Error::new(
            ErrorCode::SnapshotDamaged,
            format!(
                "The snapshot {} taken before emptying the trash fails its check; nothing was erased",
                taken.snapshot.id
            ),
        )
        .with_param("id", &taken.snapshot.id));
    }
    let now = ctx.now_stamp();
    let erased = ctx.store.write(|w| {
        let ids = members::trashed_ids(&w.read())?;
        erase_in(ctx, w, &ids, &now)
    })?;
    ctx.store.checkpoint()?;
    Ok(TrashEmptied {
        erased,
        snapshot: Some(taken.snapshot),
    })
}

fn erase_now(ctx: &Ctx, ids: &[i64]) -> Result<u32> {
    let now = ctx.now_stamp();
    let erased = ctx.store.write(|w| erase_in(ctx, w, ids, &now))?;
    ctx.store.checkpoint()?;
    Ok(erased)
}

/// The erase itself, inside the caller's transaction: every feature's reaction, the rows, then
/// the derived state.
fn erase_in(ctx: &Ctx, w: &mut Write<'_>, ids: &[i64], now: &str) -> Result<u32> {
    if ids.is_empty() {
        return Ok(0);
    }
    let at = Moment::of(ctx, now);
    consequences::apply_in(w, Change::Erasing(ids), at)?;
    let erased = members::erase(w, ids)?;
    consequences::apply_in(w, Change::Erased, at)?;
    Ok(erased)
}
