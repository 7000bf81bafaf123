//! Registrations from a file (Eventbrite attendee report, Luma guest list, 问卷星 / 腾讯问卷 CSV,
//! any member list): the member import runs as usual (recognising the layout, matching members
//! by their contacts, creating new ones, recorded as an import batch that can be undone), then
//! everyone the file names is registered. Bad rows are reported by line and field exactly as the
//! import reports them; nothing is half-applied.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::registrations::{register_in, RegisterOutcome};
use crate::error::Result;
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::import::{apply_in, preview_in, ImportOptions, ImportPreview, PlanCounts};
use crate::ops::Ctx;
use crate::store::Write;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportRegistrations {
    pub event_id: i64,
    pub options: ImportOptions,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RegistrationImport {
    /// The member side, row by row (as the import dialog shows it); only in a preview.
    pub preview: Option<ImportPreview>,
    pub counts: PlanCounts,
    /// Where the people went: registered, waitlisted, already registered.
    pub outcome: RegisterOutcome,
    /// The import batch (undo it to remove the members it created); `None` in a dry run.
    pub batch_id: Option<i64>,
}

/// What importing would do; nothing is written.
pub fn preview(ctx: &Ctx, input: &ImportRegistrations) -> Result<RegistrationImport> {
    let now = ctx.now_stamp();
    ctx.store.dry_run(|w| {
        super::load(&w.read(), input.event_id)?;
        let (preview, resolved) = preview_in(w, &input.options, &now)?;
        let outcome = register_all(w, input.event_id, &resolved, "import", &now)?;
        Ok(RegistrationImport {
            counts: preview.counts.clone(),
            preview: Some(preview),
            outcome,
            batch_id: None,
        })
    })
}

/// Imports and registers in one transaction.
pub fn apply(
    ctx: &Ctx,
    input: &ImportRegistrations,
    progress: &dyn Fn(u32),
    cancel: &AtomicBool,
) -> Result<RegistrationImport> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        super::load(&w.read(), input.event_id)?;
        let (outcome, resolved) = apply_in(w, &input.options, &now, progress, cancel)?;
        let source = format!("import:{}", outcome.batch_id);
        let registered = register_all(w, input.event_id, &resolved, &source, &now)?;
        Ok(RegistrationImport {
            preview: None,
            counts: outcome.counts,
            outcome: registered,
            batch_id: Some(outcome.batch_id),
        })
    })
}

fn register_all(
    w: &mut Write<'_>,
    event_id: i64,
    resolved: &[(u32, i64)],
    source: &str,
    now: &str,
) -> Result<RegisterOutcome> {
    let mut out = RegisterOutcome::default();
    let mut seen = HashSet::with_capacity(resolved.len());
    for (_, member_id) in resolved {
        // Two lines of one file for one person (in-file duplicates) register them once.
        if !seen.insert(*member_id) {
            continue;
        }
        out.count(register_in(w, event_id, *member_id, 0, "", source, now)?);
    }
    Ok(out)
}

/// Undo of [`apply`], in one transaction: the registrations it made go (those still registered
/// or waiting), then the import batch is undone (members it created removed, members it updated
/// restored exactly; refused, with nothing changed, if one was edited since).
/// Pass the outcome's `registration_ids` and the `batch_id`.
pub fn undo(ctx: &Ctx, registration_ids: &[i64], batch_id: i64) -> Result<u32> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let removed = super::registrations::unregister_in(w, registration_ids, &now)?;
        crate::store::imports::undo(w, batch_id, &now)?;
        consequences::apply_in(w, Change::Imported, Moment::of(ctx, &now))?;
        Ok(removed)
    })
}
