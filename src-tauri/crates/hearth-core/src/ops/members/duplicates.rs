//! The duplicate finder: proposes pairs of members who are probably one person, with the reasons.
//!
//! Pairs come from members whose names sort identically (same name, or same pinyin: 简/繁
//! variants and homophones). A namesake alone is weak evidence in a big community (there are many
//! 张伟), so a pair also needs a shared city or email user name, and in groups of more than five
//! namesakes the email user name (so there only members sharing one are compared at all).
//! Identities themselves are unique per member, so two members never share a phone or WeChat ID.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::Member;
use crate::error::Result;
use crate::ops::Ctx;
use crate::store::duplicates::{self, Candidate};
use crate::store::members;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// The same name, ignoring case and spaces.
    SameName,
    /// Different characters with the same pinyin (张伟 / 張偉, 张伟 / 章伟).
    SamePinyin,
    SameCity,
    /// Emails with the same user part at different domains.
    SameEmailUser,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DuplicatePair {
    pub a: Member,
    pub b: Member,
    pub reasons: Vec<DuplicateReason>,
    /// Higher is more likely the same person (0–100).
    pub score: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FindDuplicates {
    /// Most pairs to return, best first (default 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DuplicateReport {
    /// Every pair found, before the limit.
    pub total: u32,
    pub pairs: Vec<DuplicatePair>,
}

fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn judge(a: &Candidate, b: &Candidate, group_size: usize) -> Option<(Vec<DuplicateReason>, u32)> {
    let mut reasons = Vec::new();
    let mut score = 0;
    if fold(&a.display_name) == fold(&b.display_name) {
        reasons.push(DuplicateReason::SameName);
        score += 60;
    } else {
        reasons.push(DuplicateReason::SamePinyin);
        score += 40;
    }
    let mut evidence = false;
    if !a.city.is_empty() && a.city == b.city {
        reasons.push(DuplicateReason::SameCity);
        score += 20;
        evidence = true;
    }
    if a.email_users.iter().any(|u| b.email_users.contains(u)) {
        reasons.push(DuplicateReason::SameEmailUser);
        score += 20;
        evidence = true;
    }
    // A shared name is never enough on its own (namesakes are common). Among a handful of
    // namesakes a shared city or email user singles a pair out; among many (the 张伟s of a big
    // community) only the email user does.
    let same_email = reasons.contains(&DuplicateReason::SameEmailUser);
    let enough = if group_size <= 5 {
        evidence
    } else {
        same_email
    };
    enough.then_some((reasons, score.min(100)))
}

/// Pairs `(i, j)`, `i < j`, of a group of namesakes that [`judge`] could accept. In a handful of
/// namesakes that is every pair. In a bigger group only a shared email user is enough, so only
/// members who share one are paired, through a map of email users: a common name shared by
/// hundreds of members (张伟, Amy Chen) would otherwise mean tens of thousands of comparisons
/// that cannot succeed.
fn pairs_worth_judging(group: &[Candidate]) -> Vec<(usize, usize)> {
    if group.len() <= 5 {
        return (0..group.len())
            .flat_map(|i| (i + 1..group.len()).map(move |j| (i, j)))
            .collect();
    }
    let mut by_user: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in group.iter().enumerate() {
        for user in &c.email_users {
            let members = by_user.entry(user).or_default();
            if members.last() != Some(&i) {
                members.push(i);
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = by_user
        .values()
        .flat_map(|members| {
            members
                .iter()
                .enumerate()
                .flat_map(move |(x, &i)| members[x + 1..].iter().map(move |&j| (i, j)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

pub fn find_duplicates(ctx: &Ctx, input: FindDuplicates) -> Result<DuplicateReport> {
    let limit = input.limit.unwrap_or(200) as usize;
    ctx.store.read(|r| {
        let candidates = duplicates::candidates(r)?;
        let mut found: Vec<(i64, i64, Vec<DuplicateReason>, u32)> = Vec::new();
        for group in candidates.chunk_by(|x, y| x.sort_key == y.sort_key) {
            for (i, j) in pairs_worth_judging(group) {
                let (a, b) = (&group[i], &group[j]);
                if let Some((reasons, score)) = judge(a, b, group.len()) {
                    found.push((a.id, b.id, reasons, score));
                }
            }
        }
        found.sort_by(|x, y| y.3.cmp(&x.3).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
        let total = found.len() as u32;
        let mut pairs = Vec::with_capacity(limit.min(found.len()));
        for (a, b, reasons, score) in found.into_iter().take(limit) {
            let (Some(a), Some(b)) = (members::get(r, a)?, members::get(r, b)?) else {
                continue;
            };
            pairs.push(DuplicatePair {
                a,
                b,
                reasons,
                score,
            });
        }
        Ok(DuplicateReport { total, pairs })
    })
}
