//! Thin async adapters: unpack, run the hearth-core operation on a blocking thread, map the error,
//! and tell the UI what changed. No rules live here.

pub mod app;
pub mod campaigns;
pub mod content;
pub mod credit;
pub mod dashboards;
pub mod engagement;
pub mod events;
pub mod files;
pub mod lifecycle;
pub mod members;
pub mod rewards;
pub mod segments;
pub mod settings;
pub mod snapshots;
pub mod today;

use std::sync::Arc;

use hearth_core::{Ctx, Error, ErrorCode};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::AppState;

/// What a write changed; boards listen for the ones they show. An enum exported to TypeScript,
/// so the UI can only wait for names that are actually sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// Member records, contacts, tags, imports, merges, the trash.
    Members,
    /// Saved segments, roles and custom fields.
    Segments,
    /// App settings (language, theme, rules).
    Settings,
    /// Activities, points, levels, badges, rewards, invites and lifecycle stages.
    Engagement,
    /// Credit deductions, appeals and tiers.
    Credit,
    /// Follow-ups on the Today list.
    Today,
    /// Events, registrations, check-ins and feedback.
    Events,
    /// Snapshots of the database and where they go.
    Snapshots,
    /// The content calendar: channels, items, slots, templates.
    Content,
    /// The community plan, campaigns, tasks, partners and budgets.
    Campaigns,
}

/// Emitted after every write so boards refresh instead of polling.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct DataChanged {
    pub entity: Entity,
}

/// Tells every board that `entity` changed.
pub fn changed(app: &tauri::AppHandle, entity: Entity) {
    use tauri_specta::Event;
    let _ = DataChanged { entity }.emit(app);
}

/// Runs a core operation off the main thread.
pub async fn run_blocking<T, F>(state: State<'_, AppState>, op: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: FnOnce(&Ctx) -> Result<T, Error> + Send + 'static,
{
    let ctx: Arc<Ctx> = state.ctx()?;
    tauri::async_runtime::spawn_blocking(move || op(&ctx))
        .await
        .map_err(|e| Error::new(ErrorCode::Io, format!("the operation stopped: {e}")))?
}
