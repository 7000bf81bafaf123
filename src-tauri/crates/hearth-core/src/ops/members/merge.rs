//! Merge two members into one, and undo it. The merge keeps every identity, tag and note of
//! both; scalar fields come from the kept member unless the manager picks the other side (empty
//! fields are filled from the other side either way). Undo restores both exactly.

use serde::{Deserialize, Serialize};

use super::validate_in;
use crate::domain::{Member, MemberDraft};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::consequences::{self, Change, Moment};
use crate::ops::Ctx;
use crate::store::{members, merges};

/// Fields where the merged-away member's value should win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MergeField {
    DisplayName,
    JoinedAt,
    Gender,
    City,
    Birthday,
    Role,
    Responsibilities,
    Source,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergeMembers {
    pub keep_id: i64,
    pub merge_id: i64,
    #[serde(default)]
    pub take_from_merged: Vec<MergeField>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergeOutcome {
    /// Pass to [`undo_merge`] to take the merge back.
    pub merge: i64,
    pub member: Member,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UndoMerge {
    pub merge: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MergeUndone {
    pub kept_id: i64,
    pub merged_id: i64,
}

fn pick(keep: &str, other: &str, take_other: bool) -> String {
    if (take_other && !other.is_empty()) || keep.is_empty() {
        other.to_owned()
    } else {
        keep.to_owned()
    }
}

fn pick_opt<T: Clone>(keep: &Option<T>, other: &Option<T>, take_other: bool) -> Option<T> {
    if (take_other && other.is_some()) || keep.is_none() {
        other.clone()
    } else {
        keep.clone()
    }
}

/// The member both become, before validation.
pub fn merged_draft(keep: &Member, other: &Member, take: &[MergeField]) -> MemberDraft {
    let t = |f| take.contains(&f);
    let mut identities = keep.identities.clone();
    for identity in &other.identities {
        if !identities.contains(identity) {
            identities.push(identity.clone());
        }
    }
    let mut tags = keep.tags.clone();
    for tag in &other.tags {
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.clone());
        }
    }
    let notes = match (keep.notes.trim(), other.notes.trim()) {
        (a, "") => a.to_owned(),
        ("", b) => b.to_owned(),
        (a, b) if a == b => a.to_owned(),
        (a, b) => format!("{a}\n\n{b}"),
    };
    let joined_at = if t(MergeField::JoinedAt) {
        pick_opt(&keep.joined_at, &other.joined_at, true)
    } else {
        // The earlier join date is the truer one.
        match (&keep.joined_at, &other.joined_at) {
            (Some(a), Some(b)) => Some(a.min(b).clone()),
            (a, b) => a.clone().or_else(|| b.clone()),
        }
    };
    MemberDraft {
        display_name: pick(
            &keep.display_name,
            &other.display_name,
            t(MergeField::DisplayName),
        ),
        identities,
        tags,
        joined_at,
        notes,
        gender: pick_opt(&keep.gender, &other.gender, t(MergeField::Gender)),
        city: pick(&keep.city, &other.city, t(MergeField::City)),
        birthday: pick_opt(&keep.birthday, &other.birthday, t(MergeField::Birthday)),
        role: pick(&keep.role, &other.role, t(MergeField::Role)),
        responsibilities: pick(
            &keep.responsibilities,
            &other.responsibilities,
            t(MergeField::Responsibilities),
        ),
        source: pick(&keep.source, &other.source, t(MergeField::Source)),
        // The kept member's values, with the other's filling fields the kept one has empty.
        custom: {
            let mut custom = other.custom.clone();
            custom.extend(keep.custom.clone());
            custom
        },
    }
}

pub fn merge(ctx: &Ctx, input: MergeMembers) -> Result<MergeOutcome> {
    if input.keep_id == input.merge_id {
        return Err(Error::new(
            ErrorCode::MergeInvalid,
            "a member cannot be merged with itself",
        ));
    }
    let keep = super::get(ctx, input.keep_id)?;
    let other = super::get(ctx, input.merge_id)?;
    let mut draft = merged_draft(&keep, &other, &input.take_from_merged);
    // Notes of two people can together exceed one note's limit; never lose them to validation.
    let notes = std::mem::take(&mut draft.notes);
    let now = ctx.now_stamp();
    let merge_id = ctx.store.write(|w| {
        let mut record = validate_in(&w.read(), &draft)?;
        record.notes = notes;
        let merge_id = merges::record(w, keep.id, other.id, &now)?;
        let dated = merges::dated_tags(&w.read(), other.id)?;
        let had = members::tag_ids(&w.read(), keep.id)?;
        merges::retire_merged(w, other.id, keep.id, &now)?;
        members::update(w, keep.id, &record, &now)?;
        merges::carry_dates(w, keep.id, &dated, &had)?;
        let change = Change::Merged {
            merge: merge_id,
            kept: keep.id,
            merged: other.id,
        };
        consequences::apply_in(w, change, Moment::of(ctx, &now))?;
        Ok(merge_id)
    })?;
    Ok(MergeOutcome {
        merge: merge_id,
        member: super::get(ctx, keep.id)?,
    })
}

pub fn undo_merge(ctx: &Ctx, input: UndoMerge) -> Result<MergeUndone> {
    let now = ctx.now_stamp();
    let (kept_id, merged_id) = ctx.store.write(|w| {
        let (kept, merged) = merges::undo(w, input.merge, &now)?;
        let change = Change::Unmerged {
            merge: input.merge,
            kept,
            merged,
        };
        consequences::apply_in(w, change, Moment::of(ctx, &now))?;
        Ok((kept, merged))
    })?;
    Ok(MergeUndone { kept_id, merged_id })
}
