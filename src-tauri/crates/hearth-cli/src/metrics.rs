//! `hearth metrics …`: the dashboards' numbers for a date range (every tile, `--json` for
//! scripts), the members behind one of them, `rebuild` of the rollups they are read from, and
//! `hearth chart` (one chart as SVG or PNG).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use hearth_core::domain::{Drill, Metrics};
use hearth_core::ops::dashboard::{self, ChartRequest, MetricsQuery};
use hearth_core::print::chart::ChartTheme;
use hearth_core::print::{CjkFont, PrintLang};
use hearth_core::{Ctx, Error, ErrorCode};

use crate::print_json;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MetricsArgs {
    #[command(subcommand)]
    command: Option<MetricsCommand>,
    /// First local day, YYYY-MM-DD (default: 29 days before --to).
    #[arg(long)]
    from: Option<String>,
    /// Last local day, YYYY-MM-DD (default: today).
    #[arg(long)]
    to: Option<String>,
    /// Also the key numbers of the period of the same length just before.
    #[arg(long)]
    compare: bool,
    /// Only the members of this saved segment (`hearth segments` lists them) in every
    /// member-based tile.
    #[arg(long, value_name = "ID")]
    segment: Option<i64>,
    /// Only this content channel in the content tile (`hearth channels list`).
    #[arg(long, value_name = "ID")]
    channel: Option<i64>,
    /// Print every tile as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum MetricsCommand {
    /// Recompute the rollups (member_days, daily_totals) from the activities ledger; says how
    /// many rows were off.
    Rebuild {
        #[arg(long)]
        json: bool,
    },
    /// The ids of the members behind a number, e.g. `'{"kind":"active","from":"2026-11-01",
    /// "to":"2026-11-30"}'` (kinds: new, left, active, cohort, registered, attended, no_show,
    /// stage, moved, deducted).
    Members {
        drill: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, args: MetricsArgs) -> Result<(), Error> {
    match args.command {
        Some(MetricsCommand::Rebuild { json }) => {
            let out = dashboard::rebuild(ctx)?;
            if json {
                print_json(&out);
            } else {
                println!(
                    "Rebuilt the rollups: {} member-days over {} days ({} rows were off)",
                    out.member_days, out.days, out.rows_off
                );
            }
            Ok(())
        }
        Some(MetricsCommand::Members { drill, json }) => {
            let drill: Drill = serde_json::from_str(&drill).map_err(|e| {
                Error::new(ErrorCode::InvalidInput, format!("not a drill: {e}")).with_field("drill")
            })?;
            let ids = dashboard::members_behind(ctx, drill)?;
            if json {
                print_json(&ids);
            } else {
                for id in &ids {
                    println!("{id}");
                }
                println!("{} members", ids.len());
            }
            Ok(())
        }
        None => {
            let m = dashboard::metrics(
                ctx,
                MetricsQuery {
                    from: args.from,
                    to: args.to,
                    compare: args.compare,
                    segment: args.segment,
                    channel: args.channel,
                },
            )?;
            if args.json {
                print_json(&m);
            } else {
                print_text(&m);
            }
            Ok(())
        }
    }
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

fn print_text(m: &Metrics) {
    let g = &m.growth;
    let a = &m.activity;
    println!("{} – {}", m.from, m.to);
    println!(
        "members        {} → {} (new {}, left {}, net {:+})",
        g.members_start, g.members_end, g.new, g.left, g.net
    );
    println!(
        "active         DAU {}  WAU {}  MAU {}  stickiness {:.1}%  ({} in the range, {} activities, {:.2} per active day)",
        a.dau,
        a.wau,
        a.mau,
        a.stickiness * 100.0,
        a.active,
        a.activities,
        a.per_active_day
    );
    let stages: Vec<String> = m
        .lifecycle
        .stages
        .iter()
        .map(|s| format!("{} {}", s.stage.as_str(), s.members))
        .collect();
    println!("stages         {}", stages.join("  "));
    let e = &m.events;
    println!(
        "events         {} held, {} registered, {} came, attendance {}, no-show {}",
        e.held,
        e.registered,
        e.attended,
        percent(e.attendance_rate),
        percent(e.no_show_rate)
    );
    let p = &m.points;
    println!(
        "points         {} issued ({} from activities, {} granted); credit −{} in {} deductions",
        p.issued, p.from_activities, p.granted, p.credit_deducted, p.credit_entries
    );
    for c in &m.cohorts {
        let cells: Vec<String> = c
            .active
            .iter()
            .map(|n| {
                if c.size == 0 {
                    "—".to_owned()
                } else {
                    format!("{:.0}%", f64::from(*n) * 100.0 / f64::from(c.size))
                }
            })
            .collect();
        println!(
            "cohort {}   {} joined: {}",
            c.month,
            c.size,
            cells.join(" ")
        );
    }
    for c in &m.content {
        println!(
            "content        {} planned {}, published {} #{}",
            crate::padded(&c.name, 16),
            c.planned,
            c.published,
            c.channel_id
        );
    }
    for (i, t) in m.top.iter().enumerate() {
        println!(
            "top {:>2}         {} {} points ({} activities) #{}",
            i + 1,
            crate::padded(&t.display_name, 16),
            t.points,
            t.activities,
            t.member_id
        );
    }
    if let Some(p) = &m.previous {
        println!(
            "previous       {} – {}: new {}, left {}, active {}, activities {}, points {}",
            p.from, p.to, p.new, p.left, p.active, p.activities, p.points_issued
        );
    }
}

/// `hearth chart NAME --out FILE.svg`.
#[derive(Args)]
pub struct ChartArgs {
    /// growth (new and left per week), active (DAU per day) or stages (members per stage).
    name: String,
    /// Where to write the chart: FILE.svg, or FILE.png (the same SVG rendered at twice its
    /// size).
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    /// Dark palette (for a dark page).
    #[arg(long)]
    dark: bool,
    /// zh or en (default: the terminal's language).
    #[arg(long)]
    lang: Option<String>,
    /// Only the members of this saved segment.
    #[arg(long, value_name = "ID")]
    segment: Option<i64>,
}

pub(crate) fn lang_of(arg: Option<&str>) -> Result<PrintLang, Error> {
    match arg {
        Some("zh") => Ok(PrintLang::Zh),
        Some("en") => Ok(PrintLang::En),
        Some(other) => Err(Error::new(
            ErrorCode::InvalidInput,
            format!("--lang is zh or en, not “{other}”"),
        )
        .with_field("lang")),
        None => Ok(if crate::terminal_locale().starts_with("zh") {
            PrintLang::Zh
        } else {
            PrintLang::En
        }),
    }
}

pub fn chart(ctx: &Ctx, args: ChartArgs) -> Result<(), Error> {
    let explicit = std::env::var_os("HEARTH_CJK_FONT").map(PathBuf::from);
    let font = CjkFont::locate(explicit.as_deref())?;
    let drawn = dashboard::export_chart(
        ctx,
        &ChartRequest {
            name: args.name,
            from: args.from,
            to: args.to,
            theme: if args.dark {
                ChartTheme::Dark
            } else {
                ChartTheme::Light
            },
            lang: lang_of(args.lang.as_deref())?,
            segment: args.segment,
        },
        &font,
        &args.out,
    )?;
    println!("Wrote {} ({})", args.out.display(), drawn.title);
    Ok(())
}

/// `hearth report monthly --month YYYY-MM --out FILE.pdf [--lang zh|en]`.
#[derive(Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: ReportCommand,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The monthly community report: key numbers against the month before, the charts, a table.
    Monthly {
        /// YYYY-MM.
        #[arg(long)]
        month: String,
        #[arg(long)]
        out: PathBuf,
        /// zh or en (default: the terminal's language).
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn report(ctx: &Ctx, args: ReportArgs) -> Result<(), Error> {
    let ReportCommand::Monthly {
        month,
        out,
        lang,
        json,
    } = args.command;
    let explicit = std::env::var_os("HEARTH_CJK_FONT").map(PathBuf::from);
    let font = CjkFont::locate(explicit.as_deref())?;
    let done = dashboard::monthly_report(ctx, &month, lang_of(lang.as_deref())?, &font, &out)?;
    if json {
        print_json(&done);
    } else {
        println!(
            "Wrote {} ({} – {}, {} bytes)",
            done.path, done.from, done.to, done.bytes
        );
    }
    Ok(())
}
