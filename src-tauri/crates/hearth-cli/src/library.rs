//! `hearth library …`: the knowledge library (知识沉淀) from a terminal — list and search the
//! evergreen posts and FAQ answers, add one (typed, or kept from an item), plan one again into a
//! channel, a channel's history of what went out, delete.

use clap::{Subcommand, ValueEnum};
use hearth_core::domain::{LibraryDraft, LibraryEntry, LibraryKind};
use hearth_core::ops::content;
use hearth_core::ops::content::library::{self, KeepItem, LibraryQuery, PlanAgain};
use hearth_core::{Ctx, Error};

use crate::content::{channel_ids, emit, json, line};

#[derive(Subcommand)]
pub enum LibraryCommand {
    /// Every entry (or one kind): title matches first, then the most reused.
    List {
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long)]
        json: bool,
    },
    /// Entries whose title, text or tags contain every word of TEXT (Chinese too).
    Search {
        text: String,
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long)]
        json: bool,
    },
    /// Add an entry: typed (`--title`, `--body`…), or kept from a content item (`--item ID`).
    Add {
        /// Keep this content item (its title, text, tags and first channel).
        #[arg(long, value_name = "ITEM_ID", conflicts_with_all = ["title", "body", "tags", "channel"])]
        item: Option<i64>,
        #[arg(long, value_enum, default_value = "evergreen")]
        kind: KindArg,
        /// The title, or the FAQ's question.
        #[arg(long, required_unless_present = "item")]
        title: Option<String>,
        /// The text, or the FAQ's answer.
        #[arg(long, default_value = "")]
        body: String,
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// The channel it belongs to, by name.
        #[arg(long, value_name = "NAME")]
        channel: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Plan an entry again as a new item: planned with `--at`, else a draft.
    Plan {
        id: i64,
        /// A channel by name (repeat for several; default the entry's channel).
        #[arg(long = "channel", value_name = "NAME")]
        channels: Vec<String>,
        /// `YYYY-MM-DD HH:MM` in the community's zone.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// What went out in a channel, newest first, and which of it the library keeps.
    History {
        #[arg(long, value_name = "NAME")]
        channel: String,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    Delete {
        id: i64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Evergreen,
    Faq,
}

impl From<KindArg> for LibraryKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Evergreen => LibraryKind::Evergreen,
            KindArg::Faq => LibraryKind::Faq,
        }
    }
}

fn entry_line(e: &LibraryEntry) -> String {
    let tags = if e.tags.is_empty() {
        String::new()
    } else {
        format!("  [{}]", e.tags.join(", "))
    };
    format!(
        "#{:<5} {:<9} reused {:<3} {}{tags}\n",
        e.id,
        e.kind.as_str(),
        e.reuse_count,
        e.title
    )
}

fn entries(list: &[LibraryEntry], as_json: bool) {
    if as_json {
        json(&list);
    } else {
        let mut text: String = list.iter().map(entry_line).collect();
        text.push_str(&format!("{} entries\n", list.len()));
        emit(&text);
    }
}

pub fn run(ctx: &Ctx, command: LibraryCommand) -> Result<(), Error> {
    match command {
        LibraryCommand::List { kind, json: j } => {
            let query = LibraryQuery {
                text: String::new(),
                kind: kind.map(Into::into),
            };
            entries(&library::list(ctx, &query)?, j);
        }
        LibraryCommand::Search {
            text,
            kind,
            json: j,
        } => {
            let query = LibraryQuery {
                text,
                kind: kind.map(Into::into),
            };
            entries(&library::list(ctx, &query)?, j);
        }
        LibraryCommand::Add {
            item,
            kind,
            title,
            body,
            tags,
            channel,
            json: j,
        } => {
            let entry = match item {
                Some(item_id) => {
                    let kept = library::keep(
                        ctx,
                        KeepItem {
                            item_id,
                            kind: kind.into(),
                        },
                    )?;
                    if !kept.created && !j {
                        emit(&format!(
                            "Item #{item_id} is already kept as entry #{}\n",
                            kept.entry.id
                        ));
                    }
                    kept.entry
                }
                None => library::create(
                    ctx,
                    LibraryDraft {
                        kind: kind.into(),
                        title: title.unwrap_or_default(),
                        body,
                        tags,
                        channel_id: match channel {
                            Some(name) => Some(content::channel_by_name(ctx, &name)?.id),
                            None => None,
                        },
                    },
                )?,
            };
            if j {
                json(&entry);
            } else {
                emit(&entry_line(&entry));
            }
        }
        LibraryCommand::Plan {
            id,
            channels,
            at,
            json: j,
        } => {
            let item = library::plan_again(
                ctx,
                PlanAgain {
                    entry_id: id,
                    channel_ids: channel_ids(ctx, &channels)?,
                    planned_local: at.unwrap_or_default(),
                },
            )?;
            if j {
                json(&item);
            } else {
                emit(&line(&item));
            }
        }
        LibraryCommand::History {
            channel,
            limit,
            json: j,
        } => {
            let channel = content::channel_by_name(ctx, &channel)?;
            let history = library::channel_history(ctx, channel.id, Some(limit))?;
            if j {
                json(&history);
            } else {
                let mut text = String::new();
                for item in &history.items {
                    let kept = history
                        .kept
                        .iter()
                        .find(|(i, _)| *i == item.id)
                        .map(|(_, e)| format!("kept as #{e}  "))
                        .unwrap_or_default();
                    text.push_str(&format!("{kept}{}", line(item)));
                }
                text.push_str(&format!(
                    "{} published items in {}",
                    history.items.len(),
                    channel.name
                ));
                if history.items.len() == limit as usize {
                    text.push_str(&format!(" (the latest {limit}; --limit shows more)"));
                }
                text.push('\n');
                emit(&text);
            }
        }
        LibraryCommand::Delete { id } => {
            let gone = library::delete(ctx, id)?;
            emit(&format!("Deleted #{} {}\n", gone.id, gone.title));
        }
    }
    Ok(())
}
