//! `hearth badges …`, `hearth rewards …`, `hearth redeem …`, `hearth points …` and
//! `hearth activity invite`: badges and their awards, the rewards catalogue and redemptions, a
//! member's points history, levels and the engagement settings — the same operations as the
//! desktop app.

use clap::{Args, Subcommand};
use hearth_core::ops::invites::{self, Invite};
use hearth_core::ops::rewards::{
    self, AwardBadge, Criteria, EngagementSettingsPatch, Level, Redeem, RewardDraft,
};
use hearth_core::{Ctx, Error, ErrorCode};

use crate::print_json;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BadgesArgs {
    #[command(subcommand)]
    command: Option<BadgesCommand>,
    /// The badges this member holds (default: every badge with its rule and holders).
    #[arg(long, value_name = "ID")]
    member: Option<i64>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum BadgesCommand {
    /// Award a badge by hand (a reason is required).
    Award {
        #[arg(long, value_name = "ID")]
        member: i64,
        #[arg(long, value_name = "KEY")]
        badge: String,
        #[arg(long)]
        reason: String,
    },
    /// Take a badge away by hand (a reason is required); its rule will not give it back.
    Revoke {
        #[arg(long, value_name = "ID")]
        member: i64,
        #[arg(long, value_name = "KEY")]
        badge: String,
        #[arg(long)]
        reason: String,
    },
    /// Re-evaluate every automatic badge for every member.
    Evaluate,
}

pub fn badges(ctx: &Ctx, args: BadgesArgs) -> Result<(), Error> {
    match args.command {
        Some(BadgesCommand::Award {
            member,
            badge,
            reason,
        }) => {
            let held = rewards::award_badge(
                ctx,
                AwardBadge {
                    member_id: member,
                    badge_key: badge.clone(),
                    reason,
                },
            )?;
            println!("Awarded {badge} to #{member}; they now hold {}", held.len());
        }
        Some(BadgesCommand::Revoke {
            member,
            badge,
            reason,
        }) => {
            let held = rewards::revoke_badge(
                ctx,
                AwardBadge {
                    member_id: member,
                    badge_key: badge.clone(),
                    reason,
                },
            )?;
            println!("Took {badge} from #{member}; they now hold {}", held.len());
        }
        Some(BadgesCommand::Evaluate) => {
            let changes = rewards::evaluate_all(ctx)?;
            println!(
                "{} badges awarded, {} taken back",
                changes.awarded, changes.revoked
            );
        }
        None => match args.member {
            Some(member) => {
                let held = rewards::member_badges(ctx, member)?;
                if args.json {
                    print_json(&held);
                } else {
                    for b in &held {
                        let how = if b.auto {
                            "auto".to_owned()
                        } else {
                            format!("by hand: {}", b.note)
                        };
                        println!(
                            "{} {:<16} {} / {}  {}  ({how})",
                            b.icon, b.badge_key, b.name_zh, b.name_en, b.awarded_at
                        );
                    }
                    println!("{} badges", held.len());
                }
            }
            None => {
                let all = rewards::badges(ctx)?;
                if args.json {
                    print_json(&all);
                } else {
                    for b in &all {
                        println!(
                            "{} {:<16} {} {:<24} {:<28} {:>6} holders{}",
                            b.icon,
                            b.key,
                            crate::padded(&b.name_zh, 8),
                            b.name_en,
                            rule(&b.criteria),
                            b.holders,
                            if b.enabled { "" } else { "  (off)" }
                        );
                    }
                }
            }
        },
    }
    Ok(())
}

fn rule(c: &Criteria) -> String {
    match c {
        Criteria::Manual => "by hand".to_owned(),
        Criteria::KindCount { kind, n } => format!("{n} × {kind}"),
        Criteria::Points { n } => format!("{n} points earned"),
        Criteria::ActiveDays { n } => format!("{n} active days"),
    }
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RewardsArgs {
    #[command(subcommand)]
    command: Option<RewardsCommand>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum RewardsCommand {
    /// Add a reward to the catalogue.
    Add {
        /// Chinese name (保温杯).
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        name_en: String,
        /// Points it costs.
        #[arg(long)]
        cost: i64,
        /// How many there are (default: unlimited).
        #[arg(long)]
        stock: Option<i64>,
    },
    /// Redemptions, newest first.
    History {
        #[arg(long, value_name = "ID")]
        member: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

pub fn rewards(ctx: &Ctx, args: RewardsArgs) -> Result<(), Error> {
    match args.command {
        Some(RewardsCommand::Add {
            name,
            name_en,
            cost,
            stock,
        }) => {
            let r = rewards::save_reward(
                ctx,
                RewardDraft {
                    id: None,
                    name_zh: name,
                    name_en,
                    cost,
                    stock,
                    active: true,
                },
            )?;
            println!("#{} {} ({} points)", r.id, r.name_zh, r.cost);
        }
        Some(RewardsCommand::History { member, json }) => {
            let all = rewards::redemptions(ctx, member)?;
            if json {
                print_json(&all);
            } else {
                for x in &all {
                    println!(
                        "#{:<5} {}  #{} {} {} {:>6}{}",
                        x.id,
                        x.created_at,
                        x.member_id,
                        crate::padded(&x.member_name, 12),
                        crate::padded(&x.reward_name_zh, 16),
                        -x.cost,
                        if x.undone_at.is_some() {
                            "  (undone)"
                        } else {
                            ""
                        }
                    );
                }
            }
        }
        None => {
            let all = rewards::rewards(ctx)?;
            if args.json {
                print_json(&all);
            } else {
                for r in &all {
                    let stock = r
                        .stock
                        .map_or("unlimited".to_owned(), |s| format!("{s} left"));
                    println!(
                        "#{:<4} {} {:<20} {:>7} pts  {:<10} {:>4} redeemed{}",
                        r.id,
                        crate::padded(&r.name_zh, 16),
                        r.name_en,
                        r.cost,
                        stock,
                        r.redeemed,
                        if r.active { "" } else { "  (off)" }
                    );
                }
            }
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct RedeemArgs {
    #[arg(long, value_name = "ID", required_unless_present = "undo")]
    member: Option<i64>,
    #[arg(long, value_name = "ID", required_unless_present = "undo")]
    reward: Option<i64>,
    #[arg(long, default_value = "")]
    note: String,
    /// Undo this redemption instead (its points come back, the reward goes back in stock).
    #[arg(long, value_name = "REDEMPTION", conflicts_with_all = ["member", "reward"])]
    undo: Option<i64>,
    #[arg(long)]
    json: bool,
}

pub fn redeem(ctx: &Ctx, args: RedeemArgs) -> Result<(), Error> {
    let out = match (args.undo, args.member, args.reward) {
        (Some(id), _, _) => rewards::undo_redeem(ctx, id)?,
        (None, Some(member_id), Some(reward_id)) => rewards::redeem(
            ctx,
            Redeem {
                member_id,
                reward_id,
                note: args.note,
            },
        )?,
        _ => return Err(Error::required("member")),
    };
    if args.json {
        print_json(&out);
    } else {
        let verb = if args.undo.is_some() {
            "Undid"
        } else {
            "Recorded"
        };
        println!(
            "{verb} redemption #{}: balance {}",
            out.redemption_id, out.balance
        );
    }
    Ok(())
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PointsArgs {
    #[command(subcommand)]
    command: Option<PointsCommand>,
    /// This member's points history, newest first, with the balance after each row.
    #[arg(long, value_name = "ID")]
    member: Option<i64>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum PointsCommand {
    /// The levels; `--set 0:新手:Newcomer,50:活跃:Regular,…` replaces them all.
    Levels {
        #[arg(long, value_name = "LADDER")]
        set: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Leaderboards on/off and the invite claw-back window.
    Settings {
        /// on or off.
        #[arg(long)]
        leaderboards: Option<String>,
        /// An invitee leaving within this many days takes the invite points back (0: never).
        #[arg(long, value_name = "DAYS")]
        clawback_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

pub fn points(ctx: &Ctx, args: PointsArgs) -> Result<(), Error> {
    match args.command {
        Some(PointsCommand::Levels { set, json }) => {
            let levels = match set {
                Some(ladder) => rewards::save_levels(ctx, parse_ladder(&ladder)?)?,
                None => rewards::levels(ctx)?,
            };
            if json {
                print_json(&levels);
            } else {
                for l in &levels {
                    println!("{:>8}  {} / {}", l.threshold, l.name_zh, l.name_en);
                }
            }
        }
        Some(PointsCommand::Settings {
            leaderboards,
            clawback_days,
            json,
        }) => {
            let leaderboards_enabled = match leaderboards.as_deref() {
                None => None,
                Some("on") => Some(true),
                Some("off") => Some(false),
                Some(other) => {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!("--leaderboards is on or off, not {other}"),
                    )
                    .with_field("leaderboards"))
                }
            };
            let s = if leaderboards_enabled.is_none() && clawback_days.is_none() {
                rewards::engagement_settings(ctx)?
            } else {
                rewards::update_engagement_settings(
                    ctx,
                    EngagementSettingsPatch {
                        leaderboards_enabled,
                        invite_clawback_days: clawback_days,
                    },
                )?
            };
            if json {
                print_json(&s);
            } else {
                println!(
                    "leaderboards: {}\ninvite claw-back: {} days",
                    if s.leaderboards_enabled { "on" } else { "off" },
                    s.invite_clawback_days
                );
            }
        }
        None => {
            let Some(member) = args.member else {
                return Err(Error::required("member"));
            };
            let rows = rewards::points_history(ctx, member)?;
            if args.json {
                print_json(&rows);
            } else {
                for p in &rows {
                    let what = p
                        .kind_name_zh
                        .as_deref()
                        .or(p.reward_name_zh.as_deref())
                        .unwrap_or(&p.note);
                    println!(
                        "{}  {:>+6}  {:>7}  {:<14} {what}",
                        p.created_at, p.delta, p.balance, p.reason
                    );
                }
            }
        }
    }
    Ok(())
}

/// `0:新手:Newcomer,50:活跃:Regular` → levels (the English name may be left out).
fn parse_ladder(text: &str) -> Result<Vec<Level>, Error> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let mut bits = part.trim().splitn(3, ':');
            let threshold = bits.next().unwrap_or("").trim();
            let threshold = threshold.parse().map_err(|_| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("“{threshold}” is not a number of points"),
                )
                .with_field("level_threshold")
                .with_param("value", threshold)
            })?;
            Ok(Level {
                threshold,
                name_zh: bits.next().unwrap_or("").to_owned(),
                name_en: bits.next().unwrap_or("").to_owned(),
            })
        })
        .collect()
}

/// `hearth activity invite`.
pub fn invite(
    ctx: &Ctx,
    inviter_id: i64,
    invitee_id: i64,
    occurred_at: Option<String>,
    note: String,
) -> Result<(), Error> {
    let out = invites::invite(
        ctx,
        Invite {
            inviter_id,
            invitee_id,
            occurred_at,
            note,
        },
    )?;
    println!(
        "Logged invite #{} for #{inviter_id} (invited #{invitee_id}): +{} points",
        out.activity_id, out.points
    );
    Ok(())
}
