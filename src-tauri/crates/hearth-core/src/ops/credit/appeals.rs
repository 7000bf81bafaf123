//! Appeals: a member contests a deduction still in force; the manager upholds it or overturns
//! it (the points come back at once); the list of appeals waiting for a decision.
//!
//! Deliberately absent: how a decided appeal changes the score, which is worked out when the
//! score is read (`store::credit`), not written here.

use serde::{Deserialize, Serialize};

use super::scores::{load_entry, score_in, CreditEntry, EntryStatus, Score};
use super::MAX_REASON;
use crate::domain::{Appeal, AppealStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::credit as table;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FileAppeal {
    pub entry_id: i64,
    /// What the member says. Required.
    pub reason: String,
}

/// Files an appeal against a deduction still in force. Refused when the deduction already has
/// a pending appeal (`AppealPending`) or no longer counts (`NotAppealable`: voided, expired or
/// overturned). An upheld appeal does not stop a new one (new facts).
pub fn file_appeal(ctx: &Ctx, input: FileAppeal) -> Result<Appeal> {
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(Error::required("reason"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::too_long("reason", MAX_REASON));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let entry = load_entry(&w.read(), input.entry_id, &now)?;
        if let Some(pending) = entry
            .appeals
            .iter()
            .find(|a| a.status == AppealStatus::Pending)
        {
            return Err(Error::new(
                ErrorCode::AppealPending,
                "this deduction already has an appeal waiting for a decision",
            )
            .with_param("filed_at", &pending.filed_at)
            .with_param("appeal_id", pending.id));
        }
        let closed = match entry.status {
            EntryStatus::Voided => Some("voided"),
            EntryStatus::Expired => Some("expired"),
            EntryStatus::Overturned => Some("overturned"),
            EntryStatus::Active | EntryStatus::UnderAppeal => None,
        };
        if let Some(status) = closed {
            return Err(Error::new(
                ErrorCode::NotAppealable,
                format!("this deduction is {status}: there is nothing to appeal"),
            )
            .with_param("status", status));
        }
        let id = table::insert_appeal(w, entry.id, reason, &now)?;
        table::appeal(&w.read(), id)?.ok_or_else(|| Error::not_found("appeal", id))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The deduction stands.
    Upheld,
    /// The deduction is withdrawn; its points come back now.
    Overturned,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DecideAppeal {
    pub appeal_id: i64,
    pub decision: Decision,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Decided {
    pub appeal: Appeal,
    pub entry: CreditEntry,
    pub score: Score,
}

/// Decides a pending appeal (`AppealDecided` if it was already decided).
pub fn decide_appeal(ctx: &Ctx, input: DecideAppeal) -> Result<Decided> {
    let note = input.note.trim();
    if note.chars().count() > MAX_REASON {
        return Err(Error::too_long("note", MAX_REASON));
    }
    let status = match input.decision {
        Decision::Upheld => AppealStatus::Upheld,
        Decision::Overturned => AppealStatus::Overturned,
    };
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let appeal = table::appeal(&w.read(), input.appeal_id)?
            .ok_or_else(|| Error::not_found("appeal", input.appeal_id))?;
        if appeal.status != AppealStatus::Pending {
            return Err(Error::new(
                ErrorCode::AppealDecided,
                format!(
                    "this appeal was already decided ({})",
                    appeal.status.as_str()
                ),
            )
            .with_param("status", appeal.status.as_str()));
        }
        table::decide_appeal(w, appeal.id, status, note, &now)?;
        let r = w.read();
        let entry = load_entry(&r, appeal.entry_id, &now)?;
        Ok(Decided {
            appeal: table::appeal(&r, appeal.id)?
                .ok_or_else(|| Error::not_found("appeal", appeal.id))?,
            score: score_in(&r, entry.member_id, &now)?,
            entry,
        })
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PendingAppeal {
    pub appeal: Appeal,
    pub member_id: i64,
    pub member_name: String,
    pub entry: CreditEntry,
}

/// Appeals waiting for a decision, oldest first (members in the trash left out).
pub fn pending_appeals(ctx: &Ctx) -> Result<Vec<PendingAppeal>> {
    let now = ctx.now_stamp();
    ctx.store.read(|r| {
        table::pending_appeals(r)?
            .into_iter()
            .map(|(appeal, member_id, member_name)| {
                Ok(PendingAppeal {
                    entry: load_entry(r, appeal.entry_id, &now)?,
                    appeal,
                    member_id,
                    member_name,
                })
            })
            .collect()
    })
}
