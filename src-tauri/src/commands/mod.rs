//! Thin async adapters: unpack, run the hearth-core operation on a blocking thread, map the error,
//! and tell the UI what changed. No rules live here.

pub mod app;
pub mod credit;
pub mod engagement;
pub mod events;
pub mod files;
pub mod lifecycle;
pub mod members;
pub mod rewards;
pub mod segments;
pub mod settings;
pub mod today;

use std::sync::Arc;

use hearth_core::{Ctx, Error, ErrorCode};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::AppState;

/// Emitted after every write so boards refresh instead of polling.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct DataChanged {
    /// What changed: `"members"` or `"settings"`.
    pub entity: String,
}

/// Tells every board that `entity` (`members`, `segments`, `settings`) changed.
pub fn changed(app: &tauri::AppHandle, entity: &str) {
    use tauri_specta::Event;
    let _ = DataChanged {
        entity: entity.into(),
    }
    .emit(app);
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
