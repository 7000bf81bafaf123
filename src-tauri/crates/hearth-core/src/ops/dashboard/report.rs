//! The monthly community report (PDF, zh-CN or English): key tiles against the month before,
//! the dashboards' charts (the same SVG the board shows) and a short table of numbers.

use std::path::Path;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::domain::Metrics;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::print::chart::ChartTheme;
use crate::print::monthly::{render_report_pdf, ReportDoc};
use crate::print::{CjkFont, PrintLang};

use super::charts::draw;
use super::metrics::{metrics, MetricsQuery};

/// What was written.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthlyReported {
    pub path: String,
    pub bytes: u64,
    pub from: String,
    pub to: String,
}

/// The report of `month` (`YYYY-MM`) written to `out`.
pub fn monthly_report(
    ctx: &Ctx,
    month: &str,
    lang: PrintLang,
    font: &CjkFont,
    out: &Path,
) -> Result<MonthlyReported> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("“{month}” is not a YYYY-MM month"),
        )
        .with_field("month")
        .with_param("value", month)
    })?;
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let m = metrics(
        ctx,
        MetricsQuery {
            from: Some(first.to_string()),
            to: Some(last.to_string()),
            compare: true,
            segment: None,
            channel: None,
        },
    )?;
    let doc = document(ctx, &m, first, lang, font)?;
    let bytes = render_report_pdf(&doc, font)?;
    std::fs::write(out, &bytes).map_err(|e| {
        Error::new(
            ErrorCode::ExportFailed,
            format!("could not write {}: {e}", out.display()),
        )
        .with_param("reason", e.to_string())
    })?;
    Ok(MonthlyReported {
        path: out.display().to_string(),
        bytes: bytes.len() as u64,
        from: m.from,
        to: m.to,
    })
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn document(
    ctx: &Ctx,
    m: &Metrics,
    first: NaiveDate,
    lang: PrintLang,
    font: &CjkFont,
) -> Result<ReportDoc> {
    let zh = lang == PrintLang::Zh;
    let t = |a: &str, b: &str| if zh { a.to_owned() } else { b.to_owned() };
    let prev = m.previous.clone().unwrap_or_default();
    let before = |n: String| {
        if zh {
            format!("上月 {n}")
        } else {
            format!("last month {n}")
        }
    };
    let a = &m.activity;
    let e = &m.events;
    let rate = |r: Option<f64>| r.map_or_else(|| "—".to_owned(), percent);
    let tiles = vec![
        (
            t("成员总数", "Members"),
            m.growth.members_end.to_string(),
            before(m.growth.members_start.to_string()),
        ),
        (
            t("新增成员", "New members"),
            m.growth.new.to_string(),
            before(prev.new.to_string()),
        ),
        (
            t("离开成员", "Members who left"),
            m.growth.left.to_string(),
            before(prev.left.to_string()),
        ),
        (
            t("月活跃 (MAU)", "Monthly active (MAU)"),
            a.mau.to_string(),
            before(prev.mau.to_string()),
        ),
        (
            t("周活跃 (WAU)", "Weekly active (WAU)"),
            a.wau.to_string(),
            before(prev.wau.to_string()),
        ),
        (
            t("黏性 DAU/MAU", "Stickiness DAU/MAU"),
            percent(a.stickiness),
            String::new(),
        ),
        (
            t("到场率", "Attendance rate"),
            rate(e.attendance_rate),
            format!(
                "{} / {}",
                e.registered_past - e.no_show.min(e.registered_past),
                e.registered_past
            ),
        ),
        (
            t("发放积分", "Points issued"),
            m.points.issued.to_string(),
            before(prev.points_issued.to_string()),
        ),
    ];
    let mut charts = Vec::new();
    for name in ["growth", "active", "stages"] {
        charts.push(draw(m, name, ChartTheme::Light, lang, font)?.svg);
    }
    let mut table = vec![vec![
        t("指标", "Metric"),
        t("本月", "This month"),
        t("上月", "Last month"),
    ]];
    let rows: [(String, String, String); 6] = [
        (
            t("新增成员", "New members"),
            m.growth.new.to_string(),
            prev.new.to_string(),
        ),
        (
            t("离开成员", "Members who left"),
            m.growth.left.to_string(),
            prev.left.to_string(),
        ),
        (
            t("活跃成员", "Active members"),
            a.active.to_string(),
            prev.active.to_string(),
        ),
        (
            t("互动次数", "Activities"),
            a.activities.to_string(),
            prev.activities.to_string(),
        ),
        (
            t("活动到场人次", "Event check-ins"),
            e.attended.to_string(),
            prev.attended.to_string(),
        ),
        (
            t("信用扣分", "Credit deducted"),
            m.points.credit_deducted.to_string(),
            "—".to_owned(),
        ),
    ];
    table.extend(rows.into_iter().map(|(a, b, c)| vec![a, b, c]));
    for (i, c) in m.top.iter().take(5).enumerate() {
        table.push(vec![
            format!("{} {}", t("贡献榜", "Top contributor"), i + 1),
            c.display_name.clone(),
            format!("{} {}", c.points, t("积分", "points")),
        ]);
    }
    let now = ctx.clock.now().with_timezone(&ctx.clock.utc_offset());
    Ok(ReportDoc {
        title: t("社群月报", "Community monthly report"),
        subtitle: if zh {
            format!(
                "{} 年 {} 月（{} – {}）",
                first.format("%Y"),
                first.format("%-m"),
                m.from,
                m.to
            )
        } else {
            format!("{} ({} – {})", first.format("%B %Y"), m.from, m.to)
        },
        printed_at: if zh {
            format!("生成于 {}", now.format("%Y-%m-%d %H:%M"))
        } else {
            format!("Made {}", now.format("%Y-%m-%d %H:%M"))
        },
        lang,
        tiles,
        charts,
        table,
    })
}
