use hearth_core::demo::{self, DemoOutcome, LoadDemo};
use hearth_core::domain::{Member, MemberDraft, MemberPage};
use hearth_core::ops::members::{
    self, BulkTag, BulkTagOutcome, DeleteMembers, DeleteOutcome, DuplicateReport, EraseMembers,
    EraseOutcome, FindDuplicates, ListMembers, MergeMembers, MergeOutcome, MergeUndone, UndoMerge,
    UpdateMember,
};
use hearth_core::ops::tags::{self, RenameTag, TagChange, TagCount};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn members_list(
    state: State<'_, AppState>,
    input: ListMembers,
) -> Result<MemberPage, Error> {
    run_blocking(state, move |ctx| members::list(ctx, input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn member_get(state: State<'_, AppState>, id: i64) -> Result<Member, Error> {
    run_blocking(state, move |ctx| members::get(ctx, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn member_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: MemberDraft,
) -> Result<Member, Error> {
    let member = run_blocking(state, move |ctx| members::create(ctx, draft)).await?;
    changed(&app, Entity::Members);
    Ok(member)
}

#[tauri::command]
#[specta::specta]
pub async fn member_update(
    app: AppHandle,
    state: State<'_, AppState>,
    input: UpdateMember,
) -> Result<Member, Error> {
    let member = run_blocking(state, move |ctx| members::update(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(member)
}

#[tauri::command]
#[specta::specta]
pub async fn members_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    input: DeleteMembers,
) -> Result<DeleteOutcome, Error> {
    let out = run_blocking(state, move |ctx| members::delete(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    input: DeleteMembers,
) -> Result<DeleteOutcome, Error> {
    let out = run_blocking(state, move |ctx| members::restore(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn demo_load(
    app: AppHandle,
    state: State<'_, AppState>,
    input: LoadDemo,
) -> Result<DemoOutcome, Error> {
    let out = run_blocking(state, move |ctx| demo::load(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_tag(
    app: AppHandle,
    state: State<'_, AppState>,
    input: BulkTag,
) -> Result<BulkTagOutcome, Error> {
    let out = run_blocking(state, move |ctx| members::bulk_tag(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_duplicates(
    state: State<'_, AppState>,
    input: FindDuplicates,
) -> Result<DuplicateReport, Error> {
    run_blocking(state, move |ctx| members::find_duplicates(ctx, input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn members_merge(
    app: AppHandle,
    state: State<'_, AppState>,
    input: MergeMembers,
) -> Result<MergeOutcome, Error> {
    let out = run_blocking(state, move |ctx| members::merge(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_undo_merge(
    app: AppHandle,
    state: State<'_, AppState>,
    input: UndoMerge,
) -> Result<MergeUndone, Error> {
    let out = run_blocking(state, move |ctx| members::undo_merge(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn members_erase(
    app: AppHandle,
    state: State<'_, AppState>,
    input: EraseMembers,
) -> Result<EraseOutcome, Error> {
    let out = run_blocking(state, move |ctx| members::erase(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

/// How many members are in the trash (what emptying it would erase).
#[tauri::command]
#[specta::specta]
pub async fn members_trash_count(state: State<'_, AppState>) -> Result<u32, Error> {
    run_blocking(state, members::trash_count).await
}

/// Erases every member in the trash for good, after a verified snapshot (the UI confirms first).
#[tauri::command]
#[specta::specta]
pub async fn members_empty_trash(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<members::TrashEmptied, Error> {
    let out = run_blocking(state, members::empty_trash).await?;
    changed(&app, Entity::Members);
    changed(&app, Entity::Snapshots);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn tags_list(state: State<'_, AppState>) -> Result<Vec<TagCount>, Error> {
    run_blocking(state, tags::list).await
}

#[tauri::command]
#[specta::specta]
pub async fn tag_rename(
    app: AppHandle,
    state: State<'_, AppState>,
    input: RenameTag,
) -> Result<TagChange, Error> {
    let out = run_blocking(state, move |ctx| tags::rename(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn tag_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<TagChange, Error> {
    let out = run_blocking(state, move |ctx| tags::delete(ctx, name)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn member_timeline(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<members::TimelineEntry>, Error> {
    run_blocking(state, move |ctx| members::timeline(ctx, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn tag_style(
    app: AppHandle,
    state: State<'_, AppState>,
    input: tags::StyleTag,
) -> Result<TagCount, Error> {
    let out = run_blocking(state, move |ctx| tags::style(ctx, input)).await?;
    changed(&app, Entity::Members);
    Ok(out)
}
