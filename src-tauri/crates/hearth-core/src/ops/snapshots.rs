//! Snapshots: verified copies of the whole database in a `snapshots` folder next to it, each with
//! a JSON manifest beside it (`ID.db` + `ID.json`), optionally copied to a second folder the
//! manager chose; listing, verifying and restoring them; and the retention that thins them out
//! (the last 10, then one a day for a week, one a week for four weeks, one a month for six
//! months).
//!
//! Taking a copy never holds the app's own connections (see `store::snapshots`), so the shell can
//! run the half-hourly and on-quit snapshots on a background thread. Restoring replaces everything
//! in one SQLite transaction and takes a snapshot of the state before it first. What to do when
//! the database is damaged or missing at start-up lives in `ops::opening`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::stamp;
use crate::domain::{CheckReport, Snapshot, SnapshotReason, SnapshotSettings};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::snapshots as files;
use crate::store::MIGRATIONS;

/// The folder, next to the database, that holds its snapshots.
pub const FOLDER: &str = "snapshots";

/// The manager's choices about snapshots, kept in the snapshots folder (not in the database, so a
/// restore does not undo them).
const SETTINGS_FILE: &str = "settings.json";

/// A snapshot just taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SnapshotTaken {
    pub snapshot: Snapshot,
    /// Why the copy to the second folder failed, when one is set and it did (the snapshot next to
    /// the database is taken all the same).
    pub second_copy_error: Option<String>,
    /// Older snapshots retention removed.
    pub pruned: u32,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Restored {
    /// The snapshot now in the database.
    pub restored: Snapshot,
    /// The state just before the restore, kept as a snapshot of its own.
    pub before: Snapshot,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredSettings {
    second_folder: Option<String>,
}

/// The snapshots folder of the database at `db`.
pub fn folder_for(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join(FOLDER)
}

fn folder(ctx: &Ctx) -> PathBuf {
    folder_for(ctx.store.path())
}

/// Takes a verified snapshot of the open database, copies it to the second folder if one is set,
/// and applies retention to both folders.
pub fn create(ctx: &Ctx, reason: SnapshotReason) -> Result<SnapshotTaken> {
    take(
        ctx.store.path(),
        reason,
        ctx.clock.now(),
        ctx.clock.utc_offset(),
    )
}

/// [`create`] for a database file that is not open (yet): before a migration, at start-up.
pub fn take(
    db: &Path,
    reason: SnapshotReason,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> Result<SnapshotTaken> {
    let dir = folder_for(db);
    fs::create_dir_all(&dir).map_err(|e| Error::data_dir(&dir, e))?;
    let id = free_id(&dir, now, reason);
    let facts = files::copy_verified(db, &dir.join(format!("{id}.db")))?;
    let snapshot = Snapshot {
        id,
        taken_at: stamp(now),
        reason,
        size_bytes: facts.size_bytes,
        members: facts.members,
        schema_version: facts.schema_version,
        verified: facts.verified,
    };
    write_manifest(&dir, &snapshot)?;
    let mut pruned = prune(&dir, now, offset)?;
    let second_copy_error = match read_settings(&dir).second_folder {
        Some(second) => match copy_to_second(&dir, Path::new(&second), &snapshot) {
            Ok(()) => {
                pruned += prune(Path::new(&second), now, offset).unwrap_or(0);
                None
            }
            Err(e) => Some(e.message),
        },
        None => None,
    };
    Ok(SnapshotTaken {
        snapshot,
        second_copy_error,
        pruned,
    })
}

/// `20261208-013000-manual`, or with `-2`, `-3`… when that name is taken.
fn free_id(dir: &Path, now: DateTime<Utc>, reason: SnapshotReason) -> String {
    let base = format!("{}-{}", now.format("%Y%m%d-%H%M%S"), reason.key());
    let mut id = base.clone();
    let mut n = 2;
    while dir.join(format!("{id}.db")).exists() || dir.join(format!("{id}.json")).exists() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn write_manifest(dir: &Path, snapshot: &Snapshot) -> Result<()> {
    let path = dir.join(format!("{}.json", snapshot.id));
    let tmp = dir.join(format!("{}.json-partial", snapshot.id));
    let json = serde_json::to_vec_pretty(snapshot).expect("snapshots serialise");
    fs::write(&tmp, json)?;
    fs::File::open(&tmp)?.sync_all()?;
    fs::rename(&tmp, &path)?;
    Ok(())
}

fn copy_to_second(dir: &Path, second: &Path, snapshot: &Snapshot) -> Result<()> {
    fs::create_dir_all(second).map_err(|e| Error::data_dir(second, e))?;
    let db = format!("{}.db", snapshot.id);
    files::copy_file(&dir.join(&db), &second.join(&db))?;
    write_manifest(second, snapshot)
}

/// The snapshots in `dir`, newest first. A manifest whose copy is gone is left out.
pub fn list_in(dir: &Path) -> Result<Vec<Snapshot>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json")
            || path.file_name().and_then(|n| n.to_str()) == Some(SETTINGS_FILE)
        {
            continue;
        }
        let Ok(bytes) = fs::read(&path) else { continue };
        let Ok(snapshot) = serde_json::from_slice::<Snapshot>(&bytes) else {
            continue;
        };
        if dir.join(format!("{}.db", snapshot.id)).exists() {
            out.push(snapshot);
        }
    }
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.id.cmp(&a.id)));
    Ok(out)
}

/// The snapshots of the open database, newest first.
pub fn list(ctx: &Ctx) -> Result<Vec<Snapshot>> {
    list_in(&folder(ctx))
}

/// The newest snapshot in `dir` that passed its check.
pub fn newest_verified_in(dir: &Path) -> Result<Option<Snapshot>> {
    Ok(list_in(dir)?.into_iter().find(|s| s.verified))
}

fn find(dir: &Path, id: &str) -> Result<Snapshot> {
    list_in(dir)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| {
            Error::new(ErrorCode::NotFound, format!("There is no snapshot {id}"))
                .with_param("id", id)
        })
}

/// Runs `integrity_check` on a snapshot again and records the answer in its manifest.
pub fn verify(ctx: &Ctx, id: &str) -> Result<Snapshot> {
    verify_in(&folder(ctx), id)
}

pub fn verify_in(dir: &Path, id: &str) -> Result<Snapshot> {
    let mut snapshot = find(dir, id)?;
    let report = files::check_file(&dir.join(format!("{id}.db")))?;
    snapshot.verified = report.integrity.is_empty();
    write_manifest(dir, &snapshot)?;
    Ok(snapshot)
}

/// Replaces everything in the database with snapshot `id`, after checking the snapshot and taking
/// a snapshot of the current state (reason `before-restore`). A snapshot that fails its check or
/// comes from a newer Hearth is refused and nothing changes.
pub fn restore(ctx: &Ctx, id: &str) -> Result<Restored> {
    let dir = folder(ctx);
    let restored = usable(&dir, id)?;
    let before = create(ctx, SnapshotReason::BeforeRestore)?.snapshot;
    ctx.store.restore_from(&dir.join(format!("{id}.db")))?;
    Ok(Restored { restored, before })
}

/// Snapshot `id` of `dir`, checked again, and readable by this Hearth.
pub(crate) fn usable(dir: &Path, id: &str) -> Result<Snapshot> {
    let snapshot = verify_in(dir, id)?;
    if !snapshot.verified {
        return Err(Error::new(
            ErrorCode::SnapshotDamaged,
            format!("Snapshot {id} fails its integrity check; it was not used"),
        )
        .with_param("id", id));
    }
    let latest = MIGRATIONS.last().map_or(0, |m| m.version);
    if snapshot.schema_version > latest {
        return Err(Error::new(
            ErrorCode::NewerSchema,
            format!(
                "Snapshot {id} has schema version {}; this Hearth knows up to {latest}",
                snapshot.schema_version
            ),
        )
        .with_param("version", snapshot.schema_version));
    }
    Ok(snapshot)
}

/// `integrity_check` and `foreign_key_check` on the open database.
pub fn check(ctx: &Ctx) -> Result<CheckReport> {
    files::check_file(ctx.store.path())
}

/// Where snapshots go.
pub fn settings(ctx: &Ctx) -> Result<SnapshotSettings> {
    let dir = folder(ctx);
    Ok(SnapshotSettings {
        folder: dir.display().to_string(),
        second_folder: read_settings(&dir).second_folder,
    })
}

/// Sets (or, with `None` or an empty path, clears) the second folder. The folder must be an
/// absolute path that can be created and written; it gets a copy of the newest snapshot at once.
pub fn set_second_folder(ctx: &Ctx, second: Option<String>) -> Result<SnapshotSettings> {
    let dir = folder(ctx);
    let second = second
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if let Some(path) = &second {
        let path = Path::new(path);
        if !path.is_absolute() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{} is not a full path", path.display()),
            )
            .with_field("second_folder"));
        }
        fs::create_dir_all(path).map_err(|e| Error::data_dir(path, e))?;
        let probe = path.join(".hearth-write-probe");
        fs::write(&probe, b"ok").map_err(|e| Error::data_dir(path, e))?;
        let _ = fs::remove_file(&probe);
        if path.canonicalize().ok() == dir.canonicalize().ok() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "The second folder must be another folder than the snapshots folder",
            )
            .with_field("second_folder"));
        }
    }
    fs::create_dir_all(&dir).map_err(|e| Error::data_dir(&dir, e))?;
    let stored = StoredSettings {
        second_folder: second.clone(),
    };
    fs::write(
        dir.join(SETTINGS_FILE),
        serde_json::to_vec_pretty(&stored).expect("settings serialise"),
    )?;
    if let Some(path) = &second {
        if let Some(newest) = list_in(&dir)?.into_iter().next() {
            copy_to_second(&dir, Path::new(path), &newest)?;
        }
    }
    settings(ctx)
}

fn read_settings(dir: &Path) -> StoredSettings {
    fs::read(dir.join(SETTINGS_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Deletes the snapshots of `dir` that retention does not keep; returns how many went.
fn prune(dir: &Path, now: DateTime<Utc>, offset: FixedOffset) -> Result<u32> {
    let all = list_in(dir)?;
    let kept = retained(&all, now, offset);
    let mut removed = 0;
    for s in all.iter().filter(|s| !kept.contains(&s.id)) {
        let _ = fs::remove_file(dir.join(format!("{}.db", s.id)));
        let _ = fs::remove_file(dir.join(format!("{}.json", s.id)));
        removed += 1;
    }
    Ok(removed)
}

/// How many of the newest snapshots are always kept.
pub const KEEP_LAST: usize = 10;
/// Then the newest of each of this many days, weeks and months (counting the current one).
pub const KEEP_DAYS: i64 = 7;
pub const KEEP_WEEKS: i64 = 4;
pub const KEEP_MONTHS: i32 = 6;

/// The ids retention keeps among `snapshots` at `now` (days, weeks and months where the manager
/// is, at `offset`): the [`KEEP_LAST`] newest; then for each of the last [`KEEP_DAYS`] days, each
/// of the last [`KEEP_WEEKS`] weeks (Monday to Sunday) and each of the last [`KEEP_MONTHS`]
/// calendar months, the newest verified snapshot of that period (the newest of any, when none
/// there is verified). A snapshot whose time cannot be read is kept (it is never the one to go
/// silently).
pub fn retained(
    snapshots: &[Snapshot],
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> BTreeSet<String> {
    let mut dated: Vec<(DateTime<Utc>, &Snapshot)> = Vec::new();
    let mut kept = BTreeSet::new();
    for s in snapshots {
        match DateTime::parse_from_rfc3339(&s.taken_at) {
            Ok(t) => dated.push((t.with_timezone(&Utc), s)),
            Err(_) => {
                kept.insert(s.id.clone());
            }
        }
    }
    // Newest first; on equal times the later id (the `-2` of the same second) first.
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.id.cmp(&a.1.id)));
    kept.extend(dated.iter().take(KEEP_LAST).map(|(_, s)| s.id.clone()));

    let today = now.with_timezone(&offset).date_naive();
    let local = |t: &DateTime<Utc>| t.with_timezone(&offset).date_naive();
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;

    let mut keep_newest_in = |bucket: &dyn Fn(NaiveDate) -> Option<i64>| {
        let mut seen: BTreeSet<i64> = BTreeSet::new();
        // First pass: verified snapshots claim their period; second: periods with none verified.
        for want_verified in [true, false] {
            for (t, s) in &dated {
                if want_verified && !s.verified {
                    continue;
                }
                if let Some(b) = bucket(local(t)) {
                    if seen.insert(b) {
                        kept.insert(s.id.clone());
                    }
                }
            }
        }
    };
    keep_newest_in(&|d| {
        let back = (today - d).num_days();
        (0..KEEP_DAYS).contains(&back).then_some(back)
    });
    keep_newest_in(&|d| {
        let back = (monday(today) - monday(d)).num_days() / 7;
        (0..KEEP_WEEKS).contains(&back).then_some(back)
    });
    keep_newest_in(&|d| {
        let back = month_index(today) - month_index(d);
        (0..KEEP_MONTHS).contains(&back).then_some(i64::from(back))
    });
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn snap(id: &str, at: DateTime<Utc>, verified: bool) -> Snapshot {
        Snapshot {
            id: id.to_owned(),
            taken_at: stamp(at),
            reason: SnapshotReason::Timer,
            size_bytes: 1,
            members: 1,
            schema_version: 1,
            verified,
        }
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn now() -> DateTime<Utc> {
        // A Tuesday.
        Utc.with_ymd_and_hms(2026, 12, 8, 12, 0, 0).unwrap()
    }

    #[test]
    fn the_last_ten_are_always_kept() {
        let all: Vec<Snapshot> = (0..25)
            .map(|i| snap(&format!("s{i:02}"), now() - Duration::minutes(i), true))
            .collect();
        let kept = retained(&all, now(), utc());
        // All 25 are today: the 10 newest, and today's newest is among them.
        let expected: BTreeSet<String> = (0..10).map(|i| format!("s{i:02}")).collect();
        assert_eq!(kept, expected);
    }

    #[test]
    fn a_half_hourly_year_thins_to_ten_plus_days_weeks_and_months() {
        // Every 30 minutes for a year back from now.
        let all: Vec<Snapshot> = (0..(2 * 24 * 365))
            .map(|i| snap(&format!("s{i:05}"), now() - Duration::minutes(30 * i), true))
            .collect();
        let kept = retained(&all, now(), utc());
        let days: BTreeSet<NaiveDate> = all
            .iter()
            .filter(|s| kept.contains(&s.id))
            .map(|s| {
                DateTime::parse_from_rfc3339(&s.taken_at)
                    .unwrap()
                    .date_naive()
            })
            .collect();
        // The 10 newest (all today, Tuesday Dec 8), the newest of each of the 6 days before
        // (Dec 2–7); weeks add Nov 23–29 and Nov 16–22 (Nov 30–Dec 6 has its Sunday already);
        // months add November, October, September, August and July.
        assert_eq!(kept.len(), 10 + 6 + 2 + 5, "{kept:?}");
        let today = now().date_naive();
        for back in 0..7 {
            assert!(
                days.contains(&(today - Duration::days(back))),
                "day -{back}"
            );
        }
        // The newest of last month is its last half hour (November 30, 23:30).
        let nov30 = Utc.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap();
        assert!(all
            .iter()
            .any(|s| kept.contains(&s.id) && s.taken_at == stamp(nov30)));
        // Nothing older than six calendar months (before July 1).
        let july = Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap();
        assert!(all
            .iter()
            .filter(|s| kept.contains(&s.id))
            .all(|s| s.taken_at >= stamp(july)));
    }

    #[test]
    fn a_verified_snapshot_is_preferred_for_its_day() {
        let yesterday = now() - Duration::days(1);
        let mut all: Vec<Snapshot> = (0..10)
            .map(|i| snap(&format!("new{i}"), now() - Duration::minutes(i), true))
            .collect();
        all.push(snap("y-late-damaged", yesterday, false));
        all.push(snap("y-early-ok", yesterday - Duration::hours(3), true));
        let kept = retained(&all, now(), utc());
        assert!(kept.contains("y-early-ok"));
        assert!(!kept.contains("y-late-damaged"));
        // A day with only a damaged snapshot still keeps it: it is the only copy of that day.
        all.push(snap("d3-damaged", now() - Duration::days(3), false));
        assert!(retained(&all, now(), utc()).contains("d3-damaged"));
    }

    #[test]
    fn days_follow_the_managers_clock() {
        // 23:30 UTC on Dec 6 is already Dec 7 in Beijing.
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        let mut all: Vec<Snapshot> = (0..10)
            .map(|i| snap(&format!("new{i}"), now() - Duration::minutes(i), true))
            .collect();
        let late = Utc.with_ymd_and_hms(2026, 12, 6, 23, 30, 0).unwrap();
        let earlier = Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap();
        all.push(snap("late", late, true));
        all.push(snap("earlier", earlier, true));
        let kept = retained(&all, now(), beijing);
        // In Beijing they fall on two days (Dec 7 and Dec 6): both kept.
        assert!(kept.contains("late") && kept.contains("earlier"));
        // In UTC both are Dec 6: only the newer.
        let kept = retained(&all, now(), utc());
        assert!(kept.contains("late") && !kept.contains("earlier"));
    }

    #[test]
    fn an_unreadable_time_is_kept() {
        let mut s = snap("odd", now(), true);
        s.taken_at = "yesterday-ish".into();
        assert!(retained(&[s], now(), utc()).contains("odd"));
    }
}
