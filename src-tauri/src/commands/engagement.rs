//! The engagement engine's commands: activity kinds, quick log (and its undo), manual points,
//! a member's points / level / stage, and leaderboards.

use hearth_core::ops::engagement::{
    self, AdjustPoints, Engagement, Kind, LogActivities, Logged, Standing, Window,
};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn activity_kinds(state: State<'_, AppState>) -> Result<Vec<Kind>, Error> {
    run_blocking(state, engagement::kinds).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_log(
    app: AppHandle,
    state: State<'_, AppState>,
    input: LogActivities,
) -> Result<Logged, Error> {
    let out = run_blocking(state, move |ctx| engagement::log(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// Takes logged activities back; returns the points reversed.
#[tauri::command]
#[specta::specta]
pub async fn activity_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<i64, Error> {
    let out = run_blocking(state, move |ctx| engagement::undo(ctx, ids)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// A manual grant or deduction; returns the new balance.
#[tauri::command]
#[specta::specta]
pub async fn points_adjust(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AdjustPoints,
) -> Result<i64, Error> {
    let out = run_blocking(state, move |ctx| engagement::adjust(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn member_engagement(state: State<'_, AppState>, id: i64) -> Result<Engagement, Error> {
    run_blocking(state, move |ctx| engagement::of_member(ctx, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn leaderboard(
    state: State<'_, AppState>,
    window: Window,
    limit: u32,
) -> Result<Vec<Standing>, Error> {
    run_blocking(state, move |ctx| {
        engagement::leaderboard(ctx, window, limit)
    })
    .await
}

/// Adds a custom activity kind, or changes a kind's names, points and daily cap.
#[tauri::command]
#[specta::specta]
pub async fn activity_kind_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: engagement::SaveKind,
) -> Result<Kind, Error> {
    let out = run_blocking(state, move |ctx| engagement::save_kind(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}
