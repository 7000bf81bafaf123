//! The credit score's commands (信用分): settings, rules, tiers and channels with their 群规;
//! deductions with evidence (and their Undo), a member's credit, appeals, and who needs action.

use hearth_core::ops::credit::{
    self, Appeal, Channel, CreditConfig, CreditRule, DecideAppeal, Decided, Deduct, Deducted,
    FileAppeal, MemberCredit, NeedingAction, PendingAppeal, SaveChannel, SaveRule, Score, Tier,
};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

/// Start score, rules, tiers and channels in one call (the settings page).
#[tauri::command]
#[specta::specta]
pub async fn credit_config(state: State<'_, AppState>) -> Result<CreditConfig, Error> {
    run_blocking(state, credit::config).await
}

/// Sets the score every member starts from; returns it.
#[tauri::command]
#[specta::specta]
pub async fn credit_set_start_score(
    app: AppHandle,
    state: State<'_, AppState>,
    start_score: i64,
) -> Result<i64, Error> {
    let out = run_blocking(state, move |ctx| credit::set_start_score(ctx, start_score)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

/// Adds (`key: null`) or changes a deduction rule.
#[tauri::command]
#[specta::specta]
pub async fn credit_rule_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveRule,
) -> Result<CreditRule, Error> {
    let out = run_blocking(state, move |ctx| credit::save_rule(ctx, input)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

/// Replaces the tiers; returns them worst first.
#[tauri::command]
#[specta::specta]
pub async fn credit_tiers_save(
    app: AppHandle,
    state: State<'_, AppState>,
    tiers: Vec<Tier>,
) -> Result<Vec<Tier>, Error> {
    let out = run_blocking(state, move |ctx| credit::save_tiers(ctx, tiers)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

/// Adds (`id: null`) or changes a channel and its 群规 text.
#[tauri::command]
#[specta::specta]
pub async fn channel_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveChannel,
) -> Result<Channel, Error> {
    let out = run_blocking(state, move |ctx| credit::save_channel(ctx, input)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn credit_deduct(
    app: AppHandle,
    state: State<'_, AppState>,
    input: Deduct,
) -> Result<Deducted, Error> {
    let out = run_blocking(state, move |ctx| credit::deduct(ctx, input)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

/// The toast's Undo of a deduction: voids it; returns the member's score.
#[tauri::command]
#[specta::specta]
pub async fn credit_undo_deduct(
    app: AppHandle,
    state: State<'_, AppState>,
    entry_id: i64,
) -> Result<Score, Error> {
    let out = run_blocking(state, move |ctx| credit::undo_deduct(ctx, entry_id)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn member_credit(state: State<'_, AppState>, id: i64) -> Result<MemberCredit, Error> {
    run_blocking(state, move |ctx| credit::of_member(ctx, id)).await
}

/// Scores of a page of members, in the order asked.
#[tauri::command]
#[specta::specta]
pub async fn credit_scores(state: State<'_, AppState>, ids: Vec<i64>) -> Result<Vec<Score>, Error> {
    run_blocking(state, move |ctx| credit::scores(ctx, &ids)).await
}

#[tauri::command]
#[specta::specta]
pub async fn credit_appeal_file(
    app: AppHandle,
    state: State<'_, AppState>,
    input: FileAppeal,
) -> Result<Appeal, Error> {
    let out = run_blocking(state, move |ctx| credit::file_appeal(ctx, input)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn credit_appeal_decide(
    app: AppHandle,
    state: State<'_, AppState>,
    input: DecideAppeal,
) -> Result<Decided, Error> {
    let out = run_blocking(state, move |ctx| credit::decide_appeal(ctx, input)).await?;
    changed(&app, Entity::Credit);
    Ok(out)
}

/// Appeals waiting for a decision, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn credit_appeals_pending(
    state: State<'_, AppState>,
) -> Result<Vec<PendingAppeal>, Error> {
    run_blocking(state, credit::pending_appeals).await
}

/// Members per tier and who fell into a worse tier this week (the Today list).
#[tauri::command]
#[specta::specta]
pub async fn credit_needing_action(state: State<'_, AppState>) -> Result<NeedingAction, Error> {
    run_blocking(state, credit::needing_action).await
}
