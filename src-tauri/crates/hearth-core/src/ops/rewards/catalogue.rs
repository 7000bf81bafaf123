//! The rewards catalogue and redemption: members spend points on rewards (never beyond their
//! balance or the stock), and Undo gives the points back with a new ledger row.
//!
//! Deliberately absent: earning points (`ops::engagement`) and the ledger's storage
//! (`store::engagement`).

use serde::{Deserialize, Serialize};

use super::MAX_REASON;
use crate::domain::{Redemption, Reward};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::engagement as activities;
use crate::store::members;
use crate::store::rewards::{self as table, RewardRecord};
use crate::store::rewards::{REDEEM, REDEEM_UNDO};

pub fn rewards(ctx: &Ctx) -> Result<Vec<Reward>> {
    ctx.store.read(table::rewards)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RewardDraft {
    /// `None` adds a reward; an id changes that one.
    #[serde(default)]
    pub id: Option<i64>,
    pub name_zh: String,
    /// Falls back to `name_zh` when empty.
    #[serde(default)]
    pub name_en: String,
    /// Points one costs (1 to 1,000,000).
    pub cost: i64,
    /// How many are left; `None` is unlimited.
    #[serde(default)]
    pub stock: Option<i64>,
    /// Switched off rewards cannot be redeemed (past redemptions keep their name).
    pub active: bool,
}

pub const MAX_COST: i64 = 1_000_000;

pub fn save_reward(ctx: &Ctx, draft: RewardDraft) -> Result<Reward> {
    let name_zh = draft.name_zh.trim();
    if name_zh.is_empty() {
        return Err(Error::required("name_zh"));
    }
    let name_en = match draft.name_en.trim() {
        "" => name_zh,
        en => en,
    };
    if name_zh.chars().count() > 60 {
        return Err(Error::too_long("name_zh", 60));
    }
    if name_en.chars().count() > 120 {
        return Err(Error::too_long("name_en", 120));
    }
    if !(1..=MAX_COST).contains(&draft.cost) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("a reward costs 1 to {MAX_COST} points"),
        )
        .with_field("cost")
        .with_param("value", draft.cost));
    }
    if let Some(stock) = draft.stock {
        if !(0..=MAX_COST).contains(&stock) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("stock is 0 to {MAX_COST}, or empty for unlimited"),
            )
            .with_field("stock")
            .with_param("value", stock));
        }
    }
    let record = RewardRecord {
        name_zh,
        name_en,
        cost: draft.cost,
        stock: draft.stock,
        active: draft.active,
    };
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let id = match draft.id {
            None => table::insert_reward(w, &record, &now)?,
            Some(id) => {
                if !table::update_reward(w, id, &record, &now)? {
                    return Err(Error::not_found("reward", id));
                }
                id
            }
        };
        table::reward(&w.read(), id)?.ok_or_else(|| Error::not_found("reward", id))
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Redeem {
    pub member_id: i64,
    pub reward_id: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Redeemed {
    /// Pass to [`undo_redeem`] to take it back.
    pub redemption_id: i64,
    /// The member's balance afterwards.
    pub balance: i64,
    /// The reward's stock afterwards (`None`: unlimited).
    pub stock: Option<i64>,
}

/// Spends a member's points on a reward. Refused, writing nothing, when the reward costs more
/// than the balance (`InsufficientPoints`), none is left (`OutOfStock`) or it is switched off.
/// Spending does not lower the member's leaderboard rank.
pub fn redeem(ctx: &Ctx, input: Redeem) -> Result<Redeemed> {
    let note = input.note.trim().to_owned();
    if note.chars().count() > MAX_REASON {
        return Err(Error::too_long("notes", MAX_REASON));
    }
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let member = members::get(&w.read(), input.member_id)?
            .ok_or_else(|| Error::not_found("member", input.member_id))?;
        let reward = table::reward(&w.read(), input.reward_id)?
            .ok_or_else(|| Error::not_found("reward", input.reward_id))?;
        if !reward.active {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("the reward {} is no longer offered", reward.name_en),
            )
            .with_field("reward_id")
            .with_param("value", reward.id));
        }
        if reward.stock == Some(0) {
            return Err(Error::new(
                ErrorCode::OutOfStock,
                format!("{} is out of stock", reward.name_en),
            )
            .with_param("reward_name", &reward.name_zh));
        }
        let balance = activities::balance(&w.read(), member.id)?;
        if reward.cost > balance {
            return Err(Error::new(
                ErrorCode::InsufficientPoints,
                format!(
                    "{} has {balance} points; {} costs {}",
                    member.display_name, reward.name_en, reward.cost
                ),
            )
            .with_param("balance", balance)
            .with_param("cost", reward.cost)
            .with_param("member_name", &member.display_name)
            .with_param("reward_name", &reward.name_zh));
        }
        let ledger_note = if note.is_empty() {
            reward.name_zh.clone()
        } else {
            format!("{}：{note}", reward.name_zh)
        };
        let ledger_id = activities::insert_points(
            w,
            member.id,
            -reward.cost,
            REDEEM,
            None,
            &ledger_note,
            &now,
        )?;
        let redemption_id =
            table::insert_redemption(w, reward.id, reward.cost, ledger_id, &note, &now)?;
        table::change_stock(w, reward.id, -1, &now)?;
        Ok(Redeemed {
            redemption_id,
            balance: balance - reward.cost,
            stock: reward.stock.map(|s| s - 1),
        })
    })
}

/// Gives a redemption's points back with a new ledger row and puts the reward back in stock.
/// Undoing twice changes nothing.
pub fn undo_redeem(ctx: &Ctx, redemption_id: i64) -> Result<Redeemed> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let x = table::redemption(&w.read(), redemption_id)?
            .ok_or_else(|| Error::not_found("redemption", redemption_id))?;
        if x.undone_at.is_none() {
            let note = format!("{} #{}", x.reward_name_zh, x.id);
            let undo_id =
                activities::insert_points(w, x.member_id, x.cost, REDEEM_UNDO, None, &note, &now)?;
            table::mark_redemption_undone(w, x.id, undo_id, &now)?;
            table::change_stock(w, x.reward_id, 1, &now)?;
        }
        Ok(Redeemed {
            redemption_id: x.id,
            balance: activities::balance(&w.read(), x.member_id)?,
            stock: table::reward(&w.read(), x.reward_id)?.and_then(|r| r.stock),
        })
    })
}

/// Redemptions newest first: one member's, or everyone's.
pub fn redemptions(ctx: &Ctx, member_id: Option<i64>) -> Result<Vec<Redemption>> {
    ctx.store.read(|r| table::redemptions(r, member_id, 1000))
}
