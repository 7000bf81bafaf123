//! `hearth credit …`: the credit score (信用分) from a terminal — a member's score and
//! deductions, deducting with evidence, appeals and their decisions, the rules and tiers, and
//! who needs action — the same operations as the desktop app.

use clap::{ArgGroup, Subcommand};
use hearth_core::ops::credit::{
    self, CreditEntry, DecideAppeal, Decision, Deduct, FileAppeal, Score,
};
use hearth_core::{Ctx, Error};

use crate::print_json;

#[derive(Subcommand)]
pub enum CreditCommand {
    /// A member's score, tier and deductions with their appeals.
    Show {
        #[arg(long)]
        member: i64,
        #[arg(long)]
        json: bool,
    },
    /// Deduct points under a rule, with evidence (required).
    Deduct {
        #[arg(long)]
        member: i64,
        /// spam, rule_break, no_show, custom, … (see `hearth credit rules`).
        #[arg(long)]
        rule: String,
        /// What happened: a quote, a screenshot's file name, who reported it.
        #[arg(long)]
        evidence: String,
        /// Required for rules without fixed points (custom); otherwise overrides the rule's.
        #[arg(long)]
        points: Option<i64>,
        /// Where it happened (channel id; default: the rule's channel).
        #[arg(long)]
        channel: Option<i64>,
        /// When it happened: RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Take a deduction back as a mistake (it never counted).
    Undo { entry_id: i64 },
    /// Appeals waiting for a decision, oldest first.
    Appeals {
        #[arg(long)]
        json: bool,
    },
    /// File an appeal against a deduction.
    Appeal {
        entry_id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Decide a pending appeal: overturning gives the points back at once.
    #[command(group(ArgGroup::new("decision").required(true).args(["overturn", "uphold"])))]
    Decide {
        appeal_id: i64,
        #[arg(long)]
        overturn: bool,
        #[arg(long)]
        uphold: bool,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// The starting score, deduction rules, tiers and channels.
    Rules {
        #[arg(long)]
        json: bool,
    },
    /// Members per tier, and who fell into a worse tier this week.
    Action {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, command: CreditCommand) -> Result<(), Error> {
    match command {
        CreditCommand::Show { member, json } => {
            let c = credit::of_member(ctx, member)?;
            if json {
                print_json(&c);
                return Ok(());
            }
            println!(
                "#{member}  信用分 credit {} / {}  {}",
                c.score,
                c.start_score,
                tier_text(&c.tier)
            );
            for e in &c.entries {
                print_entry(e);
            }
            if c.entries.is_empty() {
                println!("No deductions.");
            }
        }
        CreditCommand::Deduct {
            member,
            rule,
            evidence,
            points,
            channel,
            at,
            json,
        } => {
            let out = credit::deduct(
                ctx,
                Deduct {
                    member_id: member,
                    rule_key: rule,
                    points,
                    evidence,
                    channel_id: channel,
                    occurred_at: at,
                },
            )?;
            if json {
                print_json(&out);
            } else {
                println!(
                    "Deducted {} points (entry #{}): {}",
                    out.entry.points,
                    out.entry.id,
                    score_text(&out.score)
                );
            }
        }
        CreditCommand::Undo { entry_id } => {
            let score = credit::undo_deduct(ctx, entry_id)?;
            println!("Deduction #{entry_id} taken back: {}", score_text(&score));
        }
        CreditCommand::Appeals { json } => {
            let pending = credit::pending_appeals(ctx)?;
            if json {
                print_json(&pending);
                return Ok(());
            }
            for p in &pending {
                println!(
                    "appeal #{:<5} {}  #{} {}  −{} {} / {}  “{}”",
                    p.appeal.id,
                    p.appeal.filed_at,
                    p.member_id,
                    p.member_name,
                    p.entry.points,
                    p.entry.rule_zh,
                    p.entry.rule_en,
                    p.appeal.reason
                );
            }
            println!("{} pending", pending.len());
        }
        CreditCommand::Appeal {
            entry_id,
            reason,
            json,
        } => {
            let appeal = credit::file_appeal(ctx, FileAppeal { entry_id, reason })?;
            if json {
                print_json(&appeal);
            } else {
                println!("Appeal #{} filed against deduction #{entry_id}", appeal.id);
            }
        }
        CreditCommand::Decide {
            appeal_id,
            overturn,
            note,
            json,
            ..
        } => {
            let decision = if overturn {
                Decision::Overturned
            } else {
                Decision::Upheld
            };
            let out = credit::decide_appeal(
                ctx,
                DecideAppeal {
                    appeal_id,
                    decision,
                    note,
                },
            )?;
            if json {
                print_json(&out);
            } else {
                let what = if overturn {
                    "overturned: the points are back"
                } else {
                    "upheld: the deduction stands"
                };
                println!("Appeal #{appeal_id} {what}. {}", score_text(&out.score));
            }
        }
        CreditCommand::Rules { json } => {
            let c = credit::config(ctx)?;
            if json {
                print_json(&c);
                return Ok(());
            }
            println!("Starting score {}", c.start_score);
            println!("Rules:");
            for r in &c.rules {
                let points = r.points.map_or("ask".to_owned(), |p| format!("−{p}"));
                let expiry = r
                    .expiry_days
                    .map_or("never back".to_owned(), |d| format!("back after {d} d"));
                let retired = if r.active { "" } else { "  (retired)" };
                let channel = r
                    .channel_name
                    .as_deref()
                    .map(|c| format!("  [{c} {}]", r.rule_ref))
                    .unwrap_or_default();
                println!(
                    "  {:<12} {:>5}  {:<16} {} / {}{channel}{retired}",
                    r.key, points, expiry, r.name_zh, r.name_en
                );
            }
            println!("Tiers (score at or below):");
            for t in &c.tiers {
                println!(
                    "  ≤ {:<4} {} / {}  ({})",
                    t.threshold,
                    t.name_zh,
                    t.name_en,
                    t.action.as_str()
                );
            }
            if !c.channels.is_empty() {
                println!("Channels:");
                for ch in &c.channels {
                    println!(
                        "  #{:<4} {} ({}), 群规 {} characters",
                        ch.id,
                        ch.name,
                        ch.platform.as_str(),
                        ch.rules.chars().count()
                    );
                }
            }
        }
        CreditCommand::Action { json } => {
            let n = credit::needing_action(ctx)?;
            if json {
                print_json(&n);
                return Ok(());
            }
            for g in &n.tiers {
                println!(
                    "{} / {} (≤ {}, {}): {}",
                    g.tier.name_zh,
                    g.tier.name_en,
                    g.tier.threshold,
                    g.tier.action.as_str(),
                    g.count
                );
                for m in &g.members {
                    println!(
                        "  #{:<7} {} {:>4}",
                        m.member_id,
                        crate::padded(&m.display_name, 20),
                        m.score
                    );
                }
            }
            println!("Fell into a worse tier in the last {} days:", n.days);
            for c in &n.crossed {
                println!(
                    "  #{:<7} {} {:>4} → {:>4}  {}",
                    c.member_id,
                    crate::padded(&c.display_name, 20),
                    c.score_before,
                    c.score,
                    c.tier.name_zh
                );
            }
            println!("{} appeals pending", n.pending_appeals);
        }
    }
    Ok(())
}

fn tier_text(tier: &Option<credit::Tier>) -> String {
    tier.as_ref().map_or(String::new(), |t| {
        format!("[{} / {}: {}]", t.name_zh, t.name_en, t.action.as_str())
    })
}

fn score_text(s: &Score) -> String {
    format!(
        "score {} / {} {}",
        s.score,
        s.start_score,
        tier_text(&s.tier)
    )
}

fn print_entry(e: &CreditEntry) {
    let status = serde_json::to_value(e.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let expires = e
        .expires_at
        .as_deref()
        .map_or("never back".to_owned(), |x| format!("back {x}"));
    println!(
        "  #{:<5} {}  −{:<3} {} / {}  {status}, {expires}",
        e.id, e.occurred_at, e.points, e.rule_zh, e.rule_en
    );
    println!("         {}", e.evidence);
    for a in &e.appeals {
        println!(
            "         appeal #{} {:?} ({}): “{}” {}",
            a.id,
            a.status,
            a.decided_at.as_deref().unwrap_or(&a.filed_at),
            a.reason,
            a.decision_note
        );
    }
}
