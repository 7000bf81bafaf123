//! `hearth plan …`, `hearth campaigns …`, `hearth tasks …`: the community plan with its goals
//! measured from the data, campaigns, their tasks, and the campaign report — the same operations
//! as the desktop app.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use hearth_core::domain::{GoalProgress, GoalStatus, TaskOwner};
use hearth_core::ops::campaigns::{self, report, PlanTemplate};
use hearth_core::print::{CjkFont, PrintLang};
use hearth_core::{Ctx, Error, ErrorCode};

use crate::{padded, print_json};

#[derive(Subcommand)]
pub enum PlanCommand {
    /// The positioning and every goal with its value today, forecast and status.
    Show {
        #[arg(long)]
        json: bool,
        /// List the members behind this goal's value instead (one id a line, or a JSON array).
        #[arg(long, value_name = "GOAL")]
        members_of: Option<i64>,
    },
    /// Add a built-in plan's goals (goals on a metric the plan already has are kept).
    Template {
        /// classic: ×2 members in 12 months, ≥ 1 interaction per active member a day,
        /// ≥ 3 opinion leaders, 90-day retention ≥ 40 %.
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum CampaignsCommand {
    /// Every campaign, running first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One campaign: KPIs, tasks, partners, budget, retrospective.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// The campaign report as a PDF (set HEARTH_CJK_FONT to choose the font).
    Report {
        id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "zh")]
        lang: LangArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Args)]
pub struct TasksArgs {
    #[command(subcommand)]
    command: TasksCommand,
}

#[derive(Subcommand)]
enum TasksCommand {
    /// Tasks of every campaign by due day; with --due-before, only open ones due by then.
    List {
        #[arg(long)]
        json: bool,
        /// YYYY-MM-DD (inclusive).
        #[arg(long, value_name = "DATE")]
        due_before: Option<String>,
    },
}

fn status(s: GoalStatus) -> &'static str {
    match s {
        GoalStatus::OnTrack => "on track",
        GoalStatus::AtRisk => "at risk",
        GoalStatus::OffTrack => "off track",
    }
}

fn goal_line(g: &GoalProgress) {
    let name = if g.goal.label.is_empty() {
        report::metric_name(g.goal.metric, PrintLang::En).to_owned()
    } else {
        g.goal.label.clone()
    };
    let opt = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), report::number);
    println!(
        "#{:<4} {} now {:>8}  target {:>8}  forecast {:>8}  due {}  {} ({})",
        g.goal.id,
        padded(&name, 38),
        opt(g.current),
        report::number(g.goal.target),
        opt(g.forecast),
        g.goal.due_on,
        status(g.status),
        g.reason
    );
}

pub fn plan(ctx: &Ctx, command: PlanCommand) -> Result<(), Error> {
    match command {
        PlanCommand::Show {
            json,
            members_of: Some(goal),
        } => {
            let ids = campaigns::goal_members(ctx, goal)?;
            if json {
                print_json(&ids);
            } else {
                for id in ids {
                    println!("{id}");
                }
            }
        }
        PlanCommand::Show { json, .. } => {
            let plan = campaigns::plan(ctx)?;
            if json {
                print_json(&plan);
            } else {
                let p = &plan.positioning;
                println!("Plan on {}", plan.day);
                for (what, value) in [
                    ("For", &p.audience),
                    ("Core value", &p.core_value),
                    ("Tone", &p.tone),
                    ("群规", &p.rules_link),
                ] {
                    if !value.is_empty() {
                        println!("  {what}: {value}");
                    }
                }
                if plan.goals.is_empty() {
                    println!("No goals yet: `hearth plan template classic` adds the classic four.");
                }
                for g in &plan.goals {
                    goal_line(g);
                }
            }
        }
        PlanCommand::Template { name, json } => {
            let template = PlanTemplate::from_key(&name).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("there is no plan template “{name}” (try classic)"),
                )
                .with_field("template")
            })?;
            let plan = campaigns::apply_plan_template(ctx, template)?;
            if json {
                print_json(&plan);
            } else {
                for g in &plan.goals {
                    goal_line(g);
                }
            }
        }
    }
    Ok(())
}

fn owner(o: &TaskOwner) -> String {
    match o {
        TaskOwner::Manager => "manager".to_owned(),
        TaskOwner::Member { name, .. } | TaskOwner::Partner { name, .. } => name.clone(),
    }
}

pub fn run(ctx: &Ctx, command: CampaignsCommand) -> Result<(), Error> {
    match command {
        CampaignsCommand::List { json } => {
            let list = campaigns::list(ctx)?;
            if json {
                print_json(&list);
            } else {
                for c in &list {
                    println!(
                        "#{:<4} {} {} – {}  {:?}  tasks open {} (overdue {}), done {}",
                        c.id,
                        padded(&c.name, 30),
                        c.starts_on,
                        c.ends_on,
                        c.status,
                        c.tasks_open,
                        c.tasks_overdue,
                        c.tasks_done
                    );
                }
            }
        }
        CampaignsCommand::Show { id, json } => {
            let c = campaigns::get(ctx, id)?;
            if json {
                print_json(&c);
            } else {
                let s = &c.summary;
                println!(
                    "{} ({:?}) {} – {}",
                    s.name, s.status, s.starts_on, s.ends_on
                );
                if !s.goal.is_empty() {
                    println!("  {}", s.goal);
                }
                for g in &c.goals {
                    goal_line(g);
                }
                for t in &c.tasks {
                    println!(
                        "  [{}] {} {}  ({})",
                        if t.status == hearth_core::domain::TaskStatus::Done {
                            "x"
                        } else {
                            " "
                        },
                        t.due_on,
                        t.title,
                        owner(&t.owner)
                    );
                }
                for total in &c.budget.totals {
                    println!(
                        "  budget {} planned {} actual {} funded {}",
                        total.currency,
                        campaigns::yuan(total.planned_fen),
                        campaigns::yuan(total.actual_fen),
                        campaigns::yuan(total.funded_fen)
                    );
                }
            }
        }
        CampaignsCommand::Report { id, out, lang } => {
            let explicit = std::env::var_os("HEARTH_CJK_FONT").map(PathBuf::from);
            let font = CjkFont::locate(explicit.as_deref())?;
            let lang = match lang {
                LangArg::Zh => PrintLang::Zh,
                LangArg::En => PrintLang::En,
            };
            let done = report::render(ctx, id, lang, &font, &out)?;
            println!("Wrote {} ({} bytes)", done.path, done.bytes);
        }
    }
    Ok(())
}

pub fn tasks(ctx: &Ctx, args: TasksArgs) -> Result<(), Error> {
    let TasksCommand::List { json, due_before } = args.command;
    let list = campaigns::tasks(ctx, due_before.as_deref())?;
    if json {
        print_json(&list);
    } else {
        for t in &list {
            println!(
                "#{:<5} {} {:?}  {}  · {} · {}",
                t.id,
                t.due_on,
                t.status,
                padded(&t.title, 30),
                t.campaign_name,
                owner(&t.owner)
            );
        }
    }
    Ok(())
}
