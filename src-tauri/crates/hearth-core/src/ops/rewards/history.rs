//! A member's points history: the ledger newest first, each row with the balance after it.
//!
//! Deliberately absent: writing to the ledger, which only the operations that earn or spend
//! points do.

use crate::domain::PointsEntry;
use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::members;
use crate::store::rewards as table;

/// A member's ledger, newest first, each row with the balance right after it (the member
/// panel's points history).
pub fn points_history(ctx: &Ctx, member_id: i64) -> Result<Vec<PointsEntry>> {
    ctx.store.read(|r| {
        if members::get(r, member_id)?.is_none() {
            return Err(Error::not_found("member", member_id));
        }
        let mut rows = table::ledger_of(r, member_id)?;
        rows.reverse();
        Ok(rows)
    })
}
