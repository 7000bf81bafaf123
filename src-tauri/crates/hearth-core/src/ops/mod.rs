//! Operations: the verbs the desktop UI and the CLI call, one file each with its own input and
//! output types. Every operation is `fn(&Ctx, Input) -> Result<Output>`; validation happens here,
//! SQL happens in `store`.

pub mod activity_import;
pub mod archive;
pub mod campaigns;
pub mod consequences;
pub mod content;
pub mod credit;
pub mod custom_fields;
pub mod dashboard;
pub mod engagement;
pub mod events;
pub mod export;
pub mod import;
pub mod invites;
pub mod lifecycle;
pub mod members;
pub mod opening;
pub mod rewards;
pub mod segments;
pub mod settings;
pub mod snapshots;
pub mod tags;
pub mod today;

use std::path::Path;
use std::sync::Arc;

use crate::clock::{stamp, Clock};
use crate::error::Result;
use crate::store::Store;

/// What every operation runs against: the store and the clock.
pub struct Ctx {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
}

impl Ctx {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Ctx { store, clock }
    }

    /// Opens the database in `dir` (creating both if needed).
    pub fn open_in_dir(dir: &Path, clock: Arc<dyn Clock>) -> Result<Self> {
        Ok(Ctx::new(Store::open_in_dir(dir)?, clock))
    }

    /// "Now" in the store's timestamp format.
    pub fn now_stamp(&self) -> String {
        stamp(self.clock.now())
    }
}

/// The reason the manager gives for a manual change, trimmed: required when `required`, at most
/// 500 characters (the history and the ledger keep it).
pub(crate) fn reason(raw: &str, required: bool) -> Result<String> {
    let reason = raw.trim();
    if required && reason.is_empty() {
        return Err(crate::error::Error::required("reason"));
    }
    if reason.chars().count() > 500 {
        return Err(crate::error::Error::too_long("reason", 500));
    }
    Ok(reason.to_owned())
}
