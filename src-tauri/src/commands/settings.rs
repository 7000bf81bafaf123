use hearth_core::domain::{Settings, SettingsPatch};
use hearth_core::ops::settings;
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn settings_get(state: State<'_, AppState>) -> Result<Settings, Error> {
    run_blocking(state, settings::get).await
}

#[tauri::command]
#[specta::specta]
pub async fn settings_update(
    app: AppHandle,
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<Settings, Error> {
    let out = run_blocking(state, move |ctx| settings::update(ctx, patch)).await?;
    changed(&app, Entity::Settings);
    Ok(out)
}
