//! Lifecycle commands: the rules (and saving them, which recomputes every stage), a full
//! recompute, a member's lifecycle with its history, overrides and the opinion-leader flag by
//! hand, members per stage, and the slipping list.

use hearth_core::ops::lifecycle::{
    self, MemberLifecycle, RecomputeReport, Rules, SetOpinionLeader, SetOverride, Slipping,
    SlippingMember, StageChange, StageCounts,
};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn lifecycle_rules(state: State<'_, AppState>) -> Result<Rules, Error> {
    run_blocking(state, lifecycle::rules).await
}

/// Saves the rules and recomputes every stage with them (one transaction).
#[tauri::command]
#[specta::specta]
pub async fn lifecycle_set_rules(
    app: AppHandle,
    state: State<'_, AppState>,
    rules: Rules,
) -> Result<RecomputeReport, Error> {
    let out = run_blocking(state, move |ctx| lifecycle::set_rules(ctx, rules)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn lifecycle_recompute(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<RecomputeReport, Error> {
    let out = run_blocking(state, lifecycle::recompute).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// A member's stage, what the rules give today, override, opinion leader and history.
#[tauri::command]
#[specta::specta]
pub async fn member_lifecycle(
    state: State<'_, AppState>,
    id: i64,
) -> Result<MemberLifecycle, Error> {
    run_blocking(state, move |ctx| lifecycle::show(ctx, id)).await
}

/// Sets (with a reason) or clears (`stage: null`) the manager's stage for a member.
#[tauri::command]
#[specta::specta]
pub async fn stage_override(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SetOverride,
) -> Result<MemberLifecycle, Error> {
    let out = run_blocking(state, move |ctx| lifecycle::set_override(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// Sets (with a reason) or clears (`opinion_leader: null`) the opinion-leader flag by hand.
#[tauri::command]
#[specta::specta]
pub async fn opinion_leader_set(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SetOpinionLeader,
) -> Result<MemberLifecycle, Error> {
    let out = run_blocking(state, move |ctx| lifecycle::set_opinion_leader(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn stage_history(state: State<'_, AppState>, id: i64) -> Result<Vec<StageChange>, Error> {
    run_blocking(state, move |ctx| lifecycle::history(ctx, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn stage_counts(state: State<'_, AppState>) -> Result<StageCounts, Error> {
    run_blocking(state, lifecycle::counts).await
}

/// Active, loyal and core members quiet for more than `input.days` days, most valuable first.
#[tauri::command]
#[specta::specta]
pub async fn stage_slipping(
    state: State<'_, AppState>,
    input: Slipping,
) -> Result<Vec<SlippingMember>, Error> {
    run_blocking(state, move |ctx| lifecycle::slipping(ctx, input)).await
}
