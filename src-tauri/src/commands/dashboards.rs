//! The Dashboards board: every tile's numbers over a range, the charts drawn in Rust, the
//! members behind a number (a page at a time, saved as a segment), the chart and monthly
//! report exports.

use hearth_core::domain::{Metrics, Segment};
use hearth_core::ops::dashboard::{
    self, BehindPage, BehindQuery, ChartRequest, ChartSvg, MetricsQuery, MonthlyReported,
    SaveDrillMembers,
};
use hearth_core::print::PrintLang;
use hearth_core::Error;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use super::files::pick_save_path;
use super::{changed, run_blocking, Entity};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub async fn dashboard_metrics(
    state: State<'_, AppState>,
    query: MetricsQuery,
) -> Result<Metrics, Error> {
    run_blocking(state, move |ctx| dashboard::metrics(ctx, query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn dashboard_chart(
    state: State<'_, AppState>,
    request: ChartRequest,
) -> Result<ChartSvg, Error> {
    let font = state.font()?;
    run_blocking(state, move |ctx| dashboard::chart(ctx, &request, &font)).await
}

#[tauri::command]
#[specta::specta]
pub async fn dashboard_members(
    state: State<'_, AppState>,
    query: BehindQuery,
) -> Result<BehindPage, Error> {
    run_blocking(state, move |ctx| dashboard::members_page(ctx, query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn dashboard_save_segment(
    app: AppHandle,
    state: State<'_, AppState>,
    input: SaveDrillMembers,
) -> Result<Segment, Error> {
    let out = run_blocking(state, move |ctx| dashboard::save_members(ctx, input)).await?;
    changed(&app, Entity::Segments);
    Ok(out)
}

/// Writes a chart where the manager chooses, as SVG or PNG by the file's extension; the path
/// written, `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn dashboard_chart_export(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ChartRequest,
    suggested_name: String,
) -> Result<Option<String>, Error> {
    let font = state.font()?;
    let Some(path) = pick_save_path(&app, suggested_name).await else {
        return Ok(None);
    };
    let out_path = path.clone();
    run_blocking(state, move |ctx| {
        dashboard::export_chart(ctx, &request, &font, &out_path).map(|_| ())
    })
    .await?;
    Ok(Some(path.display().to_string()))
}

/// The monthly community report of `month` (`YYYY-MM`) as a PDF where the manager chooses,
/// opened once written; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn dashboard_report(
    app: AppHandle,
    state: State<'_, AppState>,
    month: String,
    lang: PrintLang,
    suggested_name: String,
) -> Result<Option<MonthlyReported>, Error> {
    let font = state.font()?;
    let Some(path) = pick_save_path(&app, suggested_name).await else {
        return Ok(None);
    };
    let out_path = path.clone();
    let out = run_blocking(state, move |ctx| {
        dashboard::monthly_report(ctx, &month, lang, &font, &out_path)
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
