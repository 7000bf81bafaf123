//! The Events board and the door: events, registrations, check-in, 接龙, registration imports,
//! printing (PDF opened in the system viewer), attendee / calendar exports and feedback.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use hearth_core::domain::{
    Event, EventDraft, EventOutcome, Feedback, Registration, RegistrationCounts,
};
use hearth_core::ops::events::{
    self, door, export, feedback, import, jielong, print, registrations, EventRange,
};
use hearth_core::Error;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use super::files::{pick_open_path, pick_save_path, rows_done};
use super::{changed, run_blocking, Entity};
use crate::AppState;

const ENTITY: Entity = Entity::Events;

#[tauri::command]
#[specta::specta]
pub async fn events_list(
    state: State<'_, AppState>,
    range: EventRange,
) -> Result<Vec<Event>, Error> {
    run_blocking(state, move |ctx| events::list(ctx, &range)).await
}

#[tauri::command]
#[specta::specta]
pub async fn event_get(state: State<'_, AppState>, id: i64) -> Result<Event, Error> {
    run_blocking(state, move |ctx| events::get(ctx, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn event_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: EventDraft,
) -> Result<Event, Error> {
    let out = run_blocking(state, move |ctx| events::create(ctx, draft)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn event_update(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    draft: EventDraft,
) -> Result<Event, Error> {
    let out = run_blocking(state, move |ctx| events::update(ctx, id, draft)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn registrations_list(
    state: State<'_, AppState>,
    event_id: i64,
    search: Option<String>,
    order: registrations::RosterOrder,
) -> Result<Vec<Registration>, Error> {
    run_blocking(state, move |ctx| {
        registrations::list(ctx, event_id, search.as_deref(), order)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn registrations_add(
    app: AppHandle,
    state: State<'_, AppState>,
    input: registrations::Register,
) -> Result<registrations::RegisterOutcome, Error> {
    let out = run_blocking(state, move |ctx| registrations::register(ctx, input)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn registration_set_status(
    app: AppHandle,
    state: State<'_, AppState>,
    input: registrations::SetRegistrationStatus,
) -> Result<registrations::StatusChanged, Error> {
    let out = run_blocking(state, move |ctx| registrations::set_status(ctx, input)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

/// Undo of registering: removes those still registered or waiting.
#[tauri::command]
#[specta::specta]
pub async fn registrations_remove(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<u32, Error> {
    let out = run_blocking(state, move |ctx| registrations::unregister(ctx, ids)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn door_search(
    state: State<'_, AppState>,
    event_id: i64,
    query: String,
) -> Result<door::DoorSearch, Error> {
    run_blocking(state, move |ctx| door::search(ctx, event_id, &query)).await
}

/// Unregistered members matching the query (walk-in candidates).
#[tauri::command]
#[specta::specta]
pub async fn door_others(
    state: State<'_, AppState>,
    event_id: i64,
    query: String,
) -> Result<Vec<door::DoorMember>, Error> {
    run_blocking(state, move |ctx| door::others(ctx, event_id, &query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn door_check_in(
    app: AppHandle,
    state: State<'_, AppState>,
    input: door::CheckIn,
) -> Result<door::CheckedIn, Error> {
    let out = run_blocking(state, move |ctx| door::check_in(ctx, input)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn door_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    registration_id: i64,
) -> Result<RegistrationCounts, Error> {
    let out = run_blocking(state, move |ctx| door::undo_check_in(ctx, registration_id)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn door_walk_in_new(
    app: AppHandle,
    state: State<'_, AppState>,
    input: door::WalkInNew,
) -> Result<door::CheckedIn, Error> {
    let out = run_blocking(state, move |ctx| door::walk_in_new(ctx, input)).await?;
    changed(&app, ENTITY);
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn event_mark_no_shows(
    app: AppHandle,
    state: State<'_, AppState>,
    event_id: i64,
) -> Result<door::NoShowsMarked, Error> {
    let out = run_blocking(state, move |ctx| door::mark_no_shows(ctx, event_id)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn event_undo_no_shows(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<u32, Error> {
    let out = run_blocking(state, move |ctx| door::undo_no_shows(ctx, ids)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn jielong_preview(
    state: State<'_, AppState>,
    input: jielong::PasteJielong,
) -> Result<jielong::JielongPlan, Error> {
    run_blocking(state, move |ctx| jielong::preview(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn jielong_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    input: jielong::PasteJielong,
) -> Result<jielong::JielongPlan, Error> {
    let out = run_blocking(state, move |ctx| jielong::apply(ctx, &input)).await?;
    changed(&app, ENTITY);
    changed(&app, Entity::Members);
    Ok(out)
}

/// Undo of a pasted 接龙, in one transaction: its registrations, then the members it created.
#[tauri::command]
#[specta::specta]
pub async fn jielong_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    registration_ids: Vec<i64>,
    created_member_ids: Vec<i64>,
) -> Result<u32, Error> {
    let out = run_blocking(state, move |ctx| {
        jielong::undo(ctx, &registration_ids, &created_member_ids)
    })
    .await?;
    changed(&app, ENTITY);
    changed(&app, Entity::Members);
    Ok(out)
}

/// Undo of a registration import, in one transaction: its registrations, then the import.
#[tauri::command]
#[specta::specta]
pub async fn registrations_import_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    registration_ids: Vec<i64>,
    batch_id: i64,
) -> Result<u32, Error> {
    let out = run_blocking(state, move |ctx| {
        import::undo(ctx, &registration_ids, batch_id)
    })
    .await?;
    changed(&app, ENTITY);
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn registrations_import_preview(
    state: State<'_, AppState>,
    mut input: import::ImportRegistrations,
) -> Result<import::RegistrationImport, Error> {
    input.options.path = state.picked_file(&input.options.path)?;
    run_blocking(state, move |ctx| import::preview(ctx, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn registrations_import_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    mut input: import::ImportRegistrations,
) -> Result<import::RegistrationImport, Error> {
    input.options.path = state.picked_file(&input.options.path)?;
    let cancel = state.cancel_flag();
    cancel.store(false, Ordering::Relaxed);
    let progress = rows_done(app.clone(), "import");
    let out = run_blocking(state, move |ctx| {
        import::apply(ctx, &input, &progress, &cancel)
    })
    .await?;
    changed(&app, ENTITY);
    changed(&app, Entity::Members);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn event_print_preview(
    state: State<'_, AppState>,
    request: print::PrintRequest,
    page: u32,
) -> Result<print::PrintPreview, Error> {
    let font = state.font()?;
    run_blocking(state, move |ctx| print::preview(ctx, &request, &font, page)).await
}

/// Asks where to save the PDF, writes it and opens it in the system's PDF viewer for printing.
#[tauri::command]
#[specta::specta]
pub async fn event_print(
    app: AppHandle,
    state: State<'_, AppState>,
    request: print::PrintRequest,
) -> Result<Option<print::Printed>, Error> {
    let font = state.font()?;
    let event_id = request.event_id;
    let event = run_blocking(state.clone(), move |ctx| events::get(ctx, event_id)).await?;
    let name = print::suggested_file_name(&event, request.options.kind, request.options.lang);
    let Some(path) = pick_save_path(&app, name).await else {
        return Ok(None);
    };
    let out_path = path.clone();
    let out = run_blocking(state, move |ctx| {
        print::render(ctx, &request, &font, &out_path)
    })
    .await?;
    if std::env::var_os("HEARTH_TEST_SAVE_DIR").is_none() {
        if let Err(e) = app
            .opener()
            .open_path(path.display().to_string(), None::<&str>)
        {
            eprintln!("hearth: opening {}: {e}", path.display());
        }
    }
    Ok(Some(out))
}

#[tauri::command]
#[specta::specta]
pub async fn event_export_attendees(
    app: AppHandle,
    state: State<'_, AppState>,
    mut input: export::ExportAttendees,
    suggested_name: String,
) -> Result<Option<u32>, Error> {
    let Some(path) = pick_save_path(&app, suggested_name).await else {
        return Ok(None);
    };
    input.path = path.display().to_string();
    run_blocking(state, move |ctx| export::attendees(ctx, &input))
        .await
        .map(Some)
}

#[tauri::command]
#[specta::specta]
pub async fn event_export_ics(
    app: AppHandle,
    state: State<'_, AppState>,
    event_id: i64,
    suggested_name: String,
) -> Result<Option<String>, Error> {
    let Some(path) = pick_save_path(&app, suggested_name).await else {
        return Ok(None);
    };
    let out: PathBuf = path.clone();
    run_blocking(state, move |ctx| export::ics_file(ctx, event_id, &out)).await?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn event_outcome(
    state: State<'_, AppState>,
    event_id: i64,
) -> Result<EventOutcome, Error> {
    run_blocking(state, move |ctx| feedback::outcome(ctx, event_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn feedback_list(
    state: State<'_, AppState>,
    event_id: i64,
) -> Result<Vec<Feedback>, Error> {
    run_blocking(state, move |ctx| feedback::list(ctx, event_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn feedback_add(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: feedback::FeedbackDraft,
) -> Result<Feedback, Error> {
    let out = run_blocking(state, move |ctx| feedback::add(ctx, draft)).await?;
    changed(&app, ENTITY);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn feedback_remove(
    app: AppHandle,
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<(), Error> {
    run_blocking(state, move |ctx| feedback::remove(ctx, ids)).await?;
    changed(&app, ENTITY);
    Ok(())
}

/// Asks for a survey export and imports its answers; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn feedback_import(
    app: AppHandle,
    state: State<'_, AppState>,
    event_id: i64,
) -> Result<Option<feedback::FeedbackImport>, Error> {
    let Some(path) = pick_open_path(&app, "CSV / Excel", &["csv", "txt", "xlsx", "xls"]).await
    else {
        return Ok(None);
    };
    let out = run_blocking(state, move |ctx| {
        feedback::import(ctx, event_id, std::path::Path::new(&path))
    })
    .await?;
    changed(&app, ENTITY);
    Ok(Some(out))
}
