use hearth_core::domain::{Segment, SegmentChanges};
use hearth_core::ops::members::{self, Facets, RoleChange};
use hearth_core::ops::segments::{self, SaveSegment};
use hearth_core::Error;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use super::{run_blocking, DataChanged};
use crate::AppState;

fn changed(app: &AppHandle, entity: &str) {
    let _ = DataChanged {
        entity: entity.into(),
    }
    .emit(app);
}

#[tauri::command]
#[specta::specta]
pub async fn segments_list(state: State<'_, AppState>) -> Result<Vec<Segment>, Error> {
    run_blocking(state, segments::list).await
}

#[tauri::command]
#[specta::specta]
pub async fn segment_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveSegment,
) -> Result<Segment, Error> {
    let out = run_blocking(state, move |ctx| segments::save(ctx, input)).await?;
    changed(&app, "segments");
    Ok(out)
}

/// Returns what was deleted, so Undo can save it again.
#[tauri::command]
#[specta::specta]
pub async fn segment_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<SaveSegment, Error> {
    let out = run_blocking(state, move |ctx| segments::delete(ctx, id)).await?;
    changed(&app, "segments");
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn segment_changes(state: State<'_, AppState>, id: i64) -> Result<SegmentChanges, Error> {
    run_blocking(state, move |ctx| segments::changes(ctx, id)).await
}

/// Returns the roles the members had, for Undo.
#[tauri::command]
#[specta::specta]
pub async fn members_set_roles(
    app: AppHandle,
    state: State<'_, AppState>,
    changes: Vec<RoleChange>,
) -> Result<Vec<RoleChange>, Error> {
    let out = run_blocking(state, move |ctx| members::set_roles(ctx, changes)).await?;
    changed(&app, "members");
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_facets(state: State<'_, AppState>) -> Result<Facets, Error> {
    run_blocking(state, members::facets).await
}
