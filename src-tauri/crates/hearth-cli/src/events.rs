//! `hearth events …`: list events, print rosters / sign-in sheets / badges, check people in,
//! import registrations and paste a 接龙 — the same operations as the Events board.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand, ValueEnum};
use hearth_core::domain::{EventDraft, EventMode, EventStatus};
use hearth_core::ops::events::{self, door, import, jielong, print, registrations, EventRange};
use hearth_core::ops::import::ImportOptions;
use hearth_core::print::{CjkFont, PrintKind, PrintLang, PrintOptions};
use hearth_core::{Ctx, Error, ErrorCode};

use crate::print_json;

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Every event with its registration counts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Create an event (times in its zone, `YYYY-MM-DD HH:MM`).
    Add {
        #[arg(long)]
        title: String,
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        #[arg(long, default_value = "Asia/Shanghai")]
        time_zone: String,
        #[arg(long, default_value = "")]
        venue: String,
        #[arg(long, default_value = "")]
        link: String,
        #[arg(long)]
        capacity: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Register members by id.
    Register {
        event_id: i64,
        #[arg(long = "member", required = true)]
        members: Vec<i64>,
    },
    /// Print a roster, sign-in sheet or badges as PDF.
    Roster(RosterArgs),
    /// Check one member in at the door.
    Checkin {
        event_id: i64,
        #[arg(long)]
        member: i64,
        /// Not registered: add them as a walk-in.
        #[arg(long)]
        walk_in: bool,
        #[arg(long)]
        json: bool,
    },
    /// Register everyone in a registration export (Eventbrite, Luma, 问卷星…).
    ImportRegistrations {
        event_id: i64,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Turn a pasted WeChat 接龙 (a text file) into registrations.
    ParseJielong {
        event_id: i64,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write the event as an .ics calendar file.
    Ics { event_id: i64, out: PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Roster,
    Signin,
    Badges,
}

#[derive(Args)]
pub struct RosterArgs {
    event_id: i64,
    #[arg(long, value_enum, default_value = "signin")]
    kind: KindArg,
    #[arg(long)]
    out: PathBuf,
    /// Print full phone numbers instead of the last four digits.
    #[arg(long)]
    full_phones: bool,
    /// English headers.
    #[arg(long)]
    english: bool,
    /// Order by registration time instead of pinyin.
    #[arg(long)]
    by_registration: bool,
}

pub fn run(ctx: &Ctx, command: EventsCommand) -> Result<(), Error> {
    match command {
        EventsCommand::List { json } => {
            let all = events::list(ctx, &EventRange::default())?;
            if json {
                print_json(&all);
            } else {
                for e in &all {
                    println!(
                        "#{:<4} {}  {:<30} {:<9} {} registered, {} waiting, {} came",
                        e.id,
                        e.starts_local.replace('T', " "),
                        e.title,
                        e.status.as_str(),
                        e.counts.expected(),
                        e.counts.waitlist,
                        e.counts.attended + e.counts.walk_in
                    );
                }
            }
            Ok(())
        }
        EventsCommand::Add {
            title,
            start,
            end,
            time_zone,
            venue,
            link,
            capacity,
            json,
        } => {
            let event = events::create(
                ctx,
                EventDraft {
                    title,
                    mode: if venue.is_empty() && !link.is_empty() {
                        EventMode::Online
                    } else {
                        EventMode::Offline
                    },
                    starts_local: start,
                    ends_local: end,
                    time_zone,
                    venue,
                    link,
                    capacity,
                    notes: String::new(),
                    campaign: String::new(),
                    status: EventStatus::Open,
                },
            )?;
            if json {
                print_json(&event);
            } else {
                println!("#{} {}", event.id, event.title);
            }
            Ok(())
        }
        EventsCommand::Register { event_id, members } => {
            let out = registrations::register(
                ctx,
                registrations::Register {
                    event_id,
                    member_ids: members,
                    companions: 0,
                    note: String::new(),
                },
            )?;
            println!(
                "{} registered, {} on the waitlist, {} already registered",
                out.registered, out.waitlisted, out.already
            );
            Ok(())
        }
        EventsCommand::Roster(args) => roster(ctx, args),
        EventsCommand::Checkin {
            event_id,
            member,
            walk_in,
            json,
        } => {
            let out = door::check_in(
                ctx,
                door::CheckIn {
                    event_id,
                    member_id: member,
                    walk_in,
                    reinstate: false,
                    over_capacity: false,
                },
            )?;
            if json {
                print_json(&out);
            } else {
                println!(
                    "{} checked in — {} of {} here",
                    out.registration.member_name,
                    out.counts.attended + out.counts.walk_in,
                    out.counts.expected() + out.counts.walk_in
                );
            }
            Ok(())
        }
        EventsCommand::ImportRegistrations {
            event_id,
            file,
            dry_run,
            json,
        } => {
            let input = import::ImportRegistrations {
                event_id,
                options: ImportOptions {
                    path: file.display().to_string(),
                    utc_offset_minutes: ctx.clock.utc_offset().local_minus_utc() / 60,
                    ..Default::default()
                },
            };
            let out = if dry_run {
                import::preview(ctx, &input)?
            } else {
                import::apply(ctx, &input, &|_| {}, &AtomicBool::new(false))?
            };
            if json {
                print_json(&out);
            } else {
                let c = &out.counts;
                println!(
                    "{}{} rows: {} new members, {} matched, {} invalid; {} registered, {} on the waitlist, {} already registered",
                    if dry_run { "Dry run — " } else { "" },
                    c.rows,
                    c.create,
                    c.update + c.merge + c.skip,
                    c.invalid,
                    out.outcome.registered,
                    out.outcome.waitlisted,
                    out.outcome.already
                );
                if let Some(preview) = &out.preview {
                    for row in preview.rows.iter().filter(|r| r.error.is_some()) {
                        if let Some(e) = &row.error {
                            println!("  line {}: {}", row.line, e.message);
                        }
                    }
                }
            }
            Ok(())
        }
        EventsCommand::ParseJielong {
            event_id,
            file,
            dry_run,
            json,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| hearth_core::io::read::unreadable(&file, e))?;
            let input = jielong::PasteJielong {
                event_id,
                text,
                excluded_lines: Vec::new(),
            };
            let plan = if dry_run {
                jielong::preview(ctx, &input)?
            } else {
                jielong::apply(ctx, &input)?
            };
            if json {
                print_json(&plan);
            } else {
                for row in &plan.rows {
                    println!(
                        "line {:>3}  {:>3}. {} {:?}{}",
                        row.entry.line,
                        row.entry.seq,
                        crate::padded(&row.entry.name, 16),
                        row.action,
                        row.member_name
                            .as_deref()
                            .map(|n| format!(" → {n}"))
                            .unwrap_or_default()
                    );
                }
                for p in &plan.parse.problems {
                    println!("line {:>3}  NOT READ ({:?}): {}", p.line, p.reason, p.text);
                }
                println!(
                    "{}{} registered, {} on the waitlist, {} already, {} new members",
                    if dry_run { "Dry run — " } else { "" },
                    plan.outcome.registered,
                    plan.outcome.waitlisted,
                    plan.outcome.already,
                    plan.created
                );
            }
            Ok(())
        }
        EventsCommand::Ics { event_id, out } => {
            events::export::ics_file(ctx, event_id, &out)?;
            println!("Wrote {}", out.display());
            Ok(())
        }
    }
}

fn roster(ctx: &Ctx, args: RosterArgs) -> Result<(), Error> {
    let explicit = std::env::var_os("HEARTH_CJK_FONT").map(PathBuf::from);
    let font = CjkFont::locate(explicit.as_deref())?;
    let kind = match args.kind {
        KindArg::Roster => PrintKind::Roster,
        KindArg::Signin => PrintKind::SignIn,
        KindArg::Badges => PrintKind::Badges,
    };
    let request = print::PrintRequest {
        event_id: args.event_id,
        options: PrintOptions {
            kind,
            lang: if args.english {
                PrintLang::En
            } else {
                PrintLang::Zh
            },
            mask_phones: !args.full_phones,
            ..PrintOptions::default()
        },
        order: if args.by_registration {
            registrations::RosterOrder::Registered
        } else {
            registrations::RosterOrder::Pinyin
        },
    };
    if args.out.extension().and_then(|e| e.to_str()) != Some("pdf") {
        return Err(Error::new(
            ErrorCode::UnsupportedFormat,
            format!("{} should end in .pdf", args.out.display()),
        )
        .with_param("path", args.out.display()));
    }
    let out = print::render(ctx, &request, &font, &args.out)?;
    println!(
        "Wrote {} ({} people, {} pages, {} KB)",
        out.path,
        out.people,
        out.pages,
        out.bytes / 1024
    );
    Ok(())
}
