//! The content calendar: channels, items, dragging, marking posted, recurring slots, SOP
//! templates, the plan as .ics / .csv, and the knowledge library.

use hearth_core::domain::{
    ChannelDraft, ChannelGap, ChannelHistory, ContentCalendar, ContentChannel, ContentDraft,
    ContentItem, ContentSlot, LibraryDraft, LibraryEntry, SlotDraft, SopTemplate, WeekCount,
};
use hearth_core::ops::content::export::{self, ExportContent};
use hearth_core::ops::content::library::{self, KeepItem, Kept, LibraryQuery, PlanAgain};
use hearth_core::ops::content::slots::{self, PlanAhead, SlotCreated};
use hearth_core::ops::content::sops::{self, ApplySop, NewSop, SopPost};
use hearth_core::ops::content::{
    self, CalendarQuery, ContentQuery, MarkPosted, MoveItem, RestoreItem,
};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::files::pick_save_path;
use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn content_calendar(
    state: State<'_, AppState>,
    query: CalendarQuery,
) -> Result<ContentCalendar, Error> {
    run_blocking(state, move |ctx| content::calendar(ctx, &query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn content_gaps(state: State<'_, AppState>, days: u32) -> Result<Vec<ChannelGap>, Error> {
    run_blocking(state, move |ctx| content::gaps_ahead(ctx, days)).await
}

/// Planned and published counts per channel and ISO week, local days `from`–`to`.
#[tauri::command]
#[specta::specta]
pub async fn content_week_counts(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Vec<WeekCount>, Error> {
    run_blocking(state, move |ctx| {
        content::published_vs_planned(ctx, &from, &to)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn content_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: ContentDraft,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::create(ctx, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    draft: ContentDraft,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::update(ctx, id, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::delete(ctx, id)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_move(
    app: AppHandle,
    state: State<'_, AppState>,
    input: MoveItem,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::move_item(ctx, input)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_mark_posted(
    app: AppHandle,
    state: State<'_, AppState>,
    input: MarkPosted,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::mark_posted(ctx, input)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

/// The Undo of marking posted.
#[tauri::command]
#[specta::specta]
pub async fn content_unmark_posted(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::unmark_posted(ctx, id)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn channels_list(state: State<'_, AppState>) -> Result<Vec<ContentChannel>, Error> {
    run_blocking(state, content::channels).await
}

#[tauri::command]
#[specta::specta]
pub async fn channel_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: ChannelDraft,
) -> Result<ContentChannel, Error> {
    let out = run_blocking(state, move |ctx| content::create_channel(ctx, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn channel_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    draft: ChannelDraft,
) -> Result<ContentChannel, Error> {
    let out = run_blocking(state, move |ctx| content::update_channel(ctx, id, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn channel_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<(), Error> {
    run_blocking(state, move |ctx| content::delete_channel(ctx, id)).await?;
    changed(&app, Entity::Content);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn content_slots(state: State<'_, AppState>) -> Result<Vec<ContentSlot>, Error> {
    run_blocking(state, slots::list).await
}

#[tauri::command]
#[specta::specta]
pub async fn content_slot_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: SlotDraft,
) -> Result<SlotCreated, Error> {
    let out = run_blocking(state, move |ctx| slots::create(ctx, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_slot_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<(), Error> {
    run_blocking(state, move |ctx| slots::delete(ctx, id)).await?;
    changed(&app, Entity::Content);
    Ok(())
}

/// Plans every slot ahead (idempotent; the board runs it when it opens). Tells the boards only
/// when something new was planned.
#[tauri::command]
#[specta::specta]
pub async fn content_plan_ahead(
    app: AppHandle,
    state: State<'_, AppState>,
    input: PlanAhead,
) -> Result<u32, Error> {
    let n = run_blocking(state, move |ctx| slots::plan_ahead(ctx, input)).await?;
    if n > 0 {
        changed(&app, Entity::Content);
    }
    Ok(n)
}

#[tauri::command]
#[specta::specta]
pub async fn content_sops(state: State<'_, AppState>) -> Result<Vec<SopTemplate>, Error> {
    run_blocking(state, sops::list).await
}

#[tauri::command]
#[specta::specta]
pub async fn content_sop_create(
    app: AppHandle,
    state: State<'_, AppState>,
    input: NewSop,
) -> Result<SopTemplate, Error> {
    let out = run_blocking(state, move |ctx| sops::create(ctx, input)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_sop_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    input: ApplySop,
) -> Result<Vec<ContentItem>, Error> {
    let out = run_blocking(state, move |ctx| sops::apply(ctx, input)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_sop_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    input: NewSop,
) -> Result<SopTemplate, Error> {
    let out = run_blocking(state, move |ctx| sops::update(ctx, id, input)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn content_sop_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<(), Error> {
    run_blocking(state, move |ctx| sops::delete(ctx, id)).await?;
    changed(&app, Entity::Content);
    Ok(())
}

/// The dated posts applying a template would plan, before it does.
#[tauri::command]
#[specta::specta]
pub async fn content_sop_preview(
    state: State<'_, AppState>,
    input: ApplySop,
) -> Result<Vec<SopPost>, Error> {
    run_blocking(state, move |ctx| sops::preview(ctx, &input)).await
}

/// Asks where to save, then writes the plan (`.ics` or `.csv` by the chosen name); returns the
/// path and how many items, or `None` when the manager cancelled.
#[tauri::command]
#[specta::specta]
pub async fn content_export(
    app: AppHandle,
    state: State<'_, AppState>,
    query: ContentQuery,
    suggested_name: String,
) -> Result<Option<(String, u32)>, Error> {
    let Some(path) = pick_save_path(&app, suggested_name).await else {
        return Ok(None);
    };
    let path = path.display().to_string();
    let input = ExportContent {
        path: path.clone(),
        query,
    };
    let n = run_blocking(state, move |ctx| export::export(ctx, &input)).await?;
    Ok(Some((path, n)))
}

/// The Undo of a delete: the item back as it was.
#[tauri::command]
#[specta::specta]
pub async fn content_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    item: RestoreItem,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| content::restore(ctx, item)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

// ---- the knowledge library ----

#[tauri::command]
#[specta::specta]
pub async fn library_list(
    state: State<'_, AppState>,
    query: LibraryQuery,
) -> Result<Vec<LibraryEntry>, Error> {
    run_blocking(state, move |ctx| library::list(ctx, &query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn library_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: LibraryDraft,
) -> Result<LibraryEntry, Error> {
    let out = run_blocking(state, move |ctx| library::create(ctx, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn library_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    draft: LibraryDraft,
) -> Result<LibraryEntry, Error> {
    let out = run_blocking(state, move |ctx| library::update(ctx, id, draft)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn library_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<LibraryEntry, Error> {
    let out = run_blocking(state, move |ctx| library::delete(ctx, id)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

/// The Undo of a library delete.
#[tauri::command]
#[specta::specta]
pub async fn library_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    entry: LibraryEntry,
) -> Result<LibraryEntry, Error> {
    let out = run_blocking(state, move |ctx| library::restore(ctx, entry)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn library_keep(
    app: AppHandle,
    state: State<'_, AppState>,
    input: KeepItem,
) -> Result<Kept, Error> {
    let out = run_blocking(state, move |ctx| library::keep(ctx, input)).await?;
    if out.created {
        changed(&app, Entity::Content);
    }
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn library_plan_again(
    app: AppHandle,
    state: State<'_, AppState>,
    input: PlanAgain,
) -> Result<ContentItem, Error> {
    let out = run_blocking(state, move |ctx| library::plan_again(ctx, input)).await?;
    changed(&app, Entity::Content);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn library_channel_history(
    state: State<'_, AppState>,
    channel_id: i64,
) -> Result<ChannelHistory, Error> {
    run_blocking(state, move |ctx| {
        library::channel_history(ctx, channel_id, None)
    })
    .await
}
