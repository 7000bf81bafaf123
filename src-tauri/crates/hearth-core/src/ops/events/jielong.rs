//! A pasted WeChat 接龙 turned into registrations, with a preview that is the real run rolled
//! back (like the import preview).
//!
//! Who each line is: the member holding its mobile number; else the one live member with exactly
//! that name (several namesakes are told apart by a written phone tail, or left for the manager);
//! else a new member is created from the line. Lines the parser could not read are returned with
//! the plan, never dropped.

use serde::{Deserialize, Serialize};

use super::registrations::{register_in, RegisterOutcome};
use crate::domain::{Identity, IdentityKind, MemberDraft, RegistrationStatus};
use crate::error::Result;
use crate::io::jielong::{self, JielongEntry, JielongParse};
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::members::validate_in;
use crate::ops::Ctx;
use crate::store::{events, members, Write};
use crate::text::{normalize_phone, Region};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PasteJielong {
    pub event_id: i64,
    pub text: String,
    /// Entry lines the manager left out in the preview.
    #[serde(default)]
    pub excluded_lines: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JielongAction {
    /// An existing member, registered (or waitlisted).
    Register,
    /// Nobody matched: a new member is created and registered.
    Create,
    /// Already registered for this event.
    Already,
    /// Several members have this name and the line does not tell which: not registered.
    Ambiguous,
    /// The manager left the line out.
    Excluded,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JielongRow {
    pub entry: JielongEntry,
    pub action: JielongAction,
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    /// How the member was recognised: `phone`, `name`, `phone_tail`.
    pub matched_by: Option<String>,
    /// Registered, or waitlisted because the event is full.
    pub status: Option<RegistrationStatus>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JielongPlan {
    pub parse: JielongParse,
    pub rows: Vec<JielongRow>,
    /// New members created (or that would be).
    pub created: u32,
    /// Their ids, so Undo can take them away again (meaningless in a preview).
    pub created_member_ids: Vec<i64>,
    pub outcome: RegisterOutcome,
}

/// What pasting would do; nothing is written.
pub fn preview(ctx: &Ctx, input: &PasteJielong) -> Result<JielongPlan> {
    let now = ctx.now_stamp();
    ctx.store.dry_run(|w| run(w, input, &now))
}

/// Registers everyone on the chain in one transaction.
pub fn apply(ctx: &Ctx, input: &PasteJielong) -> Result<JielongPlan> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| run(w, input, &now))
}

fn run(w: &mut Write<'_>, input: &PasteJielong, now: &str) -> Result<JielongPlan> {
    super::load(&w.read(), input.event_id)?;
    let parse = jielong::parse(&input.text);
    let mut rows = Vec::new();
    let mut created = 0;
    let mut created_member_ids = Vec::new();
    let mut outcome = RegisterOutcome::default();
    for entry in &parse.entries {
        let mut row = JielongRow {
            entry: entry.clone(),
            action: JielongAction::Register,
            member_id: None,
            member_name: None,
            matched_by: None,
            status: None,
        };
        if input.excluded_lines.contains(&entry.line) {
            row.action = JielongAction::Excluded;
            rows.push(row);
            continue;
        }
        let member_id = match recognise(w, entry)? {
            Recognised::Member(id, how) => {
                row.matched_by = Some(how.to_owned());
                id
            }
            Recognised::Ambiguous => {
                row.action = JielongAction::Ambiguous;
                rows.push(row);
                continue;
            }
            Recognised::Nobody => {
                let phone = entry
                    .phone
                    .as_deref()
                    .and_then(|p| normalize_phone(p, Region::Cn));
                let draft = MemberDraft {
                    display_name: entry.name.clone(),
                    identities: phone
                        .map(|value| {
                            vec![Identity {
                                kind: IdentityKind::Phone,
                                value,
                            }]
                        })
                        .unwrap_or_default(),
                    source: "接龙".to_owned(),
                    ..MemberDraft::default()
                };
                let record = validate_in(&w.read(), &draft)?;
                created += 1;
                row.action = JielongAction::Create;
                let id = members::insert(w, &record, now)?;
                created_member_ids.push(id);
                id
            }
        };
        row.member_id = Some(member_id);
        row.member_name = members::get(&w.read(), member_id)?.map(|m| m.display_name);
        let added = register_in(
            w,
            input.event_id,
            member_id,
            entry.companions.min(20),
            &entry.note,
            "jielong",
            now,
        )?;
        match added {
            None => row.action = JielongAction::Already,
            Some((_, status)) => row.status = Some(status),
        }
        outcome.count(added);
        rows.push(row);
    }
    Ok(JielongPlan {
        parse,
        rows,
        created,
        created_member_ids,
        outcome,
    })
}

enum Recognised {
    Member(i64, &'static str),
    Ambiguous,
    Nobody,
}

fn recognise(w: &Write<'_>, entry: &JielongEntry) -> Result<Recognised> {
    if let Some(phone) = entry
        .phone
        .as_deref()
        .and_then(|p| normalize_phone(p, Region::Cn))
    {
        let identity = Identity {
            kind: IdentityKind::Phone,
            value: phone,
        };
        if let Some((id, _)) = members::identity_owner(&w.read(), &identity)? {
            // A number held by a member in the trash: the manager decides (restore or not).
            if members::get(&w.read(), id)?.is_none() {
                return Ok(Recognised::Ambiguous);
            }
            return Ok(Recognised::Member(id, "phone"));
        }
    }
    let namesakes = events::namesakes(&w.read(), &entry.name)?;
    // A written phone or tail that none of a namesake's phones has means another person with
    // the same name; a namesake with no phone on file may be them.
    let tail = entry.phone_tail.as_deref().unwrap_or_default();
    let fits = |phones: &Vec<String>| {
        tail.is_empty() || phones.is_empty() || phones.iter().any(|p| p.ends_with(tail))
    };
    let candidates: Vec<&(i64, Vec<String>)> = namesakes
        .iter()
        .filter(|(_, phones)| fits(phones))
        .collect();
    match (namesakes.len(), candidates.len()) {
        (0, _) => Ok(Recognised::Nobody),
        // The one namesake has other numbers: a new person, unless only a tail was written
        // (then it is unclear).
        (1, 0) if entry.phone.is_some() => Ok(Recognised::Nobody),
        (1, 0) => Ok(Recognised::Ambiguous),
        (1, 1) => Ok(Recognised::Member(namesakes[0].0, "name")),
        (_, 1) if !tail.is_empty() && !candidates[0].1.is_empty() => {
            Ok(Recognised::Member(candidates[0].0, "phone_tail"))
        }
        (_, 0) if entry.phone.is_some() => Ok(Recognised::Nobody),
        _ => Ok(Recognised::Ambiguous),
    }
}

/// Undo of [`apply`], in one transaction: the registrations it made (those still registered or
/// waiting) go, and the members it created go to the trash (restorable like any deletion).
/// Pass the plan's `outcome.registration_ids` and `created_member_ids`.
pub fn undo(ctx: &Ctx, registration_ids: &[i64], created_member_ids: &[i64]) -> Result<u32> {
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        let removed = super::registrations::unregister_in(w, registration_ids, &now)?;
        members::soft_delete(w, created_member_ids, &now)?;
        let trashed = Change::Trashed(created_member_ids);
        consequences::apply_in(w, trashed, Moment::of(ctx, &now))?;
        Ok(removed)
    })
}
