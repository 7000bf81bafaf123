//! `hearth members import|export` and `hearth imports list|show|undo`: the desktop app's import,
//! its history and export from a terminal (`hearth import` and `hearth export` are the same
//! commands under their older names).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::Local;
use clap::Subcommand;
use clap::{Args, ValueEnum};
use hearth_core::domain::RowFlag;
use hearth_core::io::export::{CsvEncoding, ExportFormat};
use hearth_core::ops::export::{export_members, ExportMembers, ExportScope};
use hearth_core::ops::import::{self, DuplicatePolicy, ImportOptions, PhoneRegion, RowAction};
use hearth_core::{Ctx, Error};
use serde::Serialize;

#[derive(Args)]
pub struct ImportArgs {
    /// CSV, TSV, TXT, XLSX, XLS, ODS or VCF.
    #[arg(required_unless_present = "undo")]
    file: Option<PathBuf>,
    /// Plan every row and print the plan; write nothing.
    #[arg(long)]
    dry_run: bool,
    #[arg(long)]
    json: bool,
    /// Rows whose person is already a member.
    #[arg(long, value_enum, default_value_t = Policy::FillEmpty)]
    policy: Policy,
    /// Encoding label overriding detection (gbk, gb18030, utf-8, big5, shift_jis, windows-1252).
    #[arg(long)]
    encoding: Option<String>,
    /// Read `03/05/2024` as 3 May.
    #[arg(long)]
    day_first: bool,
    /// Numbers without a country code are North American (+1), not Chinese (+86).
    #[arg(long)]
    us_phones: bool,
    /// Excel serial dates count from 1904 (old Mac workbooks).
    #[arg(long)]
    excel_1904: bool,
    /// Tag every imported member.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Undo the import batch with this id instead of importing (older form of
    /// `hearth imports undo BATCH`).
    #[arg(long, value_name = "BATCH", conflicts_with = "dry_run")]
    undo: Option<i64>,
}

#[derive(Subcommand)]
pub enum ImportsCommand {
    /// Every applied import, newest first (all of them: nothing is left out).
    List {
        #[arg(long)]
        json: bool,
    },
    /// One import: its counts and every value it left out of its members (line, field, value,
    /// reason), and the rows flagged as possible duplicates.
    Show {
        batch: i64,
        #[arg(long)]
        json: bool,
    },
    /// Take an import back: the members it created are removed, those it changed restored
    /// (refused when one of them changed since).
    Undo {
        batch: i64,
        #[arg(long)]
        json: bool,
    },
}

/// What `members import --json` prints after applying.
#[derive(Serialize)]
struct Applied<'a> {
    /// `hearth imports undo BATCH_ID` takes it back.
    batch_id: i64,
    counts: &'a import::PlanCounts,
    /// Every value left out of a member and every possible duplicate, by line (all of them).
    flags: &'a [RowFlag],
    /// Rows that did not become a member (no name and no contact, shifted columns), by line.
    invalid: Vec<&'a import::PlannedRow>,
    /// Set when there were more invalid rows than the report holds (see `counts.invalid`).
    invalid_truncated: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Policy {
    Skip,
    Update,
    FillEmpty,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Where to write; the format follows the extension (.csv, .xlsx, .vcf).
    out: PathBuf,
    /// Only members this search finds.
    #[arg(long)]
    search: Option<String>,
    /// CSV in GB18030 for old Excel on Chinese Windows (default UTF-8 with BOM).
    #[arg(long)]
    gb18030: bool,
    /// Chinese headers.
    #[arg(long)]
    chinese: bool,
    /// Write cells starting with = + - @ as they are (default: prefixed with ').
    #[arg(long)]
    no_formula_guard: bool,
}

pub fn import(ctx: &Ctx, args: ImportArgs) -> Result<(), Error> {
    if let Some(batch) = args.undo {
        return imports(
            ctx,
            ImportsCommand::Undo {
                batch,
                json: args.json,
            },
        );
    }
    let options = ImportOptions {
        path: args.file.unwrap_or_default().display().to_string(),
        encoding: args.encoding,
        policy: match args.policy {
            Policy::Skip => DuplicatePolicy::Skip,
            Policy::Update => DuplicatePolicy::Update,
            Policy::FillEmpty => DuplicatePolicy::FillEmpty,
        },
        day_first: args.day_first.then_some(true),
        utc_offset_minutes: Local::now().offset().local_minus_utc() / 60,
        tags: args.tags,
        phone_region: if args.us_phones {
            PhoneRegion::Us
        } else {
            PhoneRegion::Cn
        },
        excel_1904: args.excel_1904,
        ..Default::default()
    };
    let locale = crate::terminal_locale();
    if args.dry_run {
        let plan = import::preview(ctx, &options)?;
        if let Some(e) = plan.needs_mapping.clone() {
            return Err(e);
        }
        if args.json {
            crate::print_json(&plan);
        } else {
            println!(
                "{}: {}{}, header on line {}{}",
                plan.file_name,
                plan.format,
                if plan.encoding.is_empty() {
                    String::new()
                } else {
                    format!(" {}", plan.encoding)
                },
                plan.header_line,
                plan.preset
                    .as_ref()
                    .map(|p| format!(", layout {}", p.name_en))
                    .unwrap_or_default()
            );
            for warning in &plan.warnings {
                println!("warning: {}", warning.localized(&locale));
            }
            for row in &plan.rows {
                let detail = match (&row.action, &row.error) {
                    (_, Some(e)) => e.localized(&locale),
                    (RowAction::Update | RowAction::Skip, None) => format!(
                        "#{} {} (by {})",
                        row.member_id.unwrap_or_default(),
                        row.member_name.clone().unwrap_or_default(),
                        row.matched_by.clone().unwrap_or_default()
                    ),
                    (RowAction::Merge, None) => {
                        format!("same as line {}", row.merged_with_line.unwrap_or_default())
                    }
                    _ => String::new(),
                };
                println!(
                    "{:>6}  {:<8} {:<20} {detail}",
                    row.line,
                    format!("{:?}", row.action).to_lowercase(),
                    row.display_name
                );
                for flag in &row.flags {
                    print_flag(flag, &locale);
                }
            }
            if plan.rows_truncated {
                println!(
                    "(rows listed: the first {}; --json lists the same)",
                    plan.rows.len()
                );
            }
            print_counts(&plan.counts);
        }
        return Ok(());
    }
    let cancel = AtomicBool::new(false);
    let (out, plan) = import::apply_planned(ctx, &options, &|_| {}, &cancel)?;
    // Every flag, from the batch itself: the plan keeps only the first rows.
    let (_, flags) = import::batch(ctx, out.batch_id)?;
    let invalid: Vec<&import::PlannedRow> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Invalid)
        .collect();
    if args.json {
        crate::print_json(&Applied {
            batch_id: out.batch_id,
            counts: &out.counts,
            flags: &flags,
            invalid_truncated: invalid.len() < out.counts.invalid as usize,
            invalid,
        });
    } else {
        for row in &invalid {
            let why = row
                .error
                .as_ref()
                .map(|e| e.localized(&locale))
                .unwrap_or_default();
            println!("{:>6}  invalid  {:<20} {why}", row.line, row.display_name);
        }
        for flag in &flags {
            print_flag(flag, &locale);
        }
        print_counts(&out.counts);
        println!(
            "Import #{} (undo: hearth imports undo {})",
            out.batch_id, out.batch_id
        );
    }
    Ok(())
}

/// `hearth imports list|show|undo`.
pub fn imports(ctx: &Ctx, command: ImportsCommand) -> Result<(), Error> {
    let locale = crate::terminal_locale();
    match command {
        ImportsCommand::List { json } => {
            let batches = import::all_batches(ctx)?;
            if json {
                crate::print_json(&batches);
                return Ok(());
            }
            for b in &batches {
                println!(
                    "#{:<5} {}  {:<30} {} new, {} updated, {} skipped, {} invalid, {} flagged{}",
                    b.id,
                    b.created_at,
                    b.file_name,
                    b.created,
                    b.updated,
                    b.skipped,
                    b.invalid,
                    b.flagged,
                    if b.undone_at.is_some() {
                        " (undone)"
                    } else {
                        ""
                    }
                );
            }
            println!("{} imports", batches.len());
        }
        ImportsCommand::Show { batch, json } => {
            let (b, flags) = import::batch(ctx, batch)?;
            if json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    batch: &'a hearth_core::domain::ImportBatch,
                    flags: &'a [RowFlag],
                }
                crate::print_json(&Shown {
                    batch: &b,
                    flags: &flags,
                });
                return Ok(());
            }
            println!(
                "Import #{} of {} ({} {}, {}){}: {} new, {} updated, {} skipped, {} invalid, {} flagged",
                b.id,
                b.file_name,
                b.format,
                b.encoding,
                b.created_at,
                if b.undone_at.is_some() { ", undone" } else { "" },
                b.created,
                b.updated,
                b.skipped,
                b.invalid,
                b.flagged
            );
            for flag in &flags {
                print_flag(flag, &locale);
            }
        }
        ImportsCommand::Undo { batch, json } => {
            let out = import::undo(ctx, batch)?;
            if json {
                crate::print_json(&out);
            } else {
                println!(
                    "Undid import #{}: removed {} members, restored {}",
                    out.batch_id, out.removed, out.restored
                );
            }
        }
    }
    Ok(())
}

fn print_flag(flag: &RowFlag, locale: &str) {
    let reason = Error {
        code: flag.reason,
        message: flag.message.clone(),
        field: Some(flag.field.clone()),
        params: flag.params.clone(),
    };
    println!(
        "{:>6}  flagged  {:<12} {:<24} {}",
        flag.line,
        flag.field,
        flag.value,
        reason.localized(locale)
    );
}

fn print_counts(c: &import::PlanCounts) {
    println!(
        "{} rows: {} new, {} updated, {} merged within the file, {} skipped, {} invalid, {} left out, {} flagged",
        c.rows, c.create, c.update, c.merge, c.skip, c.invalid, c.excluded, c.flagged
    );
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> Result<(), Error> {
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let format = match ext.as_str() {
        "xlsx" => ExportFormat::Xlsx,
        "vcf" | "vcard" => ExportFormat::Vcard,
        _ => ExportFormat::Csv,
    };
    let out = export_members(
        ctx,
        &ExportMembers {
            path: args.out.display().to_string(),
            format,
            scope: match args.search {
                Some(query) => ExportScope::Search { query },
                None => ExportScope::All,
            },
            columns: Vec::new(),
            csv_encoding: if args.gb18030 {
                CsvEncoding::Gb18030
            } else {
                CsvEncoding::Utf8Bom
            },
            chinese_headers: args.chinese,
            neutralise_formulas: !args.no_formula_guard,
            include_custom: true,
        },
        &|_, _| {},
        &AtomicBool::new(false),
    )?;
    println!("Wrote {} members to {}", out.members, out.path);
    Ok(())
}

#[derive(Args)]
pub struct ActivityImportArgs {
    /// CSV, TSV, TXT, XLSX, XLS or ODS.
    #[arg(required_unless_present = "undo")]
    file: Option<PathBuf>,
    /// The kind for rows without a kind column (checkin, spoke, answered, …).
    #[arg(long)]
    kind: Option<String>,
    /// When rows without a time column happened (RFC 3339; default now).
    #[arg(long)]
    at: Option<String>,
    /// WHATWG encoding label instead of the detected one (GBK, UTF-8, Big5, …).
    #[arg(long)]
    encoding: Option<String>,
    /// Show what would be logged; write nothing.
    #[arg(long)]
    dry_run: bool,
    #[arg(long)]
    json: bool,
    /// Take back an activity import (its activities and the members it created).
    #[arg(long, value_name = "BATCH", conflicts_with = "file")]
    undo: Option<i64>,
}

pub fn import_activities(ctx: &Ctx, args: ActivityImportArgs) -> Result<(), Error> {
    use hearth_core::ops::activity_import::{self as activities, ActivityRowOutcome};
    if let Some(batch) = args.undo {
        let out = activities::undo(ctx, batch)?;
        println!(
            "Undid activity import #{batch}: voided {} activities ({} points), removed {} members, restored {}",
            out.activities, out.points, out.members_removed, out.members_restored
        );
        return Ok(());
    }
    let input = activities::ImportActivities {
        options: ImportOptions {
            path: args.file.unwrap_or_default().display().to_string(),
            encoding: args.encoding,
            utc_offset_minutes: Local::now().offset().local_minus_utc() / 60,
            ..Default::default()
        },
        kind: args.kind,
        time_column: None,
        kind_column: None,
        note_column: None,
        at: args.at,
    };
    let out = if args.dry_run {
        activities::preview(ctx, &input)?
    } else {
        activities::apply(ctx, &input, &|_| {}, &AtomicBool::new(false))?
    };
    if args.json {
        crate::print_json(&out);
        return Ok(());
    }
    let locale = crate::terminal_locale();
    for row in out
        .rows
        .iter()
        .filter(|r| r.outcome == ActivityRowOutcome::Invalid)
    {
        let why = row
            .error
            .as_ref()
            .map(|e| e.localized(&locale))
            .unwrap_or_default();
        println!("{:>6}  invalid  {why}", row.line);
    }
    let c = &out.counts;
    println!(
        "{} {} activities (+{} points); {} over the daily cap, {} already logged, {} rows without activity, {} invalid, {} without a member",
        if args.dry_run { "Would log" } else { "Logged" },
        c.logged + c.capped,
        c.points,
        c.capped,
        c.already_logged,
        c.no_activity,
        c.invalid,
        c.no_member
    );
    print_counts(&out.members);
    if let Some(batch) = out.batch_id {
        println!("Import #{batch} (undo: hearth activity import --undo {batch})");
    }
    Ok(())
}
