//! A member's timeline: what happened to them, newest first — added (by hand, by the demo or by
//! which import), each contact with where it came from, imports that updated them, merges, the
//! last edit, the events they registered for and came to (or missed), activities and points, and
//! credit-score deductions with their appeals.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ops::Ctx;
use crate::store::{members, timeline};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TimelineEntry {
    /// The member was added; `import` names the file when an import created them.
    Created {
        at: String,
        import: Option<String>,
    },
    /// A contact was added, by hand (`source` = `manual`), by the demo, or by an import.
    ContactAdded {
        at: String,
        contact_kind: String,
        value: String,
        import: Option<String>,
    },
    /// An import changed the member (`undone` when it was taken back).
    ImportUpdated {
        at: String,
        file: String,
        undone: bool,
    },
    /// Another member was merged into this one.
    MergedIn {
        at: String,
        other_id: i64,
        other_name: String,
        undone: bool,
    },
    /// This member was merged into another.
    MergedInto {
        at: String,
        other_id: i64,
        other_name: String,
        undone: bool,
    },
    Edited {
        at: String,
    },
    /// Something the member did (签到, 发言, …) and the points it earned.
    Activity {
        at: String,
        kind_zh: String,
        kind_en: String,
        points: i64,
        note: String,
        voided: bool,
    },
    /// A manual grant, deduction or redemption of points, with its reason.
    Points {
        at: String,
        delta: i64,
        /// The manager's words (may be empty).
        reason: String,
        /// What the ledger row is: `grant`, `deduct`, `redeem`, `redeem_undo`, `clawback`,
        /// `clawback_undo`.
        cause: String,
    },
    /// A registration: when they came (checked in / walked in), when the event was (no-show),
    /// or when they registered (registered, waitlist, cancelled).
    Event {
        at: String,
        event_id: i64,
        title: String,
        status: crate::domain::RegistrationStatus,
    },
    /// A credit-score deduction (信用分扣分) with its evidence, and where it stands now.
    CreditDeducted {
        at: String,
        entry_id: i64,
        rule_zh: String,
        rule_en: String,
        points: i64,
        evidence: String,
        status: crate::ops::credit::EntryStatus,
    },
    /// An appeal against a deduction: when it was filed while pending, when it was decided
    /// after (overturned gave the points back).
    CreditAppeal {
        at: String,
        entry_id: i64,
        rule_zh: String,
        rule_en: String,
        points: i64,
        status: crate::ops::credit::AppealStatus,
        reason: String,
        note: String,
    },
    /// The lifecycle stage changed: promoted, demoted after the hold, or set by the manager.
    StageChanged {
        at: String,
        from: crate::ops::engagement::Stage,
        to: crate::ops::engagement::Stage,
        cause: crate::domain::Cause,
        note: String,
    },
    /// A badge awarded, by its rule or by hand (with the reason).
    BadgeAwarded {
        at: String,
        name_zh: String,
        name_en: String,
        icon: String,
        auto: bool,
        note: String,
    },
}

impl TimelineEntry {
    fn at(&self) -> &str {
        match self {
            Self::Created { at, .. }
            | Self::ContactAdded { at, .. }
            | Self::ImportUpdated { at, .. }
            | Self::MergedIn { at, .. }
            | Self::MergedInto { at, .. }
            | Self::Edited { at }
            | Self::Event { at, .. }
            | Self::Activity { at, .. }
            | Self::Points { at, .. }
            | Self::CreditDeducted { at, .. }
            | Self::CreditAppeal { at, .. }
            | Self::StageChanged { at, .. }
            | Self::BadgeAwarded { at, .. } => at,
        }
    }
}

pub fn timeline(ctx: &Ctx, id: i64) -> Result<Vec<TimelineEntry>> {
    ctx.store.read(|r| {
        let member = members::get(r, id)?.ok_or_else(|| Error::not_found("member", id))?;
        let imports = timeline::imports_of(r, id)?;
        let file_of = |batch: i64| {
            imports
                .iter()
                .find(|i| i.batch_id == batch)
                .map(|i| i.file_name.clone())
        };
        let mut out = Vec::new();
        let created_by = imports
            .iter()
            .find(|i| i.action == "create")
            .map(|i| i.file_name.clone());
        out.push(TimelineEntry::Created {
            at: member.created_at.clone(),
            import: created_by,
        });
        for contact in timeline::contacts_of(r, id)? {
            let import = contact
                .source
                .strip_prefix("import:")
                .and_then(|b| b.parse().ok())
                .and_then(|b| file_of(b).or_else(|| timeline::batch_file(r, b).ok().flatten()));
            // Contacts the member was created with are part of "added".
            if contact.created_at != member.created_at || import.is_some() {
                out.push(TimelineEntry::ContactAdded {
                    at: contact.created_at,
                    contact_kind: contact.kind,
                    value: contact.value,
                    import,
                });
            }
        }
        for i in imports.iter().filter(|i| i.action == "update") {
            out.push(TimelineEntry::ImportUpdated {
                at: i.at.clone(),
                file: i.file_name.clone(),
                undone: i.undone,
            });
        }
        for m in timeline::merges_of(r, id)? {
            let entry = if m.kept_id == id {
                TimelineEntry::MergedIn {
                    at: m.at,
                    other_id: m.merged_id,
                    other_name: m.other_name,
                    undone: m.undone,
                }
            } else {
                TimelineEntry::MergedInto {
                    at: m.at,
                    other_id: m.kept_id,
                    other_name: m.other_name,
                    undone: m.undone,
                }
            };
            out.push(entry);
        }
        let kinds = crate::store::engagement::kinds(r)?;
        for a in crate::store::engagement::member_activities(r, id, 200)? {
            let kind = kinds.iter().find(|k| k.key == a.kind);
            out.push(TimelineEntry::Activity {
                at: a.occurred_at,
                kind_zh: kind.map_or_else(|| a.kind.clone(), |k| k.name_zh.clone()),
                kind_en: kind.map_or_else(|| a.kind.clone(), |k| k.name_en.clone()),
                points: a.points,
                note: a.note,
                voided: a.voided,
            });
        }
        for (delta, cause, reason, at) in crate::store::engagement::adjustments(r, id)? {
            out.push(TimelineEntry::Points {
                at,
                delta,
                reason,
                cause,
            });
        }
        let now = crate::clock::stamp(ctx.clock.now());
        for e in crate::ops::credit::entries_in(r, id, &now)? {
            for a in &e.appeals {
                out.push(TimelineEntry::CreditAppeal {
                    at: a.decided_at.clone().unwrap_or_else(|| a.filed_at.clone()),
                    entry_id: e.id,
                    rule_zh: e.rule_zh.clone(),
                    rule_en: e.rule_en.clone(),
                    points: e.points,
                    status: a.status,
                    reason: a.reason.clone(),
                    note: a.decision_note.clone(),
                });
            }
            out.push(TimelineEntry::CreditDeducted {
                at: e.occurred_at,
                entry_id: e.id,
                rule_zh: e.rule_zh,
                rule_en: e.rule_en,
                points: e.points,
                evidence: e.evidence,
                status: e.status,
            });
        }
        for c in crate::store::lifecycle::history(r, id)? {
            out.push(TimelineEntry::StageChanged {
                at: c.created_at,
                from: c.from_stage,
                to: c.to_stage,
                cause: c.cause,
                note: c.note,
            });
        }
        for b in crate::store::rewards::member_badges(r, id)? {
            out.push(TimelineEntry::BadgeAwarded {
                at: b.awarded_at,
                name_zh: b.name_zh,
                name_en: b.name_en,
                icon: b.icon,
                auto: b.auto,
                note: b.note,
            });
        }
        for e in crate::store::events::member_events(r, id)? {
            use crate::domain::RegistrationStatus as S;
            let at = match e.status {
                S::Attended | S::WalkIn => e.checked_in_at.unwrap_or(e.starts_at),
                S::NoShow => e.starts_at,
                S::Registered | S::Waitlist | S::Cancelled => e.registered_at,
            };
            out.push(TimelineEntry::Event {
                at,
                event_id: e.event_id,
                title: e.title,
                status: e.status,
            });
        }
        if member.updated_at != member.created_at {
            out.push(TimelineEntry::Edited {
                at: member.updated_at.clone(),
            });
        }
        out.sort_by(|a, b| b.at().cmp(a.at()));
        // An import or merge leaves an edit at the same moment; keep only the explanation.
        let explained: Vec<String> = out
            .iter()
            .filter(|e| !matches!(e, TimelineEntry::Edited { .. }))
            .map(|e| e.at().to_owned())
            .collect();
        out.retain(|e| !matches!(e, TimelineEntry::Edited { at } if explained.contains(at)));
        Ok(out)
    })
}
