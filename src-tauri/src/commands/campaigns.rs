//! The community plan and campaigns: goals with their progress and the members behind them,
//! campaigns with tasks, partners, budget, retrospective, and the report.

use hearth_core::domain::{
    Budget, Campaign, CampaignDraft, CampaignStatus, CampaignSummary, GoalProgress, Metric,
    Partner, Plan, RemovedPartner, Segment, Task, TaskStatus,
};
use hearth_core::ops::campaigns::{
    self, report, AddFunding, AddGoal, AddReading, AddTask, ApplyTemplate, LinkPartner,
    PlanTemplate, SaveBudgetLine, SaveGoalMembers, SavePartner, SavePositioning, SaveRetrospective,
    UpdateCampaign, UpdateFunding, UpdateGoal, UpdateTask,
};
use hearth_core::ops::dashboard::BehindPage;
use hearth_core::print::PrintLang;
use hearth_core::Error;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use super::files::pick_save_path;
use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn plan_show(state: State<'_, AppState>) -> Result<Plan, Error> {
    run_blocking(state, campaigns::plan).await
}

#[tauri::command]
#[specta::specta]
pub async fn plan_template(
    app: AppHandle,
    state: State<'_, AppState>,
    template: PlanTemplate,
) -> Result<Plan, Error> {
    let out = run_blocking(state, move |ctx| {
        campaigns::apply_plan_template(ctx, template)
    })
    .await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn plan_save_positioning(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SavePositioning,
) -> Result<Plan, Error> {
    let out = run_blocking(state, move |ctx| campaigns::save_positioning(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn goal_add(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AddGoal,
) -> Result<GoalProgress, Error> {
    let out = run_blocking(state, move |ctx| campaigns::add_goal(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn goal_delete(app: AppHandle, state: State<'_, AppState>, id: i64) -> Result<(), Error> {
    run_blocking(state, move |ctx| campaigns::delete_goal(ctx, id)).await?;
    changed(&app, Entity::Campaigns);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn goal_reading_add(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AddReading,
) -> Result<GoalProgress, Error> {
    let out = run_blocking(state, move |ctx| campaigns::add_reading(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

/// The members behind a goal's value today, in id order.
#[tauri::command]
#[specta::specta]
pub async fn goal_members(state: State<'_, AppState>, goal_id: i64) -> Result<Vec<i64>, Error> {
    run_blocking(state, move |ctx| campaigns::goal_members(ctx, goal_id)).await
}

/// The members behind a metric today.
#[tauri::command]
#[specta::specta]
pub async fn metric_members(state: State<'_, AppState>, metric: Metric) -> Result<Vec<i64>, Error> {
    run_blocking(state, move |ctx| campaigns::metric_members(ctx, metric)).await
}

/// Saves the members behind a goal's value as a hand-picked segment.
#[tauri::command]
#[specta::specta]
pub async fn goal_save_segment(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveGoalMembers,
) -> Result<Segment, Error> {
    let out = run_blocking(state, move |ctx| campaigns::save_goal_members(ctx, input)).await?;
    changed(&app, Entity::Segments);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn campaigns_list(state: State<'_, AppState>) -> Result<Vec<CampaignSummary>, Error> {
    run_blocking(state, campaigns::list).await
}

#[tauri::command]
#[specta::specta]
pub async fn campaign_get(state: State<'_, AppState>, id: i64) -> Result<Campaign, Error> {
    run_blocking(state, move |ctx| campaigns::get(ctx, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn campaign_create(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: CampaignDraft,
) -> Result<Campaign, Error> {
    let out = run_blocking(state, move |ctx| campaigns::create(ctx, draft)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn campaign_set_status(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    status: CampaignStatus,
) -> Result<Campaign, Error> {
    let out = run_blocking(state, move |ctx| campaigns::set_status(ctx, id, status)).await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn campaign_save_retrospective(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveRetrospective,
) -> Result<Campaign, Error> {
    let out = run_blocking(state, move |ctx| campaigns::save_retrospective(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn task_add(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AddTask,
) -> Result<Task, Error> {
    let out = run_blocking(state, move |ctx| campaigns::add_task(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(out)
}

/// Sets a task's status (done, or back to todo: the Undo).
#[tauri::command]
#[specta::specta]
pub async fn task_set_status(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    status: TaskStatus,
) -> Result<Task, Error> {
    let out = run_blocking(state, move |ctx| {
        campaigns::set_task_status(ctx, id, status)
    })
    .await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn task_check(
    app: AppHandle,
    state: State<'_, AppState>,
    item_id: i64,
    done: bool,
) -> Result<Task, Error> {
    let out = run_blocking(state, move |ctx| campaigns::set_check(ctx, item_id, done)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

/// Dated tasks from a template and an event day.
#[tauri::command]
#[specta::specta]
pub async fn task_template_apply(
    app: AppHandle,
    state: State<'_, AppState>,
    input: ApplyTemplate,
) -> Result<Vec<Task>, Error> {
    let out = run_blocking(state, move |ctx| campaigns::apply_template(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn partners_list(state: State<'_, AppState>) -> Result<Vec<Partner>, Error> {
    run_blocking(state, campaigns::partners).await
}

#[tauri::command]
#[specta::specta]
pub async fn partner_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SavePartner,
) -> Result<Partner, Error> {
    let out = run_blocking(state, move |ctx| campaigns::save_partner(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn partner_link(
    app: AppHandle,
    state: State<'_, AppState>,
    input: LinkPartner,
) -> Result<(), Error> {
    run_blocking(state, move |ctx| campaigns::link_partner(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn budget_line_save(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveBudgetLine,
) -> Result<Budget, Error> {
    let out = run_blocking(state, move |ctx| campaigns::save_budget_line(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn funding_add(
    app: AppHandle,
    state: State<'_, AppState>,
    input: AddFunding,
) -> Result<Budget, Error> {
    let out = run_blocking(state, move |ctx| campaigns::add_funding(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

/// Picks the segment whose members matter on Today besides core, loyal and opinion leaders
/// (`None`: just those).
#[tauri::command]
#[specta::specta]
pub async fn today_matter_segment(
    app: AppHandle,
    state: State<'_, AppState>,
    segment: Option<i64>,
) -> Result<Option<i64>, Error> {
    let out = run_blocking(state, move |ctx| {
        hearth_core::ops::today::set_matter_segment(ctx, segment)
    })
    .await?;
    changed(&app, Entity::Today);
    Ok(out)
}

/// Asks where to save the campaign report, writes it and opens it.
#[tauri::command]
#[specta::specta]
pub async fn campaign_report(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    lang: PrintLang,
    suggested_name: String,
) -> Result<Option<report::Reported>, Error> {
    let font = state.font()?;
    let Some(path) = pick_save_path(&app, suggested_name).await else {
        return Ok(None);
    };
    let out_path = path.clone();
    let out = run_blocking(state, move |ctx| {
        report::render(ctx, id, lang, &font, &out_path)
    })
    .await?;
    if std::env::var_os("HEARTH_TEST_SAVE_DIR").is_none() {
        if let Err(e) = app
            .opener()
            .open_path(path.display().to_string(), None::<&str>)
        {
            eprintln!("hearth: opening {}: {e}", path.display());
        }
    }
    Ok(Some(out))
}

#[tauri::command]
#[specta::specta]
pub async fn goal_update(
    app: AppHandle,
    state: State<'_, AppState>,
    input: UpdateGoal,
) -> Result<GoalProgress, Error> {
    let out = run_blocking(state, move |ctx| campaigns::update_goal(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn campaign_update(
    app: AppHandle,
    state: State<'_, AppState>,
    input: UpdateCampaign,
) -> Result<Campaign, Error> {
    let out = run_blocking(state, move |ctx| campaigns::update(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

/// Deletes a campaign with its goals, tasks, budget and links (the board asks first).
#[tauri::command]
#[specta::specta]
pub async fn campaign_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<(), Error> {
    run_blocking(state, move |ctx| campaigns::delete(ctx, id)).await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn task_update(
    app: AppHandle,
    state: State<'_, AppState>,
    input: UpdateTask,
) -> Result<Task, Error> {
    let out = run_blocking(state, move |ctx| campaigns::update_task(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(out)
}

/// Deletes a task with its checklist (the board asks first).
#[tauri::command]
#[specta::specta]
pub async fn task_delete(app: AppHandle, state: State<'_, AppState>, id: i64) -> Result<(), Error> {
    run_blocking(state, move |ctx| campaigns::delete_task(ctx, id)).await?;
    changed(&app, Entity::Campaigns);
    changed(&app, Entity::Today);
    Ok(())
}

/// Removes a partner; the result undoes it through `partner_restore`.
#[tauri::command]
#[specta::specta]
pub async fn partner_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<RemovedPartner, Error> {
    let out = run_blocking(state, move |ctx| campaigns::delete_partner(ctx, id)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn partner_restore(
    app: AppHandle,
    state: State<'_, AppState>,
    removed: RemovedPartner,
) -> Result<Partner, Error> {
    let out = run_blocking(state, move |ctx| campaigns::restore_partner(ctx, removed)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn budget_line_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    campaign_id: i64,
    id: i64,
) -> Result<Budget, Error> {
    let out = run_blocking(state, move |ctx| {
        campaigns::delete_budget_line(ctx, campaign_id, id)
    })
    .await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn funding_update(
    app: AppHandle,
    state: State<'_, AppState>,
    input: UpdateFunding,
) -> Result<Budget, Error> {
    let out = run_blocking(state, move |ctx| campaigns::update_funding(ctx, input)).await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

#[tauri::command]
#[specta::specta]
pub async fn funding_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    campaign_id: i64,
    id: i64,
) -> Result<Budget, Error> {
    let out = run_blocking(state, move |ctx| {
        campaigns::delete_funding(ctx, campaign_id, id)
    })
    .await?;
    changed(&app, Entity::Campaigns);
    Ok(out)
}

/// A page of the members behind a goal's value today, with names (the goal card's click-through).
#[tauri::command]
#[specta::specta]
pub async fn goal_members_page(
    state: State<'_, AppState>,
    goal_id: i64,
    offset: u32,
    limit: u32,
) -> Result<BehindPage, Error> {
    run_blocking(state, move |ctx| {
        campaigns::goal_members_page(ctx, goal_id, offset, limit)
    })
    .await
}
