//! One row of an import: its cells read into a member draft (or the first bad cell named), the
//! member it matches by contact or exact name, and the create, update, merge or skip it plans,
//! each inside a savepoint so a failing row leaves nothing behind.
//!
//! Deliberately absent: the counts and the batch (`run`), and the file as a whole (`layout`).

use super::run::{invalid, planned, Columns, RunState};
use super::{DuplicatePolicy, PhoneRegion, PlannedRow, RowAction};
use crate::domain::{Identity, IdentityKind, Member, MemberDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::io::cells::{self, DateRules};
use crate::io::columns::Field;
use crate::io::read::RawRow;
use crate::ops::members::validate_with;
use crate::store::imports;
use crate::store::{members, Write};

fn cell(row: &RawRow, index: usize) -> &str {
    row.cells
        .get(index)
        .map_or("", |c| cells::strip_formula_guard(c.trim()))
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

/// Splits a contact cell that holds several (`138..., 139...`).
fn split_contacts(raw: &str, kind: IdentityKind) -> Vec<String> {
    let separators: &[char] = match kind {
        IdentityKind::Phone | IdentityKind::Email | IdentityKind::Qq | IdentityKind::Wechat => {
            &[',', ';', '，', '；', '、', '/', '\n']
        }
        IdentityKind::Platform => &[';', '\n'],
        _ => &['\n'],
    };
    raw.split(separators)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The row as a member draft, or the first problem with one of its cells.
fn draft_from_row(
    row: &RawRow,
    cols: &Columns,
    rules: DateRules,
    extra_tags: &[String],
    region: PhoneRegion,
    ambiguous: &mut bool,
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
    let mut draft = MemberDraft {
        display_name: row_name(row, cols),
        tags: extra_tags.to_vec(),
        ..Default::default()
    };
    let mut notes: Vec<String> = Vec::new();
    for (index, field) in &cols.fields {
        let value = cell(row, *index);
        if value.is_empty() {
            continue;
        }
        match field {
            Field::Name | Field::FirstName | Field::LastName => {}
            Field::Identity(kind) => {
                for v in split_contacts(value, *kind) {
                    if matches!(kind, IdentityKind::Phone | IdentityKind::Qq)
                        && cells::is_e_notation(&v)
                    {
                        return Err(Error::new(
                            ErrorCode::DamagedNumber,
                            format!("\"{v}\" was turned into scientific notation by Excel; digits were lost"),
                        )
                        .with_field(kind.as_str())
                        .with_param("value", v));
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
                    draft.identities.push(Identity {
                        kind: *kind,
                        value: v,
                    });
                }
            }
            Field::PlatformId(platform) => draft.identities.push(Identity {
                kind: IdentityKind::Platform,
                value: format!("{platform}:{}", value.trim()),
            }),
            Field::Gender => draft.gender = cells::parse_gender(value),
            Field::City => draft.city = value.to_owned(),
            Field::Birthday => {
                draft.birthday = Some(cells::parse_birthday(value, rules.day_first).ok_or_else(
                    || {
                        Error::new(ErrorCode::InvalidDate, format!("\"{value}\" is not a date"))
                            .with_field("birthday")
                            .with_param("value", value)
                    },
                )?)
            }
            Field::JoinedAt => {
                let (at, was_ambiguous) = cells::parse_instant(value, rules).map_err(|_| {
                    Error::new(ErrorCode::InvalidDate, format!("\"{value}\" is not a date"))
                        .with_field("joined_at")
                        .with_param("value", value)
                })?;
                *ambiguous |= was_ambiguous;
                draft.joined_at = Some(at);
            }
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
    let draft = match draft_from_row(row, cols, rules, extra_tags, state.region, &mut ambiguous) {
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
    let record = match validate_with(&state.custom_fields, &draft) {
        Ok(r) => r,
        Err(e) => return invalid(line, name, e),
    };
    // Who already holds one of the row's identities.
    let mut owners: Vec<(i64, String, &'static str)> = Vec::new();
    for identity in record.identities.iter().filter(|i| i.kind.is_unique()) {
        match members::identity_owner(&w.read(), identity) {
            Ok(Some((id, owner))) if !owners.iter().any(|(o, _, _)| *o == id) => {
                owners.push((id, owner, identity.kind.as_str()))
            }
            Ok(_) => {}
            Err(e) => return invalid(line, name, e),
        }
    }
    // A row with no contact at all can only be recognised by its exact name, and only when one
    // member has it; with several, importing it would add yet another namesake.
    if !record.identities.iter().any(|i| i.kind.is_unique()) {
        match members::live_by_name(&w.read(), &record.display_name, &record.keys.sort_key) {
            Ok(same) if same.len() == 1 => {
                owners.push((same[0], record.display_name.clone(), "display_name"))
            }
            Ok(same) if same.len() > 1 => {
                return PlannedRow {
                    error: Some(
                        Error::new(
                            ErrorCode::AmbiguousName,
                            format!("several members are called {}; the row has no contact to tell them apart", record.display_name),
                        )
                        .with_param("member_name", &record.display_name)
                        .with_param("line", line),
                    ),
                    ..planned(line, RowAction::Skip, name)
                };
            }
            Ok(_) => {}
            Err(e) => return invalid(line, name, e),
        }
    }
    if owners.len() > 1 {
        return invalid(
            line,
            name,
            Error::new(
                ErrorCode::RowMatchesTwoMembers,
                format!("the row matches both {} and {}", owners[0].1, owners[1].1),
            )
            .with_param("member_name", &owners[0].1)
            .with_param("other_name", &owners[1].1)
            .with_param("member_id", owners[0].0),
        );
    }
    let result = savepoint(w, |w| match owners.first() {
        None => {
            let mut record = record.clone();
            record.identity_source = state.identity_source.to_owned();
            if record.source.is_empty() {
                record.source = state.source.to_owned();
            }
            let id = members::insert(w, &record, state.now)?;
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
            members::update(w, *id, &record, state.now)?;
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
    result.unwrap_or_else(|e| invalid(line, name, e))
}

/// Runs `f` in a savepoint: on error, everything it wrote is taken back.
fn savepoint<T>(w: &mut Write<'_>, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
    w.tx.execute_batch("SAVEPOINT import_row")?;
    match f(w) {
        Ok(out) => {
            w.tx.execute_batch("RELEASE import_row")?;
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
