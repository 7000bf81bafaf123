//! The rules as a pure function: a member's activities summed per day, the stage each day
//! computes to, the stage held through the demotion hold, and the stored row that follows from
//! the old one ([`Calc::settle`]).
//!
//! Deliberately absent: reading or writing the database. Everything here takes the rules, the
//! days and "today" as arguments, so the same code serves a recompute, a refresh and a member
//! shown on the spot.

use chrono::NaiveDate;

use crate::domain::{Cause, Rules, Stage};
use crate::store::lifecycle::{day_number, LifecycleRow};

/// Rules made ready for computing, for one "today".
pub(crate) struct Calc {
    pub(super) rules: Rules,
    /// (key, weight, voice) of every kind; a handful, so a linear search beats hashing.
    kinds: Vec<(String, f64, bool)>,
    pub(super) today: i32,
}

/// A member's activities summed per day, in day order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DayTotal {
    pub day: i32,
    pub weight: f64,
    pub voices: u32,
}

/// What the rules give for one member today.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assessment {
    /// The stored stage: the highest computed stage of the hold window.
    pub held: Stage,
    /// The same for yesterday: the stage a member without a stored row is taken to have had.
    pub baseline: Stage,
    /// Today's computed stage.
    pub computed: Stage,
    /// First day of the current run of days computed lower than `held`.
    pub lower_since: Option<i32>,
    pub leader: bool,
    /// Voice activities in the opinion-leader window.
    pub voices: u32,
    pub last_active: Option<i32>,
    /// Active days in the last 7 / 30 / 90 days.
    pub active_days: [u32; 3],
}

/// Sums activities (given in day order) per day, skipping kinds the rules do not know.
pub(crate) fn add_activity(calc: &Calc, days: &mut Vec<DayTotal>, day: i32, kind: &str) {
    let Some((weight, voice)) = calc.kind(kind) else {
        return;
    };
    match days.last_mut() {
        Some(last) if last.day == day => {
            last.weight += weight;
            last.voices += u32::from(voice);
        }
        _ => days.push(DayTotal {
            day,
            weight,
            voices: u32::from(voice),
        }),
    }
}

impl Calc {
    pub(crate) fn new(rules: Rules, today: NaiveDate) -> Calc {
        Calc::on_day(rules, day_number(today))
    }

    pub(super) fn on_day(rules: Rules, today: i32) -> Calc {
        let kinds = rules
            .kinds
            .iter()
            .map(|k| (k.key.clone(), k.weight, k.voice))
            .collect();
        Calc {
            rules,
            kinds,
            today,
        }
    }

    fn kind(&self, key: &str) -> Option<(f64, bool)> {
        self.kinds
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, weight, voice)| (*weight, *voice))
    }

    /// The computed stage of day `d`, from the active days up to it (`active` is sorted and holds
    /// no day after `d`'s window end that matters: later days are ignored).
    pub(crate) fn stage_at(&self, joined: Option<i32>, active: &[i32], d: i32) -> Stage {
        let upto = active.partition_point(|&x| x <= d);
        let seen = &active[..upto];
        let count_from = |from: i32| (upto - seen.partition_point(|&x| x < from)) as u32;
        let days = [count_from(d - 6), count_from(d - 29), count_from(d - 89)];
        self.stage_for(joined, days, seen.last().copied(), d)
    }

    /// The computed stage from the three counts of active days (last 7 / 30 / 90 days, `d`
    /// included) and the last active day.
    pub(crate) fn stage_for(
        &self,
        joined: Option<i32>,
        [week, month, quarter]: [u32; 3],
        last_active: Option<i32>,
        d: i32,
    ) -> Stage {
        let r = &self.rules;
        if month >= r.core_month_days && quarter >= r.core_quarter_days {
            return Stage::Core;
        }
        if month >= r.loyal_month_days {
            return Stage::Loyal;
        }
        if week >= r.active_week_days || month >= r.active_month_days {
            return Stage::Active;
        }
        let recent_join = joined.is_some_and(|j| d - j <= r.new_days as i32);
        match last_active {
            _ if recent_join => Stage::New,
            Some(day) if d - day <= r.dormant_after_days as i32 => Stage::Active,
            Some(day) if d - day <= r.churned_after_days as i32 => Stage::Dormant,
            Some(_) => Stage::Churned,
            // Never active: quiet, not gone.
            None => Stage::Dormant,
        }
    }

    /// Assesses one member from their per-day totals. `active` is scratch space.
    pub(crate) fn assess(
        &self,
        joined: Option<i32>,
        days: &[DayTotal],
        active: &mut Vec<i32>,
    ) -> Assessment {
        let t = self.today;
        let r = &self.rules;
        let threshold = r.day_weight - 1e-9;
        active.clear();
        let mut voices = 0;
        let leader_from = t - r.leader_window_days as i32 + 1;
        for d in days.iter().filter(|d| d.day <= t) {
            if d.weight > 0.0 && d.weight >= threshold {
                active.push(d.day);
            }
            if d.day >= leader_from {
                voices += d.voices;
            }
        }
        let hold = r.demotion_hold_days as i32;
        // Computed stages of days t-hold-1 ..= t.
        let first = t - hold - 1;
        let stages: Vec<Stage> = (first..=t)
            .map(|d| self.stage_at(joined, active, d))
            .collect();
        let highest = |s: &[Stage]| {
            s.iter()
                .copied()
                .max_by_key(|s| s.rank())
                .unwrap_or(Stage::Dormant)
        };
        let n = stages.len();
        let held = highest(&stages[1..]);
        let baseline = highest(&stages[..n - 1]);
        let computed = stages[n - 1];
        let lower_since = (computed.rank() < held.rank()).then(|| {
            let last_high = stages[1..]
                .iter()
                .rposition(|s| s.rank() >= held.rank())
                .unwrap_or(0);
            first + 1 + last_high as i32 + 1
        });
        let count_from = |from: i32| active.iter().filter(|&&x| x >= from).count() as u32;
        Assessment {
            held,
            baseline,
            computed,
            lower_since,
            leader: voices >= r.leader_voices,
            voices,
            last_active: active.last().copied(),
            active_days: [count_from(t - 6), count_from(t - 29), count_from(t - 89)],
        }
    }

    /// The row the rules give, keeping what the manager set on the old one.
    pub(super) fn settle(
        &self,
        member_id: i64,
        old: Option<&LifecycleRow>,
        a: &Assessment,
    ) -> Settled {
        let t = self.today;
        let before = old.map_or(a.baseline, |o| o.stage);
        let row = LifecycleRow {
            member_id,
            stage: a.held,
            since: match old {
                Some(o) if o.stage == a.held => o.since,
                _ => t,
            },
            lower_since: a.lower_since,
            computed_stage: a.computed,
            override_stage: old.and_then(|o| o.override_stage),
            override_reason: old.map(|o| o.override_reason.clone()).unwrap_or_default(),
            override_at: old.and_then(|o| o.override_at.clone()),
            opinion_leader: a.leader,
            opinion_leader_manual: old.and_then(|o| o.opinion_leader_manual),
            opinion_leader_reason: old
                .map(|o| o.opinion_leader_reason.clone())
                .unwrap_or_default(),
            last_active: a.last_active,
            computed_on: t,
        };
        let change = (before != a.held).then(|| {
            let cause = if a.held.rank() > before.rank() {
                Cause::Promotion
            } else {
                Cause::Demotion
            };
            (before, a.held, cause)
        });
        let same = old.is_some_and(|o| {
            o.stage == row.stage
                && o.since == row.since
                && o.lower_since == row.lower_since
                && o.computed_stage == row.computed_stage
                && o.opinion_leader == row.opinion_leader
                && o.last_active == row.last_active
        });
        Settled {
            exists: old.is_some(),
            // The stage everyone sees only changes when no override hides it.
            history: change.filter(|_| row.override_stage.is_none()),
            change: change.map(|(_, _, cause)| cause),
            fresh: old.is_some_and(|o| o.computed_on == t),
            same,
            row,
        }
    }
}

pub(super) struct Settled {
    pub(super) row: LifecycleRow,
    /// The member already has a stored row.
    pub(super) exists: bool,
    /// The stored stage rose or fell.
    pub(super) change: Option<Cause>,
    /// The history row to write (from, to, cause).
    pub(super) history: Option<(Stage, Stage, Cause)>,
    /// Nothing the rules decide changed.
    pub(super) same: bool,
    /// The old row was already written today.
    pub(super) fresh: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::KindRule;

    fn calc(today: i32) -> Calc {
        let rules = Rules {
            kinds: vec![
                KindRule {
                    key: "spoke".into(),
                    name_zh: String::new(),
                    name_en: String::new(),
                    weight: 1.0,
                    voice: false,
                },
                KindRule {
                    key: "answered".into(),
                    name_zh: String::new(),
                    name_en: String::new(),
                    weight: 2.0,
                    voice: true,
                },
                KindRule {
                    key: "liked".into(),
                    name_zh: String::new(),
                    name_en: String::new(),
                    weight: 0.0,
                    voice: false,
                },
            ],
            ..Rules::default()
        };
        Calc::on_day(rules, today)
    }

    fn days(calc: &Calc, list: &[(i32, &str)]) -> Vec<DayTotal> {
        let mut out = Vec::new();
        for (day, kind) in list {
            add_activity(calc, &mut out, *day, kind);
        }
        out
    }

    #[test]
    fn a_lower_stage_shows_only_after_the_hold() {
        let t = 1000;
        let c = calc(t);
        // Spoke on t-35 ..= t-28. Loyal (7 of the last 30 days) up to t-5, when t-34 ..= t-28
        // are still in the window; active (last active within 30 days) from t-4.
        let list: Vec<(i32, &str)> = (28..=35).rev().map(|d| (t - d, "spoke")).collect();
        let active: Vec<i32> = list.iter().map(|(d, _)| *d).collect();
        assert_eq!(c.stage_at(None, &active, t - 5), Stage::Loyal);
        assert_eq!(c.stage_at(None, &active, t - 4), Stage::Active);
        let a = c.assess(None, &days(&c, &list), &mut Vec::new());
        assert_eq!((a.computed, a.held), (Stage::Active, Stage::Loyal));
        assert_eq!(a.lower_since, Some(t - 4));
        assert_eq!(a.active_days, [0, 2, 8]);
        assert_eq!(a.last_active, Some(t - 28));
        // 14 days after t-4 the loyal day has left the window.
        let c = calc(t + 10);
        let a = c.assess(None, &days(&c, &list), &mut Vec::new());
        assert_eq!((a.held, a.baseline), (Stage::Active, Stage::Loyal));
    }

    #[test]
    fn weight_zero_never_makes_a_day_active_and_voices_count() {
        let t = 1000;
        let c = calc(t);
        let list: Vec<(i32, &str)> = (0..10).map(|d| (t - d, "liked")).collect();
        let a = c.assess(Some(t - 400), &days(&c, &list), &mut Vec::new());
        assert_eq!((a.last_active, a.held), (None, Stage::Dormant));
        let list: Vec<(i32, &str)> = (0..8).map(|d| (t - d * 10, "answered")).collect();
        let a = c.assess(Some(t - 400), &days(&c, &list), &mut Vec::new());
        assert!(a.leader);
        assert_eq!(a.voices, 8);
    }
}
