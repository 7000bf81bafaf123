//! `hearth segments …`: saved segments with live counts and who entered or left since the last
//! snapshot, and members added to a segment by hand — the same operations as the desktop app.
//! Also the `--stage` / `--active-within` / `--quiet-for` conditions of `hearth members list`.

use clap::{Args, Subcommand};
use hearth_core::domain::MemberFilter;
use hearth_core::ops::lifecycle::Stage;
use hearth_core::ops::segments::{self, SaveSegment, SegmentMembers};
use hearth_core::{Ctx, Error, ErrorCode};

use crate::print_json;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SegmentsArgs {
    #[command(subcommand)]
    command: Option<SegmentsCommand>,
    /// Print one JSON array.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum SegmentsCommand {
    /// Add members to a segment by hand: they are in it whatever its filter says.
    Add {
        /// The segment (see `hearth segments`).
        id: i64,
        /// Repeat for several members.
        #[arg(long = "member", value_name = "ID", required = true)]
        members: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Take members added by hand out of a segment (members its filter selects stay in it).
    Remove {
        id: i64,
        #[arg(long = "member", value_name = "ID", required = true)]
        members: Vec<i64>,
    },
    /// A new hand-picked segment holding just these members.
    New {
        name: String,
        #[arg(long = "member", value_name = "ID", required = true)]
        members: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, args: SegmentsArgs) -> Result<(), Error> {
    match args.command {
        None => list(ctx, args.json),
        Some(SegmentsCommand::Add { id, members, json }) => {
            let asked = members.len();
            let out = segments::add_to_segment(
                ctx,
                SegmentMembers {
                    segment_id: id,
                    member_ids: members,
                },
            )?;
            if json {
                print_json(&out);
            } else {
                let skipped = asked - out.added.len();
                println!(
                    "Added {} to {} (#{}){}",
                    out.added.len(),
                    out.name,
                    out.segment_id,
                    if skipped > 0 {
                        format!("; {skipped} already in it by hand or not live members")
                    } else {
                        String::new()
                    }
                );
            }
            Ok(())
        }
        Some(SegmentsCommand::Remove { id, members }) => {
            let n = segments::remove_from_segment(
                ctx,
                SegmentMembers {
                    segment_id: id,
                    member_ids: members,
                },
            )?;
            println!("Took {n} out of segment #{id}");
            Ok(())
        }
        Some(SegmentsCommand::New {
            name,
            members,
            json,
        }) => {
            let segment = segments::save(
                ctx,
                SaveSegment {
                    name,
                    members,
                    ..Default::default()
                },
            )?;
            if json {
                print_json(&segment);
            } else {
                println!(
                    "#{} {}: {} members",
                    segment.id, segment.name, segment.count
                );
            }
            Ok(())
        }
    }
}

fn list(ctx: &Ctx, json: bool) -> Result<(), Error> {
    let all = segments::list(ctx)?;
    if json {
        print_json(&all);
        return Ok(());
    }
    for s in &all {
        let movement = match &s.since {
            Some(since) => format!(
                "+{} −{} since {since}",
                s.entered.unwrap_or(0),
                s.left.unwrap_or(0)
            ),
            None => "first snapshot today".to_owned(),
        };
        let picked = if s.hand_picked > 0 {
            format!(" ({} by hand)", s.hand_picked)
        } else {
            String::new()
        };
        println!(
            "#{:<4} {} {:>7} members{picked}  {movement}",
            s.id,
            crate::padded(&s.name, 24),
            s.count
        );
    }
    Ok(())
}

/// Adds `hearth members list`'s engagement conditions to its filter.
pub fn engagement_filter(
    mut filter: MemberFilter,
    stages: &[String],
    active_within: Option<u32>,
    quiet_for: Option<u32>,
) -> Result<MemberFilter, Error> {
    for s in stages {
        let stage = Stage::parse(s.trim()).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("--stage is new, active, loyal, core, dormant or churned, not {s}"),
            )
            .with_field("stage")
        })?;
        filter.stages.push(stage);
    }
    filter.active_within_days = active_within;
    filter.quiet_for_days = quiet_for;
    Ok(filter)
}
