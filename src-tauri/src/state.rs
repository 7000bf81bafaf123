//! What the shell holds between commands: the opened core context, or why it could not open.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use hearth_core::domain::{Snapshot, SnapshotReason};
use hearth_core::ops::opening::{self, StartChoice};
use hearth_core::ops::snapshots::{self, SnapshotTaken};
use hearth_core::print::CjkFont;
use hearth_core::{paths, Ctx, Error, ErrorCode, SystemClock};

pub struct AppState {
    pub data_dir: PathBuf,
    /// The open database, or why it could not open (a damaged or missing database waits for the
    /// manager's choice on the start-up screen, which then opens it again).
    opened: RwLock<Result<Arc<Ctx>, Error>>,
    /// Set to stop the running import or export.
    cancel: Arc<AtomicBool>,
    /// The CJK font for printing, found (and read) on first use; a failed search is retried
    /// next time (the manager may install the font meanwhile).
    font: Mutex<Option<Arc<CjkFont>>>,
    /// One snapshot at a time (the timer, the button and quitting may meet).
    snapshotting: Mutex<()>,
    /// The store's commit count when the last snapshot was taken: the timer and quitting take
    /// one only when it moved.
    snapshot_commits: AtomicU64,
    /// Files the manager chose in the open dialog this session (canonical paths): the only files
    /// a command reads on the webview's word.
    picked: Mutex<HashSet<PathBuf>>,
    /// The database was too big to `quick_check` before the window: the check is still to run
    /// (or running) in the background.
    check_pending: AtomicBool,
    /// What that background check found (a `DatabaseCorrupt` naming the snapshot to restore).
    late_problem: Mutex<Option<Error>>,
}

impl AppState {
    /// Opens the database in `HEARTH_DATA_DIR` or the OS app-data folder. A failure is kept, so
    /// the window can explain it instead of the app crashing or starting on an empty database.
    pub fn open() -> Self {
        let data_dir = paths::default_data_dir();
        let state = AppState {
            opened: RwLock::new(Err(Error::new(
                hearth_core::ErrorCode::Io,
                "not opened yet",
            ))),
            data_dir,
            cancel: Arc::default(),
            font: Mutex::default(),
            snapshotting: Mutex::default(),
            snapshot_commits: AtomicU64::new(0),
            picked: Mutex::default(),
            check_pending: AtomicBool::new(false),
            late_problem: Mutex::default(),
        };
        // Nothing to choose at a normal start; the error, if any, is shown by the window.
        let _ = state.reopen(&StartChoice::Ask);
        state
    }

    /// Opens the database again with the manager's choice (restore a snapshot, start empty).
    pub fn reopen(&self, choice: &StartChoice) -> Result<Arc<Ctx>, Error> {
        let opened = opening::open_deferring(
            &self.data_dir,
            Arc::new(SystemClock),
            choice,
            opening::CHECK_FIRST_MAX_BYTES,
        )
        .map(|opened| {
            self.check_pending
                .store(opened.check_pending, Ordering::SeqCst);
            Arc::new(opened.ctx)
        });
        match &opened {
            // Campaign tags whose last day has passed fall off when the app starts.
            Ok(ctx) if !ctx.store.is_read_only() => {
                if let Err(e) = hearth_core::ops::members::expire_tags(ctx) {
                    eprintln!("hearth: expiring tags: {}", e.message);
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("hearth: {}", e.message),
        }
        if let Ok(ctx) = &opened {
            self.snapshot_commits
                .store(ctx.store.commits(), Ordering::SeqCst);
        }
        *self.opened.write().unwrap_or_else(|p| p.into_inner()) = opened.clone();
        opened
    }

    /// Runs the full check that opening left for later, if any (on the calling thread: the shell
    /// calls it from a background thread once the window is up). `true` when it found damage,
    /// which [`AppState::late_problem`] then describes.
    pub fn run_pending_check(&self) -> bool {
        if !self.check_pending.load(Ordering::SeqCst) {
            return false;
        }
        let Ok(ctx) = self.ctx() else {
            return false;
        };
        let found = match opening::check_open(&ctx) {
            Ok(found) => found,
            Err(e) => Some(e),
        };
        let damaged = found.is_some();
        *self.late_problem.lock().unwrap_or_else(|p| p.into_inner()) = found;
        self.check_pending.store(false, Ordering::SeqCst);
        damaged
    }

    /// The background check is still to finish.
    pub fn checking(&self) -> bool {
        self.check_pending.load(Ordering::SeqCst)
    }

    /// What the background check found, if it found anything.
    pub fn late_problem(&self) -> Option<Error> {
        self.late_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// A verified snapshot replaced the damaged data.
    pub fn forget_late_problem(&self) {
        *self.late_problem.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub fn ctx(&self) -> Result<Arc<Ctx>, Error> {
        self.opened
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
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
        self.opened
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .err()
            .cloned()
    }

    /// Remembers a file the open dialog returned; its canonical path (symlinks and `..`
    /// resolved), which is what the UI is given.
    pub fn remember_pick(&self, path: &Path) -> Option<PathBuf> {
        let canonical = std::fs::canonicalize(path).ok()?;
        self.picked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(canonical.clone());
        Some(canonical)
    }

    /// `path` when it is a file the manager chose in the open dialog; any other path the UI
    /// sends (a compromised webview naming `~/.ssh/id_rsa`) is refused before it is opened.
    pub fn picked_file(&self, path: &str) -> Result<String, Error> {
        let refused = || {
            Error::new(
                ErrorCode::InvalidInput,
                "Choose the file with the Open dialog; other paths are not read",
            )
            .with_field("path")
        };
        let canonical = std::fs::canonicalize(path).map_err(|_| refused())?;
        if self
            .picked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&canonical)
        {
            Ok(canonical.display().to_string())
        } else {
            Err(refused())
        }
    }

    /// The database opened read-only.
    pub fn read_only(&self) -> bool {
        self.ctx().is_ok_and(|c| c.store.is_read_only())
    }

    /// The snapshots in the data folder, whether or not the database is open.
    pub fn snapshots(&self) -> Result<Vec<Snapshot>, Error> {
        snapshots::list_in(&snapshots::folder_for(
            &self.data_dir.join(paths::DATABASE_FILE),
        ))
    }

    /// Takes a snapshot; with `only_if_changed`, only when something was written since the last
    /// one (`None` when nothing changed or the database is not open for writing).
    pub fn snapshot(
        &self,
        reason: SnapshotReason,
        only_if_changed: bool,
    ) -> Result<Option<SnapshotTaken>, Error> {
        let ctx = self.ctx()?;
        let _one = self.snapshotting.lock().unwrap_or_else(|p| p.into_inner());
        let commits = ctx.store.commits();
        if only_if_changed
            && (ctx.store.is_read_only() || commits == self.snapshot_commits.load(Ordering::SeqCst))
        {
            return Ok(None);
        }
        let taken = snapshots::create(&ctx, reason)?;
        self.snapshot_commits.store(commits, Ordering::SeqCst);
        Ok(Some(taken))
    }
}
