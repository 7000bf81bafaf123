//! After the event: feedback answers (a 1–5 satisfaction score, a 0–10 "would you recommend"
//! and a comment), typed in or imported from a survey export (问卷星, 腾讯问卷, Google Forms CSV or
//! XLSX), linked to members by phone, email or an unambiguous name; and the event's outcome:
//! attendance rate, no-show rate, average score and NPS.
//!
//! An import writes every good row in one transaction and reports each bad one by line and
//! field; answers nobody can be linked to are kept as anonymous (they still count for NPS).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::{EventOutcome, Feedback, Identity, IdentityKind};
use crate::error::{Error, ErrorCode, Result};
use crate::io::read::Table;
use crate::ops::Ctx;
use crate::store::events::{self, NewFeedback};
use crate::store::{members, Read};
use crate::text;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FeedbackDraft {
    pub event_id: i64,
    #[serde(default)]
    pub member_id: Option<i64>,
    #[serde(default)]
    pub score: Option<u8>,
    #[serde(default)]
    pub nps: Option<u8>,
    #[serde(default)]
    pub comment: String,
}

pub fn add(ctx: &Ctx, draft: FeedbackDraft) -> Result<Feedback> {
    check_score(draft.score, draft.nps)?;
    if draft.score.is_none() && draft.nps.is_none() && draft.comment.trim().is_empty() {
        return Err(Error::required("comment"));
    }
    let now = ctx.now_stamp();
    let id = ctx.store.write(|w| {
        super::load(&w.read(), draft.event_id)?;
        if let Some(member_id) = draft.member_id {
            if members::get(&w.read(), member_id)?.is_none() {
                return Err(Error::not_found("member", member_id));
            }
        }
        events::insert_feedback(
            w,
            &NewFeedback {
                event_id: draft.event_id,
                member_id: draft.member_id,
                score: draft.score,
                nps: draft.nps,
                comment: draft.comment.trim(),
                source: "manual",
            },
            &now,
        )
    })?;
    list(ctx, draft.event_id)?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or_else(|| Error::not_found("feedback", id))
}

fn check_score(score: Option<u8>, nps: Option<u8>) -> Result<()> {
    if score.is_some_and(|s| !(1..=5).contains(&s)) {
        return Err(Error::new(ErrorCode::InvalidInput, "the score is 1 to 5")
            .with_field("score")
            .with_param("value", score.unwrap_or_default()));
    }
    if nps.is_some_and(|s| s > 10) {
        return Err(
            Error::new(ErrorCode::InvalidInput, "the recommend score is 0 to 10")
                .with_field("nps")
                .with_param("value", nps.unwrap_or_default()),
        );
    }
    Ok(())
}

pub fn list(ctx: &Ctx, event_id: i64) -> Result<Vec<Feedback>> {
    ctx.store.read(|r| events::feedback(r, event_id))
}

/// Removes answers (the Undo of an import or of adding one).
pub fn remove(ctx: &Ctx, ids: Vec<i64>) -> Result<()> {
    ctx.store.write(|w| events::delete_feedback(w, &ids))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FeedbackImport {
    /// Ids of the answers written, for Undo.
    pub ids: Vec<i64>,
    pub linked: u32,
    pub anonymous: u32,
    /// Rows refused, each naming its line and field.
    pub invalid: Vec<Error>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Phone,
    Email,
    Score,
    Nps,
    Comment,
}

fn column_of(header: &str) -> Option<Col> {
    let h = header.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&["nps", "推荐", "recommend"]) {
        Some(Col::Nps)
    } else if has(&[
        "满意",
        "评分",
        "打分",
        "score",
        "rating",
        "satisf",
        "总体评价",
    ]) {
        Some(Col::Score)
    } else if has(&[
        "意见", "建议", "评论", "留言", "comment", "feedback", "反馈",
    ]) {
        Some(Col::Comment)
    } else if has(&["手机", "电话", "phone", "mobile"]) {
        Some(Col::Phone)
    } else if has(&["邮箱", "email", "e-mail"]) {
        Some(Col::Email)
    } else if has(&["姓名", "名字", "name", "称呼"]) {
        Some(Col::Name)
    } else {
        None
    }
}

const HEADER_SEARCH_ROWS: usize = 10;

/// Reads a survey export and stores its answers for the event.
pub fn import(ctx: &Ctx, event_id: i64, path: &Path) -> Result<FeedbackImport> {
    let mut table = Table::open(path, None, None)?;
    let mut header: Option<Vec<Option<Col>>> = None;
    let mut rows = Vec::new();
    let mut seen = 0;
    while let Some(row) = table.next_row() {
        let row = row?;
        if header.is_none() {
            seen += 1;
            let cols: Vec<Option<Col>> = row.cells.iter().map(|c| column_of(c)).collect();
            if cols
                .iter()
                .any(|c| matches!(c, Some(Col::Score | Col::Nps | Col::Comment)))
            {
                header = Some(cols);
            } else if seen >= HEADER_SEARCH_ROWS {
                break;
            }
            continue;
        }
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(row);
    }
    let Some(header) = header else {
        return Err(Error::new(
            ErrorCode::NoUsableColumns,
            format!(
                "{} has no score, recommend or comment column",
                path.display()
            ),
        )
        .with_param("path", path.display()));
    };
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        super::load(&w.read(), event_id)?;
        let mut out = FeedbackImport {
            ids: Vec::new(),
            linked: 0,
            anonymous: 0,
            invalid: Vec::new(),
        };
        for row in &rows {
            let line = row.line as u32;
            let cell = |want: Col| -> String {
                header
                    .iter()
                    .position(|c| *c == Some(want))
                    .and_then(|i| row.cells.get(i))
                    .map(|c| text::clean(c))
                    .unwrap_or_default()
            };
            let score = match parse_score(&cell(Col::Score)) {
                Ok(s) => s,
                Err(value) => {
                    out.invalid.push(bad(line, "score", &value, "1 to 5"));
                    continue;
                }
            };
            let nps = match parse_nps(&cell(Col::Nps)) {
                Ok(s) => s,
                Err(value) => {
                    out.invalid.push(bad(line, "nps", &value, "0 to 10"));
                    continue;
                }
            };
            let comment = cell(Col::Comment);
            if score.is_none() && nps.is_none() && comment.is_empty() {
                continue;
            }
            let member_id = link(
                &w.read(),
                &cell(Col::Phone),
                &cell(Col::Email),
                &cell(Col::Name),
            )?;
            if member_id.is_some() {
                out.linked += 1;
            } else {
                out.anonymous += 1;
            }
            out.ids.push(events::insert_feedback(
                w,
                &NewFeedback {
                    event_id,
                    member_id,
                    score,
                    nps,
                    comment: &comment,
                    source: &source,
                },
                &now,
            )?);
        }
        Ok(out)
    })
}

fn bad(line: u32, field: &str, value: &str, range: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("line {line}: {field} “{value}” is not a number from {range}"),
    )
    .with_field(field)
    .with_param("line", line)
    .with_param("value", value)
}

/// `5`, `4分`, `4.5` (rounded), `5/5`, or the usual satisfaction words.
fn parse_score(s: &str) -> std::result::Result<Option<u8>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let words = [
        ("非常不满意", 1),
        ("不满意", 2),
        ("一般", 3),
        ("非常满意", 5),
        ("满意", 4),
        ("very dissatisfied", 1),
        ("dissatisfied", 2),
        ("neutral", 3),
        ("very satisfied", 5),
        ("satisfied", 4),
    ];
    let lower = s.to_lowercase();
    if let Some((_, n)) = words.iter().find(|(w, _)| lower == *w) {
        return Ok(Some(*n));
    }
    on_scale(s, 5)
        .filter(|n| (1..=5).contains(n))
        .map(Some)
        .ok_or_else(|| s.to_owned())
}

fn parse_nps(s: &str) -> std::result::Result<Option<u8>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    on_scale(s, 10)
        .filter(|n| *n <= 10)
        .map(Some)
        .ok_or_else(|| s.to_owned())
}

/// A number at the start of a cell (`4`, `4.5` rounded half up, `9分`), optionally `/scale`; a
/// different scale (`3/10` for a 1–5 score) is refused rather than guessed.
fn on_scale(s: &str, scale: u8) -> Option<u8> {
    let number: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let rest = s[number.len()..].trim();
    let value: f64 = number.parse().ok()?;
    let ok_tail = match rest.strip_prefix('/') {
        Some(of) => of.trim().parse::<u8>().ok() == Some(scale),
        None => rest.is_empty() || rest == "分" || rest == "points",
    };
    if !ok_tail || !value.is_finite() || value < 0.0 {
        return None;
    }
    let rounded = (value + 0.5).floor();
    (rounded <= f64::from(u8::MAX)).then_some(rounded as u8)
}

fn link(r: &Read<'_>, phone: &str, email: &str, name: &str) -> Result<Option<i64>> {
    let candidates = [
        text::normalize_phone(phone, text::Region::Cn).map(|value| Identity {
            kind: IdentityKind::Phone,
            value,
        }),
        text::normalize_email(email).map(|value| Identity {
            kind: IdentityKind::Email,
            value,
        }),
    ];
    for identity in candidates.into_iter().flatten() {
        if let Some((id, _)) = members::identity_owner(r, &identity)? {
            // Answers are never linked to a member in the trash.
            if members::get(r, id)?.is_some() {
                return Ok(Some(id));
            }
        }
    }
    if !name.is_empty() {
        let same = events::namesakes(r, name)?;
        if same.len() == 1 {
            return Ok(Some(same[0].0));
        }
    }
    Ok(None)
}

/// Attendance, no-shows and what people said.
pub fn outcome(ctx: &Ctx, event_id: i64) -> Result<EventOutcome> {
    ctx.store.read(|r| {
        super::load(r, event_id)?;
        let counts = events::counts(r, event_id)?;
        let answers = events::feedback(r, event_id)?;
        Ok(compute_outcome(counts, &answers))
    })
}

pub(crate) fn compute_outcome(
    counts: crate::domain::RegistrationCounts,
    answers: &[Feedback],
) -> EventOutcome {
    let marked = counts.attended + counts.no_show;
    let rate = |n: u32| (marked > 0).then(|| f64::from(n) / f64::from(marked));
    let scores: Vec<f64> = answers
        .iter()
        .filter_map(|f| f.score.map(f64::from))
        .collect();
    let nps: Vec<u8> = answers.iter().filter_map(|f| f.nps).collect();
    let promoters = nps.iter().filter(|n| **n >= 9).count() as u32;
    let detractors = nps.iter().filter(|n| **n <= 6).count() as u32;
    let passives = nps.len() as u32 - promoters - detractors;
    EventOutcome {
        attendance_rate: rate(counts.attended),
        no_show_rate: rate(counts.no_show),
        responses: answers.len() as u32,
        average_score: (!scores.is_empty())
            .then(|| scores.iter().sum::<f64>() / scores.len() as f64),
        nps: (!nps.is_empty())
            .then(|| (f64::from(promoters) - f64::from(detractors)) * 100.0 / nps.len() as f64),
        promoters,
        passives,
        detractors,
        counts,
    }
}
