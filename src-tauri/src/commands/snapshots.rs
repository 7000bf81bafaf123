//! Snapshots (Settings → Snapshots) and the start-up choices when the database is damaged or
//! missing.

use hearth_core::domain::{Snapshot, SnapshotReason, SnapshotSettings};
use hearth_core::ops::opening::StartChoice;
use hearth_core::ops::snapshots::{self, Restored, SnapshotTaken};
use hearth_core::{Error, ErrorCode};
use tauri::{AppHandle, State};

use super::app::{app_status, AppStatus};
use super::{changed, run_blocking, Entity};
use crate::AppState;

/// Every board shows data a restore replaces.
const EVERYTHING: [Entity; 8] = [
    Entity::Members,
    Entity::Segments,
    Entity::Settings,
    Entity::Engagement,
    Entity::Credit,
    Entity::Today,
    Entity::Events,
    Entity::Snapshots,
];

#[tauri::command]
#[specta::specta]
pub async fn snapshots_list(state: State<'_, AppState>) -> Result<Vec<Snapshot>, Error> {
    state.snapshots()
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_create(app: AppHandle) -> Result<SnapshotTaken, Error> {
    let taken = blocking(app.clone(), |state| {
        state.snapshot(SnapshotReason::Manual, false)
    })
    .await?
    .ok_or_else(|| Error::new(ErrorCode::Io, "no snapshot was taken"))?;
    changed(&app, Entity::Snapshots);
    Ok(taken)
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_verify(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<Snapshot, Error> {
    let out = run_blocking(state, move |ctx| snapshots::verify(ctx, &id)).await?;
    changed(&app, Entity::Snapshots);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<Restored, Error> {
    let out = run_blocking(state.clone(), move |ctx| snapshots::restore(ctx, &id)).await?;
    // The restored copy passed its integrity check: damage found after opening is gone.
    state.forget_late_problem();
    for entity in EVERYTHING {
        changed(&app, entity);
    }
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn snapshot_settings(state: State<'_, AppState>) -> Result<SnapshotSettings, Error> {
    run_blocking(state, snapshots::settings).await
}

/// Asks for the folder that receives a copy of every snapshot (the native folder picker;
/// `HEARTH_TEST_SAVE_DIR` in e2e runs) and sets it; `clear` removes it instead. `None` when the
/// manager cancels the picker.
#[tauri::command]
#[specta::specta]
pub async fn snapshot_second_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    clear: bool,
) -> Result<Option<SnapshotSettings>, Error> {
    let folder = if clear {
        None
    } else {
        match pick_folder(&app).await {
            Some(folder) => Some(folder),
            None => return Ok(None),
        }
    };
    let out = run_blocking(state, move |ctx| snapshots::set_second_folder(ctx, folder)).await?;
    changed(&app, Entity::Snapshots);
    Ok(Some(out))
}

async fn pick_folder(app: &AppHandle) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    if let Ok(dir) = std::env::var("HEARTH_TEST_SAVE_DIR") {
        return Some(
            std::path::Path::new(&dir)
                .join("second-copies")
                .display()
                .to_string(),
        );
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || app.dialog().file().blocking_pick_folder())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
}

/// The start-up screen's answer when the database was damaged or missing: restore a snapshot
/// or start empty. Refused once the database is open.
#[tauri::command]
#[specta::specta]
pub async fn startup_choose(
    app: AppHandle,
    state: State<'_, AppState>,
    choice: StartChoice,
) -> Result<AppStatus, Error> {
    if state.startup_error().is_none() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "The database is already open",
        ));
    }
    blocking(app.clone(), move |state| state.reopen(&choice).map(|_| ())).await?;
    crate::check_in_background(app.clone());
    app_status(state).await
}

/// Runs `f` with the app state on a blocking thread.
async fn blocking<T, F>(app: AppHandle, f: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, Error> + Send + 'static,
{
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| Error::new(ErrorCode::Io, format!("the operation stopped: {e}")))?
}
