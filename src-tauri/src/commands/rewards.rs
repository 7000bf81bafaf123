//! The engagement engine's rewards commands: badges (list, edit, a member's, award and revoke by
//! hand, recompute), levels, the rewards catalogue, redemption and its undo, invites, the
//! engagement settings (leaderboards on/off, the invite claw-back window) and a member's points
//! history.

use hearth_core::ops::invites::{self, Invite, Invited};
use hearth_core::ops::rewards::{
    self, AwardBadge, Badge, BadgeChanges, BadgeDraft, EngagementSettings, EngagementSettingsPatch,
    Level, MemberBadge, PointsEntry, Redeem, Redeemed, Redemption, Reward, RewardDraft,
};
use hearth_core::Error;
use tauri::{AppHandle, State};

use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn badges_list(state: State<'_, AppState>) -> Result<Vec<Badge>, Error> {
    run_blocking(state, rewards::badges).await
}

/// Creates or changes a badge (re-evaluating it for everyone when it is automatic).
#[tauri::command]
#[specta::specta]
pub async fn badge_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: BadgeDraft,
) -> Result<Badge, Error> {
    let out = run_blocking(state, move |ctx| rewards::save_badge(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// Re-evaluates every automatic badge for every member.
#[tauri::command]
#[specta::specta]
pub async fn badges_evaluate(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<BadgeChanges, Error> {
    let out = run_blocking(state, rewards::evaluate_all).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn member_badges(state: State<'_, AppState>, id: i64) -> Result<Vec<MemberBadge>, Error> {
    run_blocking(state, move |ctx| rewards::member_badges(ctx, id)).await
}

/// Awards a badge by hand (a reason is required); returns the member's badges.
#[tauri::command]
#[specta::specta]
pub async fn badge_award(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AwardBadge,
) -> Result<Vec<MemberBadge>, Error> {
    let out = run_blocking(state, move |ctx| rewards::award_badge(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// Takes a badge away by hand (a reason is required); returns the member's badges.
#[tauri::command]
#[specta::specta]
pub async fn badge_revoke(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AwardBadge,
) -> Result<Vec<MemberBadge>, Error> {
    let out = run_blocking(state, move |ctx| rewards::revoke_badge(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// Undo of a hand award (the toast): the badge's rule may still give it later.
#[tauri::command]
#[specta::specta]
pub async fn badge_award_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AwardBadge,
) -> Result<Vec<MemberBadge>, Error> {
    let out = run_blocking(state, move |ctx| rewards::undo_award(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn levels_list(state: State<'_, AppState>) -> Result<Vec<Level>, Error> {
    run_blocking(state, rewards::levels).await
}

/// Replaces the whole level ladder; returns it, lowest first.
#[tauri::command]
#[specta::specta]
pub async fn levels_save(
    app: AppHandle,
    state: State<'_, AppState>,
    levels: Vec<Level>,
) -> Result<Vec<Level>, Error> {
    let out = run_blocking(state, move |ctx| rewards::save_levels(ctx, levels)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn rewards_list(state: State<'_, AppState>) -> Result<Vec<Reward>, Error> {
    run_blocking(state, rewards::rewards).await
}

#[tauri::command]
#[specta::specta]
pub async fn reward_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: RewardDraft,
) -> Result<Reward, Error> {
    let out = run_blocking(state, move |ctx| rewards::save_reward(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn redeem(
    app: AppHandle,
    state: State<'_, AppState>,
    input: Redeem,
) -> Result<Redeemed, Error> {
    let out = run_blocking(state, move |ctx| rewards::redeem(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn redeem_undo(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Redeemed, Error> {
    let out = run_blocking(state, move |ctx| rewards::undo_redeem(ctx, id)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// Redemptions newest first: one member's, or everyone's when `member_id` is null.
#[tauri::command]
#[specta::specta]
pub async fn redemptions_list(
    state: State<'_, AppState>,
    member_id: Option<i64>,
) -> Result<Vec<Redemption>, Error> {
    run_blocking(state, move |ctx| rewards::redemptions(ctx, member_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn invite_log(
    app: AppHandle,
    state: State<'_, AppState>,
    input: Invite,
) -> Result<Invited, Error> {
    let out = run_blocking(state, move |ctx| invites::invite(ctx, input)).await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn engagement_settings_get(
    state: State<'_, AppState>,
) -> Result<EngagementSettings, Error> {
    run_blocking(state, rewards::engagement_settings).await
}

#[tauri::command]
#[specta::specta]
pub async fn engagement_settings_set(
    app: AppHandle,
    state: State<'_, AppState>,
    patch: EngagementSettingsPatch,
) -> Result<EngagementSettings, Error> {
    let out = run_blocking(state, move |ctx| {
        rewards::update_engagement_settings(ctx, patch)
    })
    .await?;
    changed(&app, Entity::Engagement);
    Ok(out)
}

/// A member's ledger, newest first, with the running balance after each row.
#[tauri::command]
#[specta::specta]
pub async fn points_history(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<PointsEntry>, Error> {
    run_blocking(state, move |ctx| rewards::points_history(ctx, id)).await
}
