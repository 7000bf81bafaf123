//! `hearth`: the same operations as the desktop app, from a terminal. Output for people by
//! default, `--json` for scripts; errors go to stderr in the terminal's language (zh-CN when
//! `LANG`/`LC_ALL` start with `zh`) and exit with status 1 (see [`EXIT_CODES`]).

mod backup;
mod bench;
mod bench_import;
mod campaigns;
mod content;
mod credit;
mod events;
mod files;
mod library;
mod lifecycle;
mod metrics;
mod rewards;
mod segments;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use hearth_core::demo::{self, LoadDemo};
use hearth_core::domain::{Identity, IdentityKind, MemberDraft, MemberFilter, MemberSort};
use hearth_core::ops::engagement;
use hearth_core::ops::members::{self, FindDuplicates, ListMembers};
use hearth_core::ops::opening::{self, StartChoice};
use hearth_core::{paths, Ctx, Error, SystemClock};

/// The exit statuses every command keeps to, as `--help` prints them.
const EXIT_CODES: &str = "Exit status:
  0    done
  1    refused or failed; the reason is on stderr (in Chinese when LANG starts with zh)
  2    the command line itself is wrong (unknown command or option, missing argument)
  141  stdout was closed early (`| head`): the command stops quietly, as other Unix tools do

Output is for people by default; --json prints one JSON document on stdout for scripts.";

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth 社群运营台 — command line",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Data folder (default: the OS app-data folder, or $HEARTH_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add a seeded demo community.
    Demo {
        #[arg(long, default_value_t = 2000)]
        members: u32,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// List and add members.
    Members {
        #[command(subcommand)]
        command: MembersCommand,
    },
    /// Saved segments with live counts and who entered/left since the last snapshot; members
    /// added to a segment by hand (`add ID --member M…`, `remove`, `new NAME --member M…`).
    Segments(segments::SegmentsArgs),
    /// Events: list, print rosters / sign-in sheets / badges, check in, registrations, 接龙.
    Events {
        #[command(subcommand)]
        command: events::EventsCommand,
    },
    /// Log what members did (签到, 发言, …): points, daily caps, stages.
    Activity {
        #[command(subcommand)]
        command: ActivityCommand,
    },
    /// Lifecycle stages: recompute, a member's stage and history, overrides, slipping members.
    Lifecycle {
        #[command(subcommand)]
        command: lifecycle::LifecycleCommand,
    },
    /// The credit score (信用分): deductions with evidence, appeals, rules and tiers.
    Credit {
        #[command(subcommand)]
        command: credit::CreditCommand,
    },
    /// Badges: every badge, a member's (`--member`), award / revoke by hand, re-evaluate.
    Badges(rewards::BadgesArgs),
    /// The rewards catalogue (积分兑换), adding rewards, and past redemptions.
    Rewards(rewards::RewardsArgs),
    /// Spend a member's points on a reward (`--undo ID` takes a redemption back).
    Redeem(rewards::RedeemArgs),
    /// A member's points history; levels; leaderboards on/off and the invite claw-back window.
    Points(rewards::PointsArgs),
    /// Points earned in the last 7 or 30 days, or all time.
    Leaderboard {
        /// 7, 30 or all.
        #[arg(long, default_value = "30")]
        window: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The content calendar: list the plan, add, mark posted, export .ics/.csv, slots, gaps.
    Content {
        #[command(subcommand)]
        command: content::ContentCommand,
    },
    /// The channels content goes to (WeChat groups, 公众号, 微博, newsletter…).
    Channels {
        #[command(subcommand)]
        command: content::ChannelsCommand,
    },
    /// The knowledge library (知识沉淀): evergreen posts and FAQ answers to search and plan again.
    Library {
        #[command(subcommand)]
        command: library::LibraryCommand,
    },
    /// The community plan: positioning and goals measured from the data (`show`, `template`).
    Plan {
        #[command(subcommand)]
        command: campaigns::PlanCommand,
    },
    /// Campaigns toward the plan: list, show, report (PDF).
    Campaigns {
        #[command(subcommand)]
        command: campaigns::CampaignsCommand,
    },
    /// Campaign tasks by due day.
    Tasks(campaigns::TasksArgs),
    /// The dashboards' numbers (`--json`), the members behind one, `rebuild` of the rollups.
    Metrics(metrics::MetricsArgs),
    /// One of the dashboards' charts as SVG or PNG (growth, active, stages).
    Chart(metrics::ChartArgs),
    /// Reports as PDF: `report monthly --month YYYY-MM --out FILE.pdf`.
    Report(metrics::ReportArgs),
    /// Same as `hearth members import` (its older name).
    Import(files::ImportArgs),
    /// Same as `hearth members export` (its older name).
    Export(files::ExportArgs),
    /// Applied member imports: `list`, `show ID` (with every flagged value), `undo ID`.
    Imports {
        #[command(subcommand)]
        command: files::ImportsCommand,
    },
    /// Snapshots of the database: create, list, restore, verify (`hearth backup --help`).
    Backup {
        #[command(subcommand)]
        command: backup::BackupCommand,
    },
    /// Write everything (every table as JSON and CSV, with a manifest) to one zip archive.
    ExportAll {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Build the database of an empty --data-dir from an `export-all` archive.
    ImportAll {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check the database: integrity_check and foreign_key_check (exit 1 when broken).
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Measure the store on a fresh temporary database.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        members: u32,
        /// Repetitions per measurement.
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Measure import and export of a list of this many rows instead.
        #[arg(long, value_name = "ROWS")]
        files: Option<u32>,
        /// Measure the import benchmark instead: two GBK files of this many rows (the
        /// second half updates), preview, apply, undo and the next search, beside sqlite3's
        /// own `.import` of the same file.
        #[arg(long, value_name = "ROWS")]
        import: Option<u32>,
        /// Measure events instead: registrations, the door and printing for 1,000 registrants.
        #[arg(long)]
        events: bool,
        /// Measure the engagement engine instead, logging this many activities (then the
        /// dashboards over that data).
        #[arg(long, value_name = "ACTIVITIES")]
        engagement: Option<u32>,
        /// With --engagement: build the community in this empty folder and keep it (for
        /// --dashboards) instead of a temporary one.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
        /// Measure only the dashboards (tiles, leaderboards, charts, the monthly report) on the
        /// community in --data-dir, e.g. one kept by `--engagement N --keep DIR`.
        #[arg(long)]
        dashboards: bool,
        /// Measure snapshots, the start-up check and export-all on --members members with this
        /// many activities.
        #[arg(long, value_name = "ACTIVITIES")]
        snapshots: Option<u32>,
        /// Measure the content calendar instead: the month view over 50,000 items, .ics of
        /// 10,000, a year of weekly slots for 30 channels.
        #[arg(long)]
        content: bool,
    },
}

#[derive(Subcommand)]
enum ActivityCommand {
    /// Log one kind of activity for one or more members.
    Log {
        /// Repeat for several members.
        #[arg(long = "member", required = true)]
        members: Vec<i64>,
        /// checkin, spoke, answered, shared, invited, attended_event, hosted_event, volunteered.
        #[arg(long)]
        kind: String,
        /// RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The activity kinds with their points and daily caps.
    Kinds,
    /// Log that one member invited another (the points go back if the invitee leaves early).
    Invite {
        #[arg(long, value_name = "ID")]
        inviter: i64,
        #[arg(long, value_name = "ID")]
        invitee: i64,
        /// RFC 3339 (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Activities from a CSV/XLSX list (a daily 签到 sheet, a QQ group list's 最后发言 column):
    /// people are matched or created as by `hearth import`, then their activities logged.
    Import(files::ActivityImportArgs),
}

#[derive(Subcommand)]
enum MembersCommand {
    /// Import a member list (CSV/TSV/TXT in any encoding, XLSX/XLS/ODS, vCard); `--dry-run`
    /// plans every row and writes nothing. `--json` prints the batch id, the counts, every
    /// flagged value (`{line, field, value, reason}`) and the invalid rows.
    Import(files::ImportArgs),
    /// Export members to CSV, XLSX or vCard (by the file's extension).
    Export(files::ExportArgs),
    /// Members sorted by name (pinyin for Chinese names). Prints every member that matches,
    /// unless --offset/--limit ask for one page; the text form ends with "N of TOTAL members".
    List {
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
        /// Name, pinyin or initials, phone digits, email, WeChat ID, QQ or tag.
        #[arg(long)]
        search: Option<String>,
        /// Skip this many members first (in list order).
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// At most this many members (default: all of them).
        #[arg(long)]
        limit: Option<u32>,
        /// Only members of this saved segment.
        #[arg(long, value_name = "ID")]
        segment: Option<i64>,
        /// Only members carrying this tag (repeat for several: all must match).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long)]
        city: Option<String>,
        #[arg(long)]
        role: Option<String>,
        /// Only members at this lifecycle stage (new, active, loyal, core, dormant, churned;
        /// repeat for several).
        #[arg(long = "stage", value_name = "STAGE")]
        stages: Vec<String>,
        /// Only members with an activity on one of the last N days.
        #[arg(long, value_name = "DAYS")]
        active_within: Option<u32>,
        /// Only members with no activity in the last N days (never active included).
        #[arg(long, value_name = "DAYS")]
        quiet_for: Option<u32>,
    },
    /// Pairs of members who are probably the same person, with the reasons.
    Duplicates {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Merge member OTHER into member KEEP (`--json` prints the merge, whose id undoes it).
    Merge {
        keep: i64,
        other: i64,
        #[arg(long)]
        json: bool,
    },
    /// Undo merge ID (as long as neither member changed since).
    UndoMerge { merge: i64 },
    /// Erase every member in the trash for good, after a verified snapshot of the state before
    /// (older snapshots keep them until retention drops them, at most six months).
    EmptyTrash {
        #[arg(long)]
        json: bool,
    },
    /// Add one member.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        wechat: Option<String>,
        #[arg(long)]
        qq: Option<String>,
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// YYYY-MM-DD or RFC 3339.
        #[arg(long)]
        joined: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearth: {}", e.localized(&terminal_locale()));
            ExitCode::FAILURE
        }
    }
}

/// Rust ignores SIGPIPE, so a `println!` into a closed pipe (`hearth members list | head`)
/// panics. Back to the default, the process ends quietly when the reader goes away, as `cat`
/// does (status 141 in a shell).
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread starts; SIG_DFL is always a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

pub(crate) fn terminal_locale() -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

fn open(data_dir: Option<PathBuf>) -> Result<Ctx, Error> {
    open_dir(&data_dir.unwrap_or_else(paths::default_data_dir))
}

/// Opens as the app does (a quick check; a damaged file moved aside; a missing one with snapshots
/// refused; read-only when it cannot be written).
pub(crate) fn open_dir(dir: &std::path::Path) -> Result<Ctx, Error> {
    let ctx = opening::open(dir, clock()?, &StartChoice::Ask)?;
    if ctx.store.is_read_only() {
        eprintln!(
            "hearth: {} is read-only: nothing can be changed",
            ctx.store.path().display()
        );
        return Ok(ctx);
    }
    // Campaign tags whose last day has passed fall off, as they do when the app starts.
    members::expire_tags(&ctx)?;
    Ok(ctx)
}

/// The system clock, or the instant in `HEARTH_FIXED_NOW` (RFC 3339): tests that compare whole
/// databases across runs (the crash test) need every stamp to be the same.
pub(crate) fn clock() -> Result<Arc<dyn hearth_core::Clock>, Error> {
    match std::env::var("HEARTH_FIXED_NOW") {
        Ok(at) if !at.is_empty() => {
            let at = chrono::DateTime::parse_from_rfc3339(&at).map_err(|e| {
                Error::new(
                    hearth_core::ErrorCode::InvalidDate,
                    format!("HEARTH_FIXED_NOW {at}: {e}"),
                )
                .with_param("value", &at)
            })?;
            Ok(Arc::new(hearth_core::FixedClock(
                at.with_timezone(&chrono::Utc),
            )))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Bench {
            files: Some(rows), ..
        } => bench::run_files(rows),
        Command::Bench {
            import: Some(rows), ..
        } => bench_import::run(rows),
        Command::Bench {
            members,
            snapshots: Some(activities),
            ..
        } => bench::run_snapshots(members, activities),
        Command::Bench {
            members,
            runs,
            events: true,
            ..
        } => bench::run_events(members, runs),
        Command::Bench {
            members,
            runs,
            engagement: Some(activities),
            keep,
            ..
        } => bench::run_engagement(members, activities, runs, keep.as_deref()),
        Command::Bench {
            runs,
            dashboards: true,
            ..
        } => bench::run_dashboards(&open(cli.data_dir)?, runs),
        Command::Bench {
            runs,
            content: true,
            ..
        } => bench::run_content(runs),
        Command::Bench { members, runs, .. } => bench::run(members, runs),
        Command::Backup { command } => backup::run(
            &cli.data_dir.unwrap_or_else(paths::default_data_dir),
            command,
        ),
        Command::ExportAll { file, json } => backup::export_all(&open(cli.data_dir)?, &file, json),
        Command::ImportAll { file, json } => {
            let Some(dir) = cli.data_dir else {
                return Err(Error::new(
                    hearth_core::ErrorCode::InvalidInput,
                    "import-all needs --data-dir EMPTY_DIR (it never writes into the default folder)",
                )
                .with_field("data_dir"));
            };
            backup::import_all(&dir, &file, json)
        }
        Command::Check { json } => backup::check(&open(cli.data_dir)?, json),
        Command::Content { command } => content::run(&open(cli.data_dir)?, command),
        Command::Channels { command } => content::channels(&open(cli.data_dir)?, command),
        Command::Library { command } => library::run(&open(cli.data_dir)?, command),
        Command::Plan { command } => campaigns::plan(&open(cli.data_dir)?, command),
        Command::Campaigns { command } => campaigns::run(&open(cli.data_dir)?, command),
        Command::Tasks(args) => campaigns::tasks(&open(cli.data_dir)?, args),
        Command::Segments(args) => segments::run(&open(cli.data_dir)?, args),
        Command::Metrics(args) => metrics::run(&open(cli.data_dir)?, args),
        Command::Chart(args) => metrics::chart(&open(cli.data_dir)?, args),
        Command::Report(args) => metrics::report(&open(cli.data_dir)?, args),
        Command::Events { command } => events::run(&open(cli.data_dir)?, command),
        Command::Lifecycle { command } => lifecycle::run(&open(cli.data_dir)?, command),
        Command::Credit { command } => credit::run(&open(cli.data_dir)?, command),
        Command::Badges(args) => rewards::badges(&open(cli.data_dir)?, args),
        Command::Rewards(args) => rewards::rewards(&open(cli.data_dir)?, args),
        Command::Redeem(args) => rewards::redeem(&open(cli.data_dir)?, args),
        Command::Points(args) => rewards::points(&open(cli.data_dir)?, args),
        Command::Activity { command } => {
            let ctx = open(cli.data_dir)?;
            match command {
                ActivityCommand::Log {
                    members,
                    kind,
                    at,
                    note,
                } => {
                    let out = engagement::log(
                        &ctx,
                        engagement::LogActivities {
                            member_ids: members,
                            kind,
                            occurred_at: at,
                            note,
                        },
                    )?;
                    println!(
                        "Logged {} activities: +{} points ({} over the daily cap)",
                        out.activity_ids.len(),
                        out.points,
                        out.capped
                    );
                }
                ActivityCommand::Import(args) => files::import_activities(&ctx, args)?,
                ActivityCommand::Invite {
                    inviter,
                    invitee,
                    at,
                    note,
                } => rewards::invite(&ctx, inviter, invitee, at, note)?,
                ActivityCommand::Kinds => {
                    for k in engagement::kinds(&ctx)? {
                        let cap = k.daily_cap.map_or("-".to_owned(), |c| c.to_string());
                        println!(
                            "{:<16} {:>4} pts  cap/day {:>3}  {} / {}",
                            k.key, k.points, cap, k.name_zh, k.name_en
                        );
                    }
                }
            }
            Ok(())
        }
        Command::Leaderboard {
            window,
            limit,
            json,
        } => {
            let ctx = open(cli.data_dir)?;
            let window = match window.as_str() {
                "7" => engagement::Window::Days7,
                "30" => engagement::Window::Days30,
                "all" => engagement::Window::AllTime,
                other => {
                    return Err(Error::new(
                        hearth_core::ErrorCode::InvalidInput,
                        format!("--window is 7, 30 or all, not {other}"),
                    )
                    .with_field("window"))
                }
            };
            let board = engagement::leaderboard(&ctx, window, limit)?;
            if json {
                print_json(&board);
            } else {
                for s in &board {
                    println!(
                        "{:>3}. {} {:>6}",
                        s.rank,
                        padded(&s.display_name, 20),
                        s.points
                    );
                }
            }
            Ok(())
        }
        Command::Import(args) => files::import(&open(cli.data_dir)?, args),
        Command::Imports { command } => files::imports(&open(cli.data_dir)?, command),
        Command::Export(args) => files::export(&open(cli.data_dir)?, args),
        Command::Demo { members, seed } => {
            let ctx = open(cli.data_dir)?;
            let out = demo::load(&ctx, LoadDemo { members, seed })?;
            println!(
                "Added {} demo members to {}",
                out.created,
                ctx.store.path().display()
            );
            Ok(())
        }
        Command::Members { command } => {
            let ctx = open(cli.data_dir)?;
            match command {
                MembersCommand::Import(args) => files::import(&ctx, args),
                MembersCommand::Export(args) => files::export(&ctx, args),
                MembersCommand::List {
                    json,
                    search,
                    offset,
                    limit,
                    segment,
                    tags,
                    city,
                    role,
                    stages,
                    active_within,
                    quiet_for,
                } => {
                    let filter = MemberFilter {
                        tags_all: tags,
                        cities: city.into_iter().collect(),
                        roles: role.into_iter().collect(),
                        ..Default::default()
                    };
                    let filter =
                        segments::engagement_filter(filter, &stages, active_within, quiet_for)?;
                    list(&ctx, json, search, (offset, limit), segment, filter)
                }
                MembersCommand::Merge { keep, other, json } => {
                    let out = members::merge(
                        &ctx,
                        members::MergeMembers {
                            keep_id: keep,
                            merge_id: other,
                            take_from_merged: Vec::new(),
                        },
                    )?;
                    if json {
                        print_json(&out);
                    } else {
                        println!("Merged #{other} into #{keep} (merge {})", out.merge);
                    }
                    Ok(())
                }
                MembersCommand::UndoMerge { merge } => {
                    let out = members::undo_merge(&ctx, members::UndoMerge { merge })?;
                    println!("Undid merge {merge}: #{} is back", out.merged_id);
                    Ok(())
                }
                MembersCommand::EmptyTrash { json } => {
                    let out = members::empty_trash(&ctx)?;
                    if json {
                        print_json(&out);
                    } else if let Some(snapshot) = &out.snapshot {
                        println!(
                            "Erased {} members from the trash; snapshot {} holds the state before",
                            out.erased, snapshot.id
                        );
                    } else {
                        println!("The trash is empty");
                    }
                    Ok(())
                }
                MembersCommand::Duplicates { json, limit } => {
                    let report =
                        members::find_duplicates(&ctx, FindDuplicates { limit: Some(limit) })?;
                    if json {
                        print_json(&report.pairs);
                    } else {
                        for p in &report.pairs {
                            println!(
                                "{:>3}  #{} {}  ⇄  #{} {}  ({:?})",
                                p.score,
                                p.a.id,
                                p.a.display_name,
                                p.b.id,
                                p.b.display_name,
                                p.reasons
                            );
                        }
                        println!("{} of {} pairs", report.pairs.len(), report.total);
                    }
                    Ok(())
                }
                MembersCommand::Add {
                    name,
                    phone,
                    email,
                    wechat,
                    qq,
                    tags,
                    joined,
                    notes,
                    json,
                } => {
                    let identities = [
                        (IdentityKind::Phone, phone),
                        (IdentityKind::Email, email),
                        (IdentityKind::Wechat, wechat),
                        (IdentityKind::Qq, qq),
                    ]
                    .into_iter()
                    .filter_map(|(kind, value)| value.map(|value| Identity { kind, value }))
                    .collect();
                    let member = members::create(
                        &ctx,
                        MemberDraft {
                            display_name: name,
                            identities,
                            tags,
                            joined_at: joined,
                            notes,
                            ..Default::default()
                        },
                    )?;
                    if json {
                        print_json(&member);
                    } else {
                        println!("#{} {}", member.id, member.display_name);
                    }
                    Ok(())
                }
            }
        }
    }
}

/// Prints the members in list order from `offset`, `limit` of them or all, one page of
/// [`members::MAX_PAGE`] at a time (the JSON array is written as it goes).
fn list(
    ctx: &Ctx,
    json: bool,
    search: Option<String>,
    (offset, limit): (u32, Option<u32>),
    segment: Option<i64>,
    filter: MemberFilter,
) -> Result<(), Error> {
    let mut printed = 0u32;
    let mut total = 0u32;
    let mut out = std::io::stdout().lock();
    if json {
        write_out(&mut out, "[")?;
    }
    loop {
        let want = limit.map_or(members::MAX_PAGE, |l| {
            l.saturating_sub(printed).min(members::MAX_PAGE)
        });
        if want == 0 {
            break;
        }
        let page = members::list(
            ctx,
            ListMembers {
                search: search.clone(),
                sort: MemberSort::Name,
                descending: false,
                offset: offset.saturating_add(printed),
                limit: want,
                filter: Some(filter.clone()),
                segment,
            },
        )?;
        total = page.total;
        if json {
            // Each member with their points, level and lifecycle stage …
            let ids: Vec<i64> = page.members.iter().map(|m| m.id).collect();
            let engaged = engagement::of_members(ctx, &ids)?;
            // … and their credit score (信用分).
            let credit: std::collections::HashMap<i64, i64> =
                hearth_core::ops::credit::scores(ctx, &ids)?
                    .into_iter()
                    .map(|s| (s.member_id, s.score))
                    .collect();
            for (i, (m, e)) in page.members.iter().zip(engaged).enumerate() {
                let mut v = serde_json::to_value(m).expect("members serialise");
                v["points"] = e.points.into();
                v["level"] = e.level_zh.into();
                v["level_en"] = e.level_en.into();
                // The stored stage (or the manager's override), as the app shows it.
                v["stage"] = serde_json::to_value(e.stage).expect("stages serialise");
                v["stage_overridden"] = e.stage_overridden.into();
                v["opinion_leader"] = e.opinion_leader.into();
                v["active_days_30"] = e.active_days[1].into();
                v["credit"] = credit.get(&m.id).copied().unwrap_or_default().into();
                let sep = if printed == 0 && i == 0 { "\n" } else { ",\n" };
                write_out(
                    &mut out,
                    &format!(
                        "{sep}{}",
                        serde_json::to_string_pretty(&v).expect("JSON values serialise")
                    ),
                )?;
            }
        } else {
            for m in &page.members {
                let ids: Vec<&str> = m.identities.iter().map(|i| i.value.as_str()).collect();
                write_out(
                    &mut out,
                    &format!(
                        "#{:<7} {} {:<40} {}\n",
                        m.id,
                        padded(&m.display_name, 20),
                        ids.join(" "),
                        m.tags.join(",")
                    ),
                )?;
            }
        }
        let got = page.members.len() as u32;
        printed += got;
        if got < want {
            break;
        }
    }
    if json {
        write_out(&mut out, if printed == 0 { "]\n" } else { "\n]\n" })?;
    } else {
        write_out(
            &mut out,
            &format!("{printed} of {total} members (from position {offset})\n"),
        )?;
    }
    Ok(())
}

fn write_out(out: &mut impl std::io::Write, text: &str) -> Result<(), Error> {
    out.write_all(text.as_bytes())
        .map_err(|e| Error::new(hearth_core::ErrorCode::Io, e.to_string()))
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("domain types always serialise")
    );
}

/// `s` and then spaces up to `width` terminal columns, counting a CJK character as two, so Chinese
/// and English names line up in the command line's tables (`{:<20}` counts characters).
pub(crate) fn padded(s: &str, width: usize) -> String {
    let used: usize = s.chars().map(columns).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(used)))
}

/// Terminal columns of a character: two for the East Asian wide ranges, one otherwise.
fn columns(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::padded;

    #[test]
    fn names_are_padded_by_terminal_columns() {
        assert_eq!(padded("Tom Lee", 10), "Tom Lee   ");
        assert_eq!(padded("郑佳琪", 10), "郑佳琪    ");
        assert_eq!(padded("Ａ张", 6), "Ａ张  ");
        assert_eq!(padded("一个很长很长的名字", 6), "一个很长很长的名字");
    }
}
