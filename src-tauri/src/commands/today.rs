//! The Today list, follow-ups, and activities imported from a file.

use std::sync::atomic::Ordering;

use hearth_core::ops::activity_import::{self, ActivityImport, ActivityImportUndone};
use hearth_core::ops::today::{self, AddFollowUp, Birthday, FollowUp, Today};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::files::rows_done;
use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn today_list(state: State<'_, AppState>) -> Result<Today, Error> {
    run_blocking(state, today::today).await
}

/// Birthdays from today through `days - 1` days ahead.
#[tauri::command]
#[specta::specta]
pub async fn birthdays(state: State<'_, AppState>, days: u32) -> Result<Vec<Birthday>, Error> {
    run_blocking(state, move |ctx| today::birthdays(ctx, days)).await
}

#[tauri::command]
#[specta::specta]
pub async fn followup_add(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AddFollowUp,
) -> Result<FollowUp, Error> {
    let out = run_blocking(state, move |ctx| today::add_followup(ctx, input)).await?;
    changed(&app, Entity::Today);
    Ok(out)
}

/// Ticks a follow-up off, or (`done: false`) opens it again.
#[tauri::command]
#[specta::specta]
pub async fn followup_done(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    done: bool,
) -> Result<FollowUp, Error> {
    let out = run_blocking(state, move |ctx| today::set_followup_done(ctx, id, done)).await?;
    changed(&app, Entity::Today);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn member_followups(
    state: State<'_, AppState>,
    member_id: i64,
) -> Result<Vec<FollowUp>, Error> {
    run_blocking(state, move |ctx| today::member_followups(ctx, member_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_import_preview(
    state: State<'_, AppState>,
    mut input: activity_import::ImportActivities,
) -> Result<ActivityImport, Error> {
    input.options.path = state.picked_file(&input.options.path)?;
    run_blocking(state, move |ctx| activity_import::preview(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_import_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    mut input: activity_import::ImportActivities,
) -> Result<ActivityImport, Error> {
    input.options.path = state.picked_file(&input.options.path)?;
    let cancel = state.cancel_flag();
    cancel.store(false, Ordering::Relaxed);
    let progress = rows_done(app.clone(), "import");
    let out = run_blocking(state, move |ctx| {
        activity_import::apply(ctx, &input, &progress, &cancel)
    })
    .await?;
    changed(&app, Entity::Engagement);
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn activity_import_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    batch_id: i64,
) -> Result<ActivityImportUndone, Error> {
    let out = run_blocking(state, move |ctx| activity_import::undo(ctx, batch_id)).await?;
    changed(&app, Entity::Engagement);
    changed(&app, Entity::Members);
    Ok(out)
}
