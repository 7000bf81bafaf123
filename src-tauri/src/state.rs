//! What the shell holds between commands: the opened core context, or why it could not open.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use hearth_core::print::CjkFont;
use hearth_core::{paths, Ctx, Error, SystemClock};

pub struct AppState {
    pub data_dir: PathBuf,
    opened: Result<Arc<Ctx>, Error>,
    /// Set to stop the running import or export.
    cancel: Arc<AtomicBool>,
    /// The CJK font for printing, found (and read) on first use; a failed search is retried
    /// next time (the manager may install the font meanwhile).
    font: std::sync::Mutex<Option<Arc<CjkFont>>>,
}

impl AppState {
    /// Opens the database in `HEARTH_DATA_DIR` or the OS app-data folder. A failure is kept, so
    /// the window can explain it instead of the app crashing or starting on an empty database.
    pub fn open() -> Self {
        let data_dir = paths::default_data_dir();
        let opened = Ctx::open_in_dir(&data_dir, Arc::new(SystemClock)).map(Arc::new);
        // Campaign tags whose last day has passed fall off when the app starts.
        if let Ok(ctx) = &opened {
            if let Err(e) = hearth_core::ops::members::expire_tags(ctx) {
                eprintln!("hearth: expiring tags: {}", e.message);
            }
        }
        if let Err(e) = &opened {
            eprintln!("hearth: {}", e.message);
        }
        AppState {
            data_dir,
            opened,
            cancel: Arc::default(),
            font: std::sync::Mutex::default(),
        }
    }

    pub fn ctx(&self) -> Result<Arc<Ctx>, Error> {
        self.opened.clone()
    }

    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// Noto Sans CJK (or `HEARTH_CJK_FONT`), read once.
    pub fn font(&self) -> Result<Arc<CjkFont>, Error> {
        let mut cached = self.font.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(font) = cached.as_ref() {
            return Ok(font.clone());
        }
        let explicit = std::env::var_os("HEARTH_CJK_FONT").map(PathBuf::from);
        let font = Arc::new(CjkFont::locate(explicit.as_deref())?);
        *cached = Some(font.clone());
        Ok(font)
    }

    pub fn startup_error(&self) -> Option<Error> {
        self.opened.as_ref().err().cloned()
    }
}
