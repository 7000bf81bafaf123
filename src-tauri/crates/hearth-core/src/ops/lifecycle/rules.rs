//! The lifecycle rules the manager tunes: reading them, and saving them with a recompute in the
//! same transaction after checking every milestone and weight.
//!
//! Deliberately absent: applying the rules (`calc`, `stored`).

use super::stored::{recompute_in, RecomputeReport};
use crate::domain::Rules;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::store::lifecycle as table;

/// The rules, with every activity kind's weight and voice flag.
pub fn rules(ctx: &Ctx) -> Result<Rules> {
    ctx.store.read(table::rules)
}

/// Saves the rules and recomputes every stage with them at once, in the same transaction, so the
/// stored stages never disagree with the rules on screen.
pub fn set_rules(ctx: &Ctx, rules: Rules) -> Result<RecomputeReport> {
    validate(&rules)?;
    let today = ctx.clock.today();
    let now = ctx.now_stamp();
    ctx.store.write(|w| {
        table::save_rules(w, &rules, &now)?;
        recompute_in(w, today, &now)
    })
}

fn validate(r: &Rules) -> Result<()> {
    let range = |field: &str, value: u32, lo: u32, hi: u32| -> Result<()> {
        if (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{field} must be between {lo} and {hi}"),
            )
            .with_field(field)
            .with_param("value", value))
        }
    };
    range("active_week_days", r.active_week_days, 1, 7)?;
    range("active_month_days", r.active_month_days, 1, 30)?;
    range(
        "loyal_month_days",
        r.loyal_month_days,
        r.active_month_days,
        30,
    )?;
    range("core_month_days", r.core_month_days, r.loyal_month_days, 30)?;
    range(
        "core_quarter_days",
        r.core_quarter_days,
        r.core_month_days,
        90,
    )?;
    range("new_days", r.new_days, 1, 365)?;
    range("dormant_after_days", r.dormant_after_days, 1, 365)?;
    range(
        "churned_after_days",
        r.churned_after_days,
        r.dormant_after_days + 1,
        730,
    )?;
    range("demotion_hold_days", r.demotion_hold_days, 0, 90)?;
    range("leader_voices", r.leader_voices, 1, 1000)?;
    range("leader_window_days", r.leader_window_days, 1, 365)?;
    let weight = |field: &str, value: f64, lo: f64| -> Result<()> {
        if value.is_finite() && value >= lo && value <= 100.0 {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{field} must be a number from {lo} to 100"),
            )
            .with_field(field)
            .with_param("value", value))
        }
    };
    weight("day_weight", r.day_weight, 0.01)?;
    for kind in &r.kinds {
        weight("weight", kind.weight, 0.0).map_err(|e| e.with_param("kind", &kind.key))?;
    }
    Ok(())
}
