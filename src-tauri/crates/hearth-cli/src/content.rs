//! `hearth content …` and `hearth channels …`: the content calendar from a terminal — list the
//! plan, add an item, mark one posted, export the plan as .ics or .csv, recurring slots, gaps.

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use hearth_core::domain::{
    ChannelDraft, ChannelKind, ContentDraft, ContentItem, ContentStatus, Recurrence, SlotDraft,
};
use hearth_core::ops::content::export::{self, ExportContent};
use hearth_core::ops::content::{self, slots, ContentQuery, MarkPosted, MoveItem};
use hearth_core::{Ctx, Error, ErrorCode};

#[derive(Subcommand)]
pub enum ContentCommand {
    /// The plan, earliest first (days in the community's zone, Asia/Shanghai); without dates,
    /// everything including unscheduled ideas.
    List {
        #[command(flatten)]
        query: QueryArgs,
        #[arg(long)]
        json: bool,
    },
    /// Add an item: an idea without `--at`, planned with it.
    Add {
        #[arg(long)]
        title: String,
        /// A channel by name (repeat for several).
        #[arg(long = "channel", value_name = "NAME")]
        channels: Vec<String>,
        /// `YYYY-MM-DD HH:MM` in the community's zone.
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value = "")]
        body: String,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// The member who writes it.
        #[arg(long, value_name = "MEMBER_ID")]
        owner: Option<i64>,
        #[arg(long, value_name = "EVENT_ID")]
        event: Option<i64>,
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark an item posted (by hand, in WeChat): when (default now; never the future) and where.
    Posted {
        id: i64,
        /// `YYYY-MM-DD HH:MM` (community zone) or RFC 3339.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        link: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Move an item to another day (`--day`), or back to the unscheduled ideas (`--unschedule`).
    Move {
        id: i64,
        #[arg(
            long,
            value_name = "YYYY-MM-DD",
            required_unless_present = "unschedule"
        )]
        day: Option<String>,
        /// `HH:MM`; default keeps the item's time.
        #[arg(long)]
        time: Option<String>,
        #[arg(long, conflicts_with = "day")]
        unschedule: bool,
    },
    /// Write the plan as iCalendar (`.ics`) or CSV (`.csv`), by the file's extension.
    Export {
        file: PathBuf,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Channels with nothing planned in the next days.
    Gaps {
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Recurring slots: list, add, plan ahead.
    Slots {
        #[command(subcommand)]
        command: SlotsCommand,
    },
}

#[derive(Args)]
pub struct QueryArgs {
    /// First day, `YYYY-MM-DD`.
    #[arg(long)]
    from: Option<String>,
    /// Last day (included), `YYYY-MM-DD`.
    #[arg(long)]
    to: Option<String>,
    /// Only this channel (repeat for several).
    #[arg(long = "channel", value_name = "NAME")]
    channels: Vec<String>,
    /// Only this status (repeat for several).
    #[arg(long = "status", value_enum)]
    statuses: Vec<StatusArg>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Idea,
    Draft,
    Planned,
    Published,
    Skipped,
}

impl From<StatusArg> for ContentStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Idea => ContentStatus::Idea,
            StatusArg::Draft => ContentStatus::Draft,
            StatusArg::Planned => ContentStatus::Planned,
            StatusArg::Published => ContentStatus::Published,
            StatusArg::Skipped => ContentStatus::Skipped,
        }
    }
}

#[derive(Subcommand)]
pub enum SlotsCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a slot and plan its items for the next 8 weeks. Give one of `--weekdays`,
    /// `--nth` with `--weekday`, or `--day`.
    Add {
        #[arg(long, value_name = "NAME")]
        channel: String,
        #[arg(long)]
        title: String,
        /// Weekly on these days, 0 Monday … 6 Sunday: `--weekdays 1,4`.
        #[arg(long, value_delimiter = ',')]
        weekdays: Vec<u8>,
        /// The nth (1–4, or -1 for the last) `--weekday` of each month.
        #[arg(long, allow_hyphen_values = true)]
        nth: Option<i8>,
        #[arg(long)]
        weekday: Option<u8>,
        /// Day of the month (1–31; the last day in shorter months).
        #[arg(long)]
        day: Option<u8>,
        /// `HH:MM`.
        #[arg(long)]
        time: String,
        /// IANA zone of the time (default Asia/Shanghai).
        #[arg(long, default_value = "")]
        time_zone: String,
        #[arg(long)]
        json: bool,
    },
    /// Plan every slot's items for the next `--days` (idempotent).
    Plan {
        #[arg(long, default_value_t = slots::PLAN_AHEAD_DAYS)]
        days: u32,
    },
}

#[derive(Subcommand)]
pub enum ChannelsCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "wechat-group")]
        kind: KindArg,
        /// `#rrggbb` (default: one per kind).
        #[arg(long, default_value = "")]
        colour: String,
        #[arg(long, default_value_t = 0)]
        audience: u32,
        /// Posts per day before the calendar warns of overload.
        #[arg(long)]
        daily_limit: Option<u32>,
        /// The group rules (群规).
        #[arg(long, default_value = "")]
        rules: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    WechatGroup,
    OfficialAccount,
    Weibo,
    QqGroup,
    Forum,
    Newsletter,
    Xiaohongshu,
    Other,
}

impl From<KindArg> for ChannelKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::WechatGroup => ChannelKind::WechatGroup,
            KindArg::OfficialAccount => ChannelKind::OfficialAccount,
            KindArg::Weibo => ChannelKind::Weibo,
            KindArg::QqGroup => ChannelKind::QqGroup,
            KindArg::Forum => ChannelKind::Forum,
            KindArg::Newsletter => ChannelKind::Newsletter,
            KindArg::Xiaohongshu => ChannelKind::Xiaohongshu,
            KindArg::Other => ChannelKind::Other,
        }
    }
}

/// Writes to stdout; a reader that went away (`| head`) ends the output quietly.
pub(crate) fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

pub(crate) fn json<T: serde::Serialize>(value: &T) {
    emit(&format!(
        "{}\n",
        serde_json::to_string_pretty(value).expect("domain types always serialise")
    ));
}

pub(crate) fn channel_ids(ctx: &Ctx, names: &[String]) -> Result<Vec<i64>, Error> {
    names
        .iter()
        .map(|n| content::channel_by_name(ctx, n).map(|c| c.id))
        .collect()
}

fn query(ctx: &Ctx, q: QueryArgs) -> Result<ContentQuery, Error> {
    Ok(ContentQuery {
        from: q.from,
        to: q.to,
        channel_ids: channel_ids(ctx, &q.channels)?,
        statuses: q.statuses.into_iter().map(Into::into).collect(),
        campaign_id: None,
    })
}

pub(crate) fn line(i: &ContentItem) -> String {
    let when = i
        .published_local
        .as_deref()
        .or(i.planned_local.as_deref())
        .unwrap_or("—")
        .replace('T', " ");
    format!(
        "#{:<6} {:<16} {:<10} {}\n",
        i.id,
        when,
        i.status.as_str(),
        i.title
    )
}

pub fn run(ctx: &Ctx, command: ContentCommand) -> Result<(), Error> {
    match command {
        ContentCommand::List { query: q, json: j } => {
            let items = content::list(ctx, &query(ctx, q)?)?;
            if j {
                json(&items);
            } else {
                let mut text: String = items.iter().map(line).collect();
                text.push_str(&format!("{} items\n", items.len()));
                emit(&text);
            }
        }
        ContentCommand::Add {
            title,
            channels,
            at,
            body,
            status,
            owner,
            event,
            tags,
            json: j,
        } => {
            let item = content::create(
                ctx,
                ContentDraft {
                    title,
                    body,
                    status: status.map(Into::into),
                    channel_ids: channel_ids(ctx, &channels)?,
                    planned_local: at.unwrap_or_default(),
                    owner_member_id: owner,
                    event_id: event,
                    tags,
                    ..Default::default()
                },
            )?;
            if j {
                json(&item);
            } else {
                emit(&line(&item));
            }
        }
        ContentCommand::Posted {
            id,
            at,
            link,
            json: j,
        } => {
            let item = content::mark_posted(ctx, MarkPosted { id, at, link })?;
            if j {
                json(&item);
            } else {
                emit(&line(&item));
            }
        }
        ContentCommand::Move {
            id,
            day,
            time,
            unschedule,
        } => {
            let item = content::move_item(
                ctx,
                MoveItem {
                    id,
                    day: if unschedule { None } else { day },
                    time,
                },
            )?;
            emit(&line(&item));
        }
        ContentCommand::Export { file, query: q } => {
            let n = export::export(
                ctx,
                &ExportContent {
                    path: file.display().to_string(),
                    query: query(ctx, q)?,
                },
            )?;
            emit(&format!("Wrote {n} items to {}\n", file.display()));
        }
        ContentCommand::Gaps { days, json: j } => {
            let gaps = content::gaps_ahead(ctx, days)?;
            if j {
                json(&gaps);
            } else {
                let mut text = String::new();
                for g in &gaps {
                    let next = g.next_day.as_deref().unwrap_or("nothing planned");
                    text.push_str(&format!(
                        "{}: nothing {} … {} (next: {next})\n",
                        g.channel_name, g.from, g.to
                    ));
                }
                text.push_str(&format!("{} channels with a gap\n", gaps.len()));
                emit(&text);
            }
        }
        ContentCommand::Slots { command } => slots_command(ctx, command)?,
    }
    Ok(())
}

fn slots_command(ctx: &Ctx, command: SlotsCommand) -> Result<(), Error> {
    match command {
        SlotsCommand::List { json: j } => {
            let list = slots::list(ctx)?;
            if j {
                json(&list);
            } else {
                let text: String = list
                    .iter()
                    .map(|s| {
                        format!(
                            "#{:<4} {} {} {:?} (channel {})\n",
                            s.id, s.time, s.title, s.recurrence, s.channel_id
                        )
                    })
                    .collect();
                emit(&text);
            }
        }
        SlotsCommand::Add {
            channel,
            title,
            weekdays,
            nth,
            weekday,
            day,
            time,
            time_zone,
            json: j,
        } => {
            let recurrence = match (weekdays.is_empty(), nth, weekday, day) {
                (false, None, None, None) => Recurrence::Weekly { weekdays },
                (true, Some(nth), Some(weekday), None) => {
                    Recurrence::MonthlyWeekday { nth, weekday }
                }
                (true, None, None, Some(day)) => Recurrence::MonthlyDay { day },
                _ => {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        "give one of --weekdays, --nth with --weekday, or --day",
                    )
                    .with_field("recurrence"))
                }
            };
            let created = slots::create(
                ctx,
                SlotDraft {
                    channel_id: content::channel_by_name(ctx, &channel)?.id,
                    title,
                    recurrence,
                    time,
                    time_zone,
                    starts_on: String::new(),
                    ends_on: None,
                },
            )?;
            if j {
                json(&created);
            } else {
                emit(&format!(
                    "Slot #{} planned {} items\n",
                    created.slot.id, created.planned
                ));
            }
        }
        SlotsCommand::Plan { days } => {
            let n = slots::plan_ahead(ctx, slots::PlanAhead { days: Some(days) })?;
            emit(&format!("Planned {n} new items\n"));
        }
    }
    Ok(())
}

pub fn channels(ctx: &Ctx, command: ChannelsCommand) -> Result<(), Error> {
    match command {
        ChannelsCommand::List { json: j } => {
            let list = content::channels(ctx)?;
            if j {
                json(&list);
            } else {
                let text: String = list
                    .iter()
                    .map(|c| {
                        format!(
                            "#{:<4} {:<18} {:>7} readers  ≤{}/day  {}\n",
                            c.id,
                            c.kind.as_str(),
                            c.audience,
                            c.daily_limit,
                            c.name
                        )
                    })
                    .collect();
                emit(&text);
            }
        }
        ChannelsCommand::Add {
            name,
            kind,
            colour,
            audience,
            daily_limit,
            rules,
            json: j,
        } => {
            let c = content::create_channel(
                ctx,
                ChannelDraft {
                    name,
                    kind: kind.into(),
                    colour,
                    audience,
                    rules,
                    daily_limit,
                },
            )?;
            if j {
                json(&c);
            } else {
                emit(&format!("#{} {}\n", c.id, c.name));
            }
        }
    }
    Ok(())
}
