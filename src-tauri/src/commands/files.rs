//! Importing and exporting member lists. The native open/save dialogs run here, in Rust, so the
//! webview never gets a file-system permission; it only ever sees the path the manager chose.
//!
//! Paths only ever come from those dialogs (or the app's own folders): the open dialog's answer is
//! remembered in [`AppState`] and an import refuses any other path the webview sends; a save
//! path is the chosen folder (canonical) joined with a sanitised file name
//! ([`hearth_core::paths::safe_file_name`]).
//!
//! For the e2e suite (WebDriver cannot click a native dialog), `HEARTH_TEST_OPEN_FILE` is returned
//! instead of showing the open dialog and `HEARTH_TEST_SAVE_DIR` receives exports under their
//! suggested names.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use hearth_core::domain::{ImportBatch, RowFlag};
use hearth_core::ops::export::{self as export_op, ExportMembers, ExportOutcome};
use hearth_core::ops::import::{
    self, ImportOptions, ImportOutcome, ImportPreview, ImportUndone, SavePreset, SavedPreset,
};
use hearth_core::{paths, Error};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;

use super::{changed, run_blocking, Entity};
use crate::AppState;

/// Progress of a long import or export, for the progress bar.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct TaskProgress {
    /// `import` or `export`.
    pub task: String,
    pub done: u32,
    /// 0 when not known in advance.
    pub total: u32,
}

/// A progress callback that tells the UI how many rows of `task` are done.
pub fn rows_done(app: AppHandle, task: &'static str) -> impl Fn(u32) {
    move |done| {
        let _ = TaskProgress {
            task: task.into(),
            done,
            total: 0,
        }
        .emit(&app);
    }
}

/// Asks where to save a file (`None` when the manager cancels). In e2e runs the file goes to
/// `HEARTH_TEST_SAVE_DIR` under its suggested name. The name the UI suggests is sanitised (no
/// folders, no `..`, nothing a file system refuses) and the chosen folder made canonical.
pub async fn pick_save_path(app: &AppHandle, suggested_name: String) -> Option<PathBuf> {
    let name = paths::safe_file_name(&suggested_name);
    let chosen = if let Ok(dir) = std::env::var("HEARTH_TEST_SAVE_DIR") {
        let _ = std::fs::create_dir_all(&dir);
        PathBuf::from(dir).join(&name)
    } else {
        let dialog_app = app.clone();
        tauri::async_runtime::spawn_blocking(move || {
            dialog_app
                .dialog()
                .file()
                .set_file_name(&name)
                .blocking_save_file()
        })
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())?
    };
    Some(canonical_save_path(&chosen))
}

/// The save path with its folder canonical (the file itself may not exist yet) and its name
/// sanitised once more (the dialog lets the manager type one).
fn canonical_save_path(chosen: &std::path::Path) -> PathBuf {
    let name = paths::safe_file_name(
        &chosen
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let folder = chosen.parent().unwrap_or(std::path::Path::new("."));
    std::fs::canonicalize(folder)
        .unwrap_or_else(|_| folder.to_path_buf())
        .join(name)
}

/// Asks for a file to read (`HEARTH_TEST_OPEN_FILE` in e2e runs); `None` when cancelled. The
/// answer is remembered (canonical) as a file the commands may read.
pub async fn pick_open_path(
    app: &AppHandle,
    filter: &'static str,
    extensions: &'static [&'static str],
) -> Option<String> {
    let chosen = if let Ok(path) = std::env::var("HEARTH_TEST_OPEN_FILE") {
        PathBuf::from(path)
    } else {
        let dialog_app = app.clone();
        tauri::async_runtime::spawn_blocking(move || {
            dialog_app
                .dialog()
                .file()
                .add_filter(filter, extensions)
                .blocking_pick_file()
        })
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())?
    };
    app.state::<AppState>()
        .remember_pick(&chosen)
        .map(|p| p.display().to_string())
}

/// Asks the manager for a member list to import; `None` when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn import_pick_file(app: AppHandle) -> Result<Option<String>, Error> {
    Ok(pick_open_path(
        &app,
        "CSV / Excel / vCard",
        &["csv", "tsv", "txt", "xlsx", "xls", "ods", "vcf"],
    )
    .await)
}

#[tauri::command]
#[specta::specta]
pub async fn import_preview(
    app: AppHandle,
    state: State<'_, AppState>,
    mut options: ImportOptions,
) -> Result<ImportPreview, Error> {
    options.path = state.picked_file(&options.path)?;
    let cancel = state.cancel_flag();
    cancel.store(false, Ordering::Relaxed);
    run_blocking(state, move |ctx| {
        let progress = |done| {
            let _ = TaskProgress {
                task: "preview".into(),
                done,
                total: 0,
            }
            .emit(&app);
        };
        import::preview_with_progress(ctx, &options, &progress, &cancel)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn import_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    mut options: ImportOptions,
) -> Result<ImportOutcome, Error> {
    options.path = state.picked_file(&options.path)?;
    let cancel = state.cancel_flag();
    cancel.store(false, Ordering::Relaxed);
    let progress = rows_done(app.clone(), "import");
    let outcome = run_blocking(state, move |ctx| {
        import::apply(ctx, &options, &progress, &cancel)
    })
    .await?;
    changed(&app, Entity::Members);
    Ok(outcome)
}

/// Stops the running import or export; it writes nothing.
#[tauri::command]
#[specta::specta]
pub async fn task_cancel(state: State<'_, AppState>) -> Result<(), Error> {
    state.cancel_flag().store(true, Ordering::Relaxed);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn import_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    batch_id: i64,
) -> Result<ImportUndone, Error> {
    let out = run_blocking(state, move |ctx| import::undo(ctx, batch_id)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn import_history(state: State<'_, AppState>) -> Result<Vec<ImportBatch>, Error> {
    run_blocking(state, import::history).await
}

/// Every value an applied import left out of its members, and its possible duplicates, by line
/// (the history's "N flagged").
#[tauri::command]
#[specta::specta]
pub async fn import_flags(
    state: State<'_, AppState>,
    batch_id: i64,
) -> Result<Vec<RowFlag>, Error> {
    run_blocking(state, move |ctx| import::flags(ctx, batch_id)).await
}

/// Asks where to save, then exports; `None` when the manager cancels the dialog.
#[tauri::command]
#[specta::specta]
pub async fn members_export(
    app: AppHandle,
    state: State<'_, AppState>,
    mut input: ExportMembers,
    suggested_name: String,
) -> Result<Option<ExportOutcome>, Error> {
    let path = pick_save_path(&app, suggested_name).await;
    let Some(path) = path else {
        return Ok(None);
    };
    input.path = path.display().to_string();
    let cancel = state.cancel_flag();
    cancel.store(false, Ordering::Relaxed);
    let out = run_blocking(state, move |ctx| {
        let progress = |done, total| {
            let _ = TaskProgress {
                task: "export".into(),
                done,
                total,
            }
            .emit(&app);
        };
        export_op::export_members(ctx, &input, &progress, &cancel)
    })
    .await?;
    Ok(Some(out))
}

#[tauri::command]
#[specta::specta]
pub async fn import_presets(state: State<'_, AppState>) -> Result<Vec<SavedPreset>, Error> {
    run_blocking(state, import::saved_presets).await
}

#[tauri::command]
#[specta::specta]
pub async fn import_preset_save(
    state: State<'_, AppState>,
    input: SavePreset,
) -> Result<Vec<SavedPreset>, Error> {
    run_blocking(state, move |ctx| import::save_preset(ctx, input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn import_preset_delete(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<SavedPreset>, Error> {
    run_blocking(state, move |ctx| import::delete_preset(ctx, &name)).await
}
