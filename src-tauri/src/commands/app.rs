use hearth_core::Error;
use serde::Serialize;
use tauri::State;

use crate::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    /// Why the database could not be opened; the UI shows it instead of the boards.
    pub startup_error: Option<Error>,
    /// The database opened read-only (its file or folder cannot be written): the window says so
    /// and every change answers `read_only_database`.
    pub read_only: bool,
    /// The database was too big to check fully before the window: `quick_check` is running in
    /// the background (a `DataChanged { snapshots }` follows when it ends).
    pub checking: bool,
    /// What that background check found: damage, with `params.snapshot` the newest verified
    /// snapshot; the window offers to restore it.
    pub late_problem: Option<Error>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, Error> {
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir.display().to_string(),
        startup_error: state.startup_error(),
        read_only: state.read_only(),
        checking: state.checking(),
        late_problem: state.late_problem(),
    })
}
