//! `hearth lifecycle …`: lifecycle stages from a terminal — recompute them all now, a member's
//! stage with why and its history, the manager's override (with a reason) and clearing it, members
//! per stage, who is slipping, and the rules — the same operations as the desktop app.

use clap::{ArgGroup, Subcommand};
use hearth_core::ops::lifecycle::{self, MemberLifecycle, SetOverride, Slipping, Stage};
use hearth_core::{Ctx, Error, ErrorCode};

use crate::print_json;

#[derive(Subcommand)]
pub enum LifecycleCommand {
    /// Recompute every member's stage and opinion-leader flag now (the app does it daily).
    Recompute {
        #[arg(long)]
        json: bool,
    },
    /// A member's stage, what the rules give today, the override and the history.
    Show {
        #[arg(long)]
        member: i64,
        #[arg(long)]
        json: bool,
    },
    /// Set the member's stage by hand (a reason is required), or clear it with `--clear`.
    #[command(group(ArgGroup::new("what").required(true).args(["stage", "clear"])))]
    Override {
        #[arg(long)]
        member: i64,
        /// new, active, loyal, core, dormant or churned.
        #[arg(long)]
        stage: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
    /// Members per stage.
    Counts {
        #[arg(long)]
        json: bool,
    },
    /// Active, loyal and core members quiet for more than `--days` days, most valuable first.
    Slipping {
        #[arg(long, default_value_t = 14)]
        days: u32,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The rules: milestones, hold, weights per activity kind.
    Rules {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, command: LifecycleCommand) -> Result<(), Error> {
    match command {
        LifecycleCommand::Recompute { json } => {
            let report = lifecycle::recompute(ctx)?;
            if json {
                print_json(&report);
            } else {
                println!(
                    "Recomputed {} members from {} activities for {} in {} ms: {} promoted, {} demoted, {} rows written",
                    report.members,
                    report.activities,
                    report.day,
                    report.elapsed_ms,
                    report.promoted,
                    report.demoted,
                    report.written
                );
            }
        }
        LifecycleCommand::Show { member, json } => {
            let shown = lifecycle::show(ctx, member)?;
            if json {
                print_json(&shown);
            } else {
                print_member(&shown);
            }
        }
        LifecycleCommand::Override {
            member,
            stage,
            reason,
            clear,
            json,
        } => {
            let stage = match (stage, clear) {
                (_, true) => None,
                (Some(s), false) => Some(parse_stage(&s)?),
                (None, false) => None,
            };
            let shown = lifecycle::set_override(
                ctx,
                SetOverride {
                    member_id: member,
                    stage,
                    reason,
                },
            )?;
            if json {
                print_json(&shown);
            } else {
                print_member(&shown);
            }
        }
        LifecycleCommand::Counts { json } => {
            let c = lifecycle::counts(ctx)?;
            if json {
                print_json(&c);
            } else {
                for (name, n) in [
                    ("new", c.new),
                    ("active", c.active),
                    ("loyal", c.loyal),
                    ("core", c.core),
                    ("dormant", c.dormant),
                    ("churned", c.churned),
                ] {
                    println!("{name:<8} {n:>8}");
                }
                println!(
                    "opinion leaders {}, overridden {}, last recompute {}",
                    c.opinion_leaders,
                    c.overridden,
                    c.computed_on.as_deref().unwrap_or("never")
                );
            }
        }
        LifecycleCommand::Slipping { days, limit, json } => {
            let list = lifecycle::slipping(ctx, Slipping { days, limit })?;
            if json {
                print_json(&list);
            } else {
                for s in &list {
                    println!(
                        "#{:<7} {} {:<7} last active {} ({} days)  {:>6} pts",
                        s.member_id,
                        crate::padded(&s.display_name, 20),
                        s.stage.as_str(),
                        s.last_active,
                        s.quiet_days,
                        s.points
                    );
                }
            }
        }
        LifecycleCommand::Rules { json } => {
            let r = lifecycle::rules(ctx)?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "active: {} days in 7 or {} in 30; loyal: {} in 30; core: {} in 30 and {} in 90",
                    r.active_week_days,
                    r.active_month_days,
                    r.loyal_month_days,
                    r.core_month_days,
                    r.core_quarter_days
                );
                println!(
                    "new: joined within {} days; dormant after {} quiet days, churned after {}; demotion after {} days",
                    r.new_days, r.dormant_after_days, r.churned_after_days, r.demotion_hold_days
                );
                println!(
                    "a day is active at weight {}; opinion leader: {} voice activities in {} days",
                    r.day_weight, r.leader_voices, r.leader_window_days
                );
                for k in &r.kinds {
                    println!(
                        "  {:<16} weight {:<4} {}",
                        k.key,
                        k.weight,
                        if k.voice { "voice" } else { "" }
                    );
                }
            }
        }
    }
    Ok(())
}

fn parse_stage(s: &str) -> Result<Stage, Error> {
    Stage::parse(s.trim()).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("--stage is new, active, loyal, core, dormant or churned, not {s}"),
        )
        .with_field("stage")
        .with_param("value", s)
    })
}

fn print_member(m: &MemberLifecycle) {
    let mut line = format!("#{} {}", m.member_id, m.stage.as_str());
    if let Some(o) = &m.override_ {
        line += &format!(
            " (set by hand: {}; the rules say {})",
            o.reason,
            m.stored_stage.as_str()
        );
    }
    if let Some(since) = &m.since {
        line += &format!(", since {since}");
    }
    println!("{line}");
    println!(
        "today alone: {}; active days 7/30/90: {}/{}/{}; last active {}",
        m.computed_stage.as_str(),
        m.active_days[0],
        m.active_days[1],
        m.active_days[2],
        m.last_active.as_deref().unwrap_or("never")
    );
    if let Some(day) = &m.demotes_on {
        println!("drops on {day} unless active again");
    }
    println!(
        "opinion leader: {}{} ({} voice activities lately)",
        if m.opinion_leader { "yes" } else { "no" },
        match m.opinion_leader_manual {
            Some(_) => format!(" (set by hand: {})", m.opinion_leader_reason),
            None => String::new(),
        },
        m.voices
    );
    for c in &m.history {
        let note = if c.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", c.note)
        };
        println!(
            "  {}  {} → {}  {:?}{note}",
            c.day,
            c.from_stage.as_str(),
            c.to_stage.as_str(),
            c.cause
        );
    }
}
