//! One row of an import: its cells read into a member draft (every value that cannot be read
//! left out and flagged, never the whole person), the member it matches by a shared contact
//! (never by name alone: a namesake is a new member, flagged), and the create, update, merge
//! or skip it plans, each inside a savepoint so a failing row leaves nothing behind.
//!
//! Deliberately absent: the counts and the batch (`run`), and the file as a whole (`layout`).

use super::run::{invalid, planned, Columns, RunState};
use super::{DuplicatePolicy, PhoneRegion, PlannedRow, RowAction};
use crate::domain::RowFlag;
use crate::domain::{Identity, IdentityKind, Member, MemberDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::io::cells::{self, DateRules};
use crate::io::columns::Field;
use crate::io::read::RawRow;
use crate::ops::members::validate_with;
use crate::ops::members::MAX_NAME;
use crate::store::imports;
use crate::store::members::MemberRecord;
use crate::store::members::Owners;
use crate::store::{members, Write};

/// A cell as the row's value: trimmed, a formula guard undone, a placeholder for "empty"
/// (`0/0/00`, `-`, `无`, `N/A`, ...) read as empty.
fn cell(row: &RawRow, index: usize) -> &str {
    let value = row
        .cells
        .get(index)
        .map_or("", |c| cells::strip_formula_guard(c.trim()));
    if cells::is_placeholder(value) {
        ""
    } else {
        value
    }
}

pub(super) fn row_name(row: &RawRow, cols: &Columns) -> String {
    let get = |want: &Field| {
        cols.fields
            .iter()
            .find(|(_, f)| f == want)
            .map(|(i, _)| cells::decode_entities(cell(row, *i)))
            .unwrap_or_default()
    };
    let name = get(&Field::Name);
    if !name.trim().is_empty() {
        return crate::text::clean(&name);
    }
    let (first, last) = (get(&Field::FirstName), get(&Field::LastName));
    let (first, last) = (first.trim(), last.trim());
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if cjk(first) || cjk(last) {
        format!("{last}{first}")
    } else {
        format!("{first} {last}").trim().to_owned()
    }
}

/// Summary lines inside a table (`合计`, `总人数: 30`, `Total`).
fn is_summary(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    [
        "合计",
        "总计",
        "总人数",
        "小计",
        "共计",
        "total",
        "subtotal",
    ]
    .iter()
    .any(|w| n.starts_with(w))
}

/// A member's name when the row has none, from its (valid) contacts: a nickname, then a
/// username or handle, the e-mail's local part, the phone, and the other ids.
fn fallback_name(identities: &[Identity]) -> Option<String> {
    let of = |kind: IdentityKind| identities.iter().find(|i| i.kind == kind);
    let order = [
        IdentityKind::GroupNick,
        IdentityKind::WechatRemark,
        IdentityKind::QqCard,
        IdentityKind::Forum,
    ];
    if let Some(i) = order.into_iter().find_map(of) {
        return Some(i.value.clone());
    }
    if let Some(email) = of(IdentityKind::Email) {
        return email.value.split('@').next().map(str::to_owned);
    }
    [
        IdentityKind::Phone,
        IdentityKind::Wechat,
        IdentityKind::Qq,
        IdentityKind::Platform,
    ]
    .into_iter()
    .find_map(of)
    .map(|i| i.value.clone())
}

/// One identity as the member will hold it, or why it cannot be held.
fn check_identity(identity: &Identity) -> Result<Identity> {
    let probe = MemberDraft {
        display_name: "-".into(),
        identities: vec![identity.clone()],
        ..Default::default()
    };
    crate::ops::members::validate(&probe).map(|r| {
        r.identities
            .into_iter()
            .next()
            .unwrap_or_else(|| identity.clone())
    })
}

/// The row as a member draft, with every value that cannot be read left out and flagged. A
/// row whose cells run past the header (its columns may have shifted) is refused whole: no
/// value in it can be trusted to be what its column says.
fn draft_from_row(
    row: &RawRow,
    cols: &Columns,
    rules: DateRules,
    extra_tags: &[String],
    region: PhoneRegion,
    ambiguous: &mut bool,
    flags: &mut Vec<RowFlag>,
) -> Result<MemberDraft> {
    if row
        .cells
        .get(cols.width)
        .is_some_and(|c| !c.trim().is_empty())
    {
        let filled = row.cells.iter().filter(|c| !c.trim().is_empty()).count();
        return Err(Error::new(
            ErrorCode::RaggedRow,
            format!(
                "the row has {filled} cells where the header has {} columns; its columns may have shifted",
                cols.width
            ),
        )
        .with_param("cells", row.cells.len().max(filled))
        .with_param("columns", cols.width));
    }
    let line = row.line as u32;
    let mut draft = MemberDraft {
        display_name: row_name(row, cols),
        tags: extra_tags.to_vec(),
        ..Default::default()
    };
    let mut notes: Vec<String> = Vec::new();
    let mut flag = |field: &str, value: &str, error: Error| {
        flags.push(RowFlag::from_error(
            line,
            field,
            value,
            &error.with_field(field),
        ))
    };
    // Cells the reader left out for their size: said, with the start of the value.
    for &(column, bytes) in &row.oversized {
        if let Some((_, field)) = cols.fields.iter().find(|(i, _)| *i == column) {
            let kb = |b: usize| b.div_ceil(1024);
            let key = field.key();
            flag(
                &key,
                "",
                Error::new(
                    ErrorCode::CellTooLarge,
                    format!(
                        "the cell is {} KB, over the {} KB limit; it was left out",
                        kb(bytes),
                        kb(crate::io::read::MAX_CELL_BYTES)
                    ),
                )
                .with_param("size_kb", kb(bytes))
                .with_param("max_kb", kb(crate::io::read::MAX_CELL_BYTES)),
            );
        }
    }
    for (index, field) in &cols.fields {
        let value = cell(row, *index);
        if value.is_empty() {
            continue;
        }
        match field {
            Field::Name | Field::FirstName | Field::LastName => {}
            Field::Identity(kind) => {
                let lists = matches!(
                    kind,
                    IdentityKind::Phone
                        | IdentityKind::Email
                        | IdentityKind::Qq
                        | IdentityKind::Wechat
                );
                for v in cells::split_values(value, lists) {
                    if matches!(kind, IdentityKind::Phone | IdentityKind::Qq)
                        && cells::is_e_notation(&v)
                    {
                        flag(
                            kind.as_str(),
                            &v,
                            Error::new(
                                ErrorCode::DamagedNumber,
                                format!("\"{v}\" was turned into scientific notation by Excel; digits were lost"),
                            )
                            .with_param("value", &v),
                        );
                        continue;
                    }
                    let v = match kind {
                        // Written in E.164 here when the file's numbers are not Chinese ones;
                        // validation then reads the `+1` and keeps it.
                        IdentityKind::Phone if region == PhoneRegion::Us => {
                            crate::text::normalize_phone(&v, crate::text::Region::Us).unwrap_or(v)
                        }
                        _ if kind.is_unique() => v,
                        _ => cells::decode_entities(&v),
                    };
                    let identity = Identity {
                        kind: *kind,
                        value: v,
                    };
                    match check_identity(&identity) {
                        Ok(_) => draft.identities.push(identity),
                        Err(e) => flag(kind.as_str(), &identity.value, e),
                    }
                }
            }
            Field::PlatformId(platform) => {
                for v in cells::split_values(value, false) {
                    let identity = Identity {
                        kind: IdentityKind::Platform,
                        value: format!("{platform}:{v}"),
                    };
                    match check_identity(&identity) {
                        Ok(_) => draft.identities.push(identity),
                        Err(e) => flag(&format!("platform:{platform}"), &v, e),
                    }
                }
            }
            Field::Gender => draft.gender = cells::parse_gender(value),
            Field::City => draft.city = value.to_owned(),
            Field::Birthday => match cells::parse_birthday(value, rules.day_first) {
                Some(day) => draft.birthday = Some(day),
                None => flag(
                    "birthday",
                    value,
                    Error::new(ErrorCode::InvalidDate, format!("\"{value}\" is not a date"))
                        .with_param("value", value),
                ),
            },
            Field::JoinedAt => match cells::parse_instant(value, rules) {
                Ok((at, was_ambiguous)) => {
                    *ambiguous |= was_ambiguous;
                    draft.joined_at = Some(at);
                }
                Err(_) => flag(
                    "joined_at",
                    value,
                    Error::new(ErrorCode::InvalidDate, format!("\"{value}\" is not a date"))
                        .with_param("value", value),
                ),
            },
            Field::Tags => draft.tags.extend(cells::split_tags(value)),
            Field::Notes => notes.push(value.to_owned()),
            Field::Role => draft.role = value.to_owned(),
            Field::Responsibilities => draft.responsibilities = value.to_owned(),
            Field::Source => draft.source = value.to_owned(),
            Field::Custom(label) => {
                draft.custom.insert(label.clone(), value.to_owned());
            }
        }
    }
    draft.notes = notes.join("\n");
    Ok(draft)
}

/// Validates the draft, leaving out (and flagging) each value validation refuses, until what
/// is left is a member; an error that names no value the row can do without is returned.
fn validate_leaving_out(
    custom_fields: &[crate::domain::CustomField],
    draft: &mut MemberDraft,
    line: u32,
    flags: &mut Vec<RowFlag>,
) -> Result<MemberRecord> {
    // Each round removes one value, so this ends; the bound is a guard, not a limit.
    for _ in 0..200 {
        let error = match validate_with(custom_fields, draft) {
            Ok(record) => return Ok(record),
            Err(e) => e,
        };
        let field = error.field.clone().unwrap_or_default();
        let value = error.params.get("value").cloned().unwrap_or_default();
        let left_out = match field.as_str() {
            "display_name" if error.code == ErrorCode::TooLong => {
                let name = std::mem::take(&mut draft.display_name);
                draft.display_name = name.chars().take(MAX_NAME).collect();
                name
            }
            "notes" => std::mem::take(&mut draft.notes),
            "city" => std::mem::take(&mut draft.city),
            "role" => std::mem::take(&mut draft.role),
            "source" => std::mem::take(&mut draft.source),
            "responsibilities" => std::mem::take(&mut draft.responsibilities),
            "birthday" => draft.birthday.take().unwrap_or_default(),
            "joined_at" => draft.joined_at.take().unwrap_or_default(),
            "tags" if error.code == ErrorCode::TooLong => {
                let before = draft.tags.len();
                draft
                    .tags
                    .retain(|t| crate::text::clean(t) != value && t.trim() != value);
                if draft.tags.len() == before {
                    return Err(error);
                }
                value.clone()
            }
            "tags" => {
                let extra = draft.tags.split_off(draft.tags.len().min(100));
                extra.join(", ")
            }
            "identities" => {
                let extra = draft.identities.split_off(draft.identities.len().min(50));
                extra
                    .iter()
                    .map(|i| i.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            label if draft.custom.contains_key(label) => {
                draft.custom.remove(label).unwrap_or_default()
            }
            _ => return Err(error),
        };
        flags.push(RowFlag::from_error(line, &field, &left_out, &error));
    }
    validate_with(custom_fields, draft)
}

pub(super) fn plan_row(
    w: &mut Write<'_>,
    state: &mut RunState<'_>,
    row: &RawRow,
    cols: &Columns,
    rules: DateRules,
    extra_tags: &[String],
) -> PlannedRow {
    let line = row.line as u32;
    let name = row_name(row, cols);
    let mut ambiguous = false;
    let mut flags: Vec<RowFlag> = Vec::new();
    let mut draft = match draft_from_row(
        row,
        cols,
        rules,
        extra_tags,
        state.region,
        &mut ambiguous,
        &mut flags,
    ) {
        Ok(d) => d,
        Err(e) => return invalid(line, name, e),
    };
    state.ambiguous_dates |= ambiguous;
    if draft.identities.is_empty() && is_summary(&draft.display_name) {
        return PlannedRow {
            error: Some(
                Error::new(
                    ErrorCode::SummaryRow,
                    "a summary line, not a member; skipped",
                )
                .with_param("line", line),
            ),
            ..planned(line, RowAction::Skip, name)
        };
    }
    // A row is a person unless it has neither a name nor a contact.
    if crate::text::clean(&draft.display_name).is_empty() {
        let valid: Vec<Identity> = draft
            .identities
            .iter()
            .filter_map(|i| check_identity(i).ok())
            .collect();
        match fallback_name(&valid) {
            Some(fallback) => draft.display_name = fallback,
            None => {
                let mut planned_row = invalid(
                    line,
                    name,
                    Error::new(
                        ErrorCode::NoNameOrContact,
                        "the row has neither a name nor a contact; not a person",
                    ),
                );
                planned_row.flags = flags;
                return planned_row;
            }
        }
    }
    let name = crate::text::clean(&draft.display_name);
    let record = match validate_leaving_out(&state.custom_fields, &mut draft, line, &mut flags) {
        Ok(r) => r,
        Err(e) => {
            let mut planned_row = invalid(line, name, e);
            planned_row.flags = flags;
            return planned_row;
        }
    };
    let mut record = record;
    let name = record.display_name.clone();
    // Who already holds one of the row's contacts: the only evidence that two rows, or a row
    // and a member, are one person.
    let mut owners: Vec<(i64, String, &'static str)> = Vec::new();
    let mut held: Vec<Identity> = Vec::new();
    let maybe_held = record
        .identities
        .iter()
        .filter(|i| i.kind.is_unique() && state.taken.may_be_held(i));
    for identity in maybe_held {
        match members::identity_owner(&w.read(), identity) {
            Ok(Some((id, owner))) => {
                held.push(identity.clone());
                if !owners.iter().any(|(o, _, _)| *o == id) {
                    owners.push((id, owner, identity.kind.as_str()))
                }
            }
            Ok(None) => {}
            Err(e) => return invalid(line, name, e),
        }
    }
    // Contacts of two different members: which one the row is cannot be told, so it is not
    // merged into either. It becomes a new member without those contacts, flagged with both.
    if owners.len() > 1 {
        let values: Vec<&str> = held.iter().map(|i| i.value.as_str()).collect();
        flags.push(RowFlag::from_error(
            line,
            "identities",
            &values.join(", "),
            &Error::new(
                ErrorCode::RowMatchesTwoMembers,
                format!(
                    "possible duplicate of #{} {} and #{} {}: their contacts were left out and the row imported as a new member",
                    owners[0].0, owners[0].1, owners[1].0, owners[1].1
                ),
            )
            .with_field("identities")
            .with_param("member_name", &owners[0].1)
            .with_param("member_id", owners[0].0)
            .with_param("other_name", &owners[1].1)
            .with_param("other_id", owners[1].0),
        ));
        record.identities.retain(|i| !held.contains(i));
        owners.clear();
    }
    // A name alone never merges two people: a namesake with no contact in common becomes a
    // new member, flagged for the manager (and found by the duplicate finder).
    if owners.is_empty() {
        match members::live_by_name(&w.read(), &record.display_name, &record.keys.sort_key) {
            Ok(same) => {
                if let Some(&other) = same.first() {
                    flags.push(RowFlag::from_error(
                        line,
                        "display_name",
                        &record.display_name,
                        &Error::new(
                            ErrorCode::PossibleDuplicate,
                            format!(
                                "member #{other} is also called {}, with no contact in common; imported as a new member",
                                record.display_name
                            ),
                        )
                        .with_field("display_name")
                        .with_param("member_id", other)
                        .with_param("member_name", &record.display_name),
                    ));
                }
            }
            Err(e) => return invalid(line, name, e),
        }
    }
    let result = savepoint(w, |w| match owners.first() {
        None => {
            let mut record = record.clone();
            record.identity_source = state.identity_source.to_owned();
            if record.source.is_empty() {
                record.source = state.source.to_owned();
            }
            // No one holds any of its contacts: `owners` is empty.
            let id = members::insert_with(w, &record, state.now, Owners::KnownFree)?;
            state.taken.hold(&record.identities);
            if let Some(batch) = state.batch_id {
                imports::note_created(w, batch, id)?;
            }
            state.created_lines.insert(id, line);
            state.resolved.push((line, id));
            Ok(planned(line, RowAction::Create, name.clone()))
        }
        Some((id, owner, kind)) => {
            let earlier_line = state.created_line(*id);
            let base = PlannedRow {
                member_id: Some(*id),
                member_name: Some(owner.clone()),
                matched_by: Some((*kind).to_owned()),
                merged_with_line: earlier_line,
                ..planned(line, RowAction::Update, name.clone())
            };
            let policy = if earlier_line.is_some() {
                DuplicatePolicy::FillEmpty
            } else {
                state.policy
            };
            if policy == DuplicatePolicy::Skip {
                state.resolved.push((line, *id));
                return Ok(PlannedRow {
                    action: RowAction::Skip,
                    ..base
                });
            }
            let existing = members::get(&w.read(), *id)?.ok_or_else(|| {
                Error::new(
                    ErrorCode::IdentityTaken,
                    format!("{kind} belongs to {owner}, who is in the trash"),
                )
                .with_field(kind)
                .with_param("member_name", owner)
                .with_param("member_id", id)
                .with_param("value", "")
            })?;
            let combined = combine(&existing, &draft, policy == DuplicatePolicy::Update);
            let mut record = validate_with(&state.custom_fields, &combined)?;
            record.identity_source = state.identity_source.to_owned();
            if let Some(batch) = state.batch_id {
                imports::note_before_update(w, batch, *id)?;
            }
            // The row's contacts are this member's or no one's (`owners` has only them).
            members::update_with(w, *id, &record, state.now, Owners::KnownFree)?;
            state.taken.hold(&record.identities);
            state.resolved.push((line, *id));
            Ok(PlannedRow {
                action: if earlier_line.is_some() {
                    RowAction::Merge
                } else {
                    RowAction::Update
                },
                ..base
            })
        }
    });
    let mut planned_row = result.unwrap_or_else(|e| invalid(line, name, e));
    if planned_row.action != RowAction::Invalid {
        if let Some(batch) = state.batch_id {
            if let Err(e) = imports::note_flags(w, batch, &flags) {
                return invalid(line, planned_row.display_name, e);
            }
        }
    }
    planned_row.flags = flags;
    planned_row
}

/// Runs `f` in a savepoint: on error, everything it wrote is taken back.
fn savepoint<T>(w: &mut Write<'_>, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
    w.tx.prepare_cached("SAVEPOINT import_row")?.execute([])?;
    match f(w) {
        Ok(out) => {
            w.tx.prepare_cached("RELEASE import_row")?.execute([])?;
            Ok(out)
        }
        Err(e) => {
            w.tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row")?;
            Err(e)
        }
    }
}

/// The existing member with the row's values: identities and tags are added; other fields are
/// replaced (`overwrite`) or only filled where empty. Empty cells never erase anything.
fn combine(existing: &Member, row: &MemberDraft, overwrite: bool) -> MemberDraft {
    let text = |old: &str, new: &str| {
        if new.trim().is_empty() || (!overwrite && !old.is_empty()) {
            old.to_owned()
        } else {
            new.to_owned()
        }
    };
    let opt = |old: &Option<String>, new: &Option<String>| {
        if new.is_none() || (!overwrite && old.is_some()) {
            old.clone()
        } else {
            new.clone()
        }
    };
    let mut identities = existing.identities.clone();
    for identity in &row.identities {
        if !identities
            .iter()
            .any(|i| i.kind == identity.kind && i.value == identity.value)
        {
            identities.push(identity.clone());
        }
    }
    let mut tags = existing.tags.clone();
    tags.extend(row.tags.iter().cloned());
    let notes = if row.notes.is_empty() || existing.notes.contains(&row.notes) {
        existing.notes.clone()
    } else if existing.notes.is_empty() {
        row.notes.clone()
    } else {
        format!("{}\n{}", existing.notes, row.notes)
    };
    MemberDraft {
        display_name: text(&existing.display_name, &row.display_name),
        identities,
        tags,
        joined_at: opt(&existing.joined_at, &row.joined_at),
        notes,
        gender: if row.gender.is_none() || (!overwrite && existing.gender.is_some()) {
            existing.gender
        } else {
            row.gender
        },
        city: text(&existing.city, &row.city),
        birthday: opt(&existing.birthday, &row.birthday),
        role: text(&existing.role, &row.role),
        responsibilities: text(&existing.responsibilities, &row.responsibilities),
        custom: {
            let mut custom = existing.custom.clone();
            for (label, value) in &row.custom {
                if !value.trim().is_empty() && (overwrite || !custom.contains_key(label)) {
                    custom.insert(label.clone(), value.clone());
                }
            }
            custom
        },
        source: existing.source.clone(),
    }
}
