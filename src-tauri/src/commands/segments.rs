//! Segments, bulk roles and filter facets, and custom field definitions: the commands behind
//! the Members board's filter bar and the settings board's field list.

use hearth_core::domain::{CustomField, CustomFieldDraft, Segment, SegmentChanges};
use hearth_core::ops::custom_fields::{self, DeletedField};
use hearth_core::ops::members::{self, Facets, RoleChange};
use hearth_core::ops::segments::{self, SaveSegment, SegmentAdded, SegmentMembers};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

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
    changed(&app, Entity::Segments);
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
    changed(&app, Entity::Segments);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn segment_changes(state: State<'_, AppState>, id: i64) -> Result<SegmentChanges, Error> {
    run_blocking(state, move |ctx| segments::changes(ctx, id)).await
}

/// Adds members to a segment by hand; returns the ones newly added, for Undo.
#[tauri::command]
#[specta::specta]
pub async fn segment_add_members(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SegmentMembers,
) -> Result<SegmentAdded, Error> {
    let out = run_blocking(state, move |ctx| segments::add_to_segment(ctx, input)).await?;
    changed(&app, Entity::Segments);
    Ok(out)
}

/// Takes members added by hand out of a segment (the Undo of adding); returns how many.
#[tauri::command]
#[specta::specta]
pub async fn segment_remove_members(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SegmentMembers,
) -> Result<u32, Error> {
    let out = run_blocking(state, move |ctx| segments::remove_from_segment(ctx, input)).await?;
    changed(&app, Entity::Segments);
    Ok(out)
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
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_facets(state: State<'_, AppState>) -> Result<Facets, Error> {
    run_blocking(state, members::facets).await
}

#[tauri::command]
#[specta::specta]
pub async fn custom_fields_list(state: State<'_, AppState>) -> Result<Vec<CustomField>, Error> {
    run_blocking(state, custom_fields::list).await
}

#[tauri::command]
#[specta::specta]
pub async fn custom_field_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: CustomFieldDraft,
) -> Result<CustomField, Error> {
    let out = run_blocking(state, move |ctx| custom_fields::create(ctx, draft)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

/// Returns the field and its values, for Undo.
#[tauri::command]
#[specta::specta]
pub async fn custom_field_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<DeletedField, Error> {
    let out = run_blocking(state, move |ctx| custom_fields::delete(ctx, id)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn custom_field_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    deleted: DeletedField,
) -> Result<CustomField, Error> {
    let out = run_blocking(state, move |ctx| custom_fields::restore(ctx, deleted)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}
