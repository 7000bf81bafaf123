//! `hearth backup create|list|restore|verify` and `hearth check`: snapshots of the database and
//! its integrity from a terminal.

use std::path::Path;
use std::sync::Arc;

use clap::Subcommand;
use hearth_core::domain::{CheckReport, Snapshot, SnapshotReason};
use hearth_core::ops::opening::{self, StartChoice};
use hearth_core::ops::snapshots;
use hearth_core::{Ctx, Error, ErrorCode, SystemClock};

use crate::print_json;

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Take a verified snapshot now (into the `snapshots` folder next to the database).
    Create {
        #[arg(long)]
        json: bool,
    },
    /// Every snapshot, newest first: time, reason, size, members, verified.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace the database with snapshot ID (the current state is snapshotted first). Also
    /// works when the database is missing or was moved aside as damaged.
    Restore {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Run the integrity check on snapshot ID again.
    Verify {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Where snapshots go; `--second-folder DIR` sets the folder that receives a copy of each,
    /// `--second-folder ""` clears it.
    Settings {
        #[arg(long, value_name = "DIR")]
        second_folder: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(dir: &Path, command: BackupCommand) -> Result<(), Error> {
    match command {
        BackupCommand::Create { json } => {
            let ctx = crate::open_dir(dir)?;
            let taken = snapshots::create(&ctx, SnapshotReason::Manual)?;
            if json {
                print_json(&taken);
            } else {
                println!("{}", line(&taken.snapshot));
                if let Some(e) = &taken.second_copy_error {
                    eprintln!("hearth: the copy to the second folder failed: {e}");
                }
                if taken.pruned > 0 {
                    println!("{} older snapshots removed by retention", taken.pruned);
                }
            }
            Ok(())
        }
        BackupCommand::List { json } => {
            let list = snapshots::list_in(&snapshots::folder_for(
                &dir.join(hearth_core::paths::DATABASE_FILE),
            ))?;
            if json {
                print_json(&list);
            } else {
                for s in &list {
                    println!("{}", line(s));
                }
                println!("{} snapshots", list.len());
            }
            Ok(())
        }
        BackupCommand::Verify { id, json } => {
            let folder = snapshots::folder_for(&dir.join(hearth_core::paths::DATABASE_FILE));
            let s = snapshots::verify_in(&folder, &id)?;
            if json {
                print_json(&s);
            } else {
                println!("{}", line(&s));
            }
            if !s.verified {
                return Err(Error::new(
                    ErrorCode::SnapshotDamaged,
                    format!("Snapshot {id} fails its integrity check"),
                )
                .with_param("id", id));
            }
            Ok(())
        }
        BackupCommand::Restore { id, json } => {
            match crate::open_dir(dir) {
                Ok(ctx) => {
                    let restored = snapshots::restore(&ctx, &id)?;
                    if json {
                        print_json(&restored);
                    } else {
                        println!("Restored {}", line(&restored.restored));
                        println!("The state before is snapshot {}", restored.before.id);
                    }
                }
                Err(e)
                    if matches!(
                        e.code,
                        ErrorCode::DatabaseMissing | ErrorCode::DatabaseCorrupt
                    ) =>
                {
                    if e.code == ErrorCode::DatabaseCorrupt {
                        eprintln!("hearth: {}", e.localized(&crate::terminal_locale()));
                    }
                    let ctx = opening::open(
                        dir,
                        Arc::new(SystemClock),
                        &StartChoice::Restore { id: id.clone() },
                    )?;
                    let list = snapshots::list(&ctx)?;
                    let s = list.iter().find(|s| s.id == id);
                    if json {
                        print_json(&s);
                    } else if let Some(s) = s {
                        println!("Restored {}", line(s));
                    }
                }
                Err(e) => return Err(e),
            }
            Ok(())
        }
        BackupCommand::Settings {
            second_folder,
            json,
        } => {
            let ctx = crate::open_dir(dir)?;
            let settings = match second_folder {
                Some(folder) => snapshots::set_second_folder(&ctx, Some(folder))?,
                None => snapshots::settings(&ctx)?,
            };
            if json {
                print_json(&settings);
            } else {
                println!("snapshots:     {}", settings.folder);
                println!(
                    "second folder: {}",
                    settings.second_folder.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
    }
}

/// `hearth check`: integrity and foreign keys of the database; an error (exit 1) when broken.
pub fn check(ctx: &Ctx, json: bool) -> Result<(), Error> {
    let report: CheckReport = snapshots::check(ctx)?;
    if json {
        print_json(&report);
    } else if report.ok {
        println!("ok: integrity_check and foreign_key_check are clean");
    } else {
        for l in &report.integrity {
            println!("integrity: {l}");
        }
        for l in &report.foreign_keys {
            println!("foreign key: {l}");
        }
    }
    if report.ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::Database,
            format!(
                "the database is damaged: {} integrity problems, {} broken references",
                report.integrity.len(),
                report.foreign_keys.len()
            ),
        ))
    }
}

fn line(s: &Snapshot) -> String {
    format!(
        "{:<40} {}  {:<18} {:>10}  {:>7} members  {}",
        s.id,
        s.taken_at,
        s.reason.key(),
        human_size(s.size_bytes),
        s.members,
        if s.verified { "verified" } else { "DAMAGED" }
    )
}

pub(crate) fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GiB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", b / 1024.0)
    }
}

/// `hearth export-all FILE.zip`: every table as JSON and CSV, with a manifest.
pub fn export_all(ctx: &Ctx, file: &Path, json: bool) -> Result<(), Error> {
    let manifest = hearth_core::ops::archive::export_all(ctx, file)?;
    if json {
        print_json(&manifest);
    } else {
        let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
        println!(
            "Exported {} tables ({rows} rows, schema {}) to {}",
            manifest.tables.len(),
            manifest.schema_version,
            file.display()
        );
    }
    Ok(())
}

/// `hearth import-all FILE.zip --data-dir EMPTY_DIR`: a new database from a full export.
pub fn import_all(dir: &Path, file: &Path, json: bool) -> Result<(), Error> {
    let (ctx, manifest) = hearth_core::ops::archive::import_all(dir, file, Arc::new(SystemClock))?;
    if json {
        print_json(&manifest);
    } else {
        let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
        println!(
            "Imported {} tables ({rows} rows) into {}",
            manifest.tables.len(),
            ctx.store.path().display()
        );
    }
    Ok(())
}
