//! The dashboards' charts: which numbers each one shows, in which language and theme, and the
//! members behind each bar. Drawing is `print::chart`'s.

use serde::{Deserialize, Serialize};

use crate::domain::{Drill, Metrics, Stage};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::Ctx;
use crate::print::chart::{self, BarChart, ChartTheme, Series};
use crate::print::{CjkFont, PrintLang};

use super::metrics::{metrics_of, MetricsQuery, Tile};

/// The charts there are, by name (`hearth chart NAME`).
pub const CHARTS: [&str; 3] = ["growth", "active", "stages"];

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChartRequest {
    /// One of [`CHARTS`].
    pub name: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    pub theme: ChartTheme,
    pub lang: PrintLang,
    /// Only this saved segment's members (see [`MetricsQuery::segment`]).
    #[serde(default)]
    pub segment: Option<i64>,
}

/// A chart as SVG, and the members behind its bars (`data-bar` index → drill).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChartSvg {
    pub name: String,
    pub title: String,
    pub svg: String,
    pub bars: Vec<Drill>,
}

pub fn chart(ctx: &Ctx, request: &ChartRequest, font: &CjkFont) -> Result<ChartSvg> {
    // Only the tile the chart draws.
    let tile = match request.name.as_str() {
        "growth" => Tile::Growth,
        "active" => Tile::Activity,
        _ => Tile::Lifecycle,
    };
    let m = metrics_of(
        ctx,
        MetricsQuery {
            from: request.from.clone(),
            to: request.to.clone(),
            compare: false,
            segment: request.segment,
            channel: None,
        },
        &[tile],
    )?;
    draw(&m, &request.name, request.theme, request.lang, font)
}

/// Writes a chart to `out`: its SVG, or a PNG of the same SVG at twice its size when `out`
/// ends in `.png`. Any other extension is refused before anything is computed.
pub fn export(
    ctx: &Ctx,
    request: &ChartRequest,
    font: &CjkFont,
    out: &std::path::Path,
) -> Result<ChartSvg> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let png = match ext.as_deref() {
        Some("svg") => false,
        Some("png") => true,
        _ => {
            return Err(Error::new(
                ErrorCode::UnsupportedFormat,
                "a chart is written as .svg or .png",
            )
            .with_field("out")
            .with_param("value", out.display().to_string()))
        }
    };
    let drawn = chart(ctx, request, font)?;
    let bytes = if png {
        crate::print::raster::png(&drawn.svg, font, 2.0)?
    } else {
        drawn.svg.clone().into_bytes()
    };
    std::fs::write(out, bytes).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("could not write {}: {e}", out.display()),
        )
    })?;
    Ok(drawn)
}

/// One chart of already computed metrics (the report draws several from one computation).
pub fn draw(
    m: &Metrics,
    name: &str,
    theme: ChartTheme,
    lang: PrintLang,
    font: &CjkFont,
) -> Result<ChartSvg> {
    let zh = lang == PrintLang::Zh;
    let t = |zh_text: &str, en: &str| {
        if zh {
            zh_text.to_owned()
        } else {
            en.to_owned()
        }
    };
    let (title, categories, series, drills): (String, Vec<String>, Vec<Series>, Vec<Vec<Drill>>) =
        match name {
            "growth" => {
                let weeks = &m.growth.weeks;
                (
                    t("每周新增与离开成员", "New and left members per week"),
                    weeks.iter().map(|w| w.from[5..].to_owned()).collect(),
                    vec![
                        Series {
                            name: t("新增", "New"),
                            values: weeks.iter().map(|w| f64::from(w.new)).collect(),
                        },
                        Series {
                            name: t("离开", "Left"),
                            values: weeks.iter().map(|w| f64::from(w.left)).collect(),
                        },
                    ],
                    vec![
                        weeks
                            .iter()
                            .map(|w| Drill::New {
                                from: w.from.clone(),
                                to: w.to.clone(),
                            })
                            .collect(),
                        weeks
                            .iter()
                            .map(|w| Drill::Left {
                                from: w.from.clone(),
                                to: w.to.clone(),
                            })
                            .collect(),
                    ],
                )
            }
            "active" => {
                let days = &m.activity.days;
                (
                    t("每日活跃成员 (DAU)", "Active members per day (DAU)"),
                    days.iter().map(|d| d.day[5..].to_owned()).collect(),
                    vec![Series {
                        name: t("活跃成员", "Active members"),
                        values: days.iter().map(|d| f64::from(d.active)).collect(),
                    }],
                    vec![days
                        .iter()
                        .map(|d| Drill::Active {
                            from: d.day.clone(),
                            to: d.day.clone(),
                        })
                        .collect()],
                )
            }
            "stages" => {
                let stages = &m.lifecycle.stages;
                (
                    t("各生命周期阶段成员", "Members per lifecycle stage"),
                    stages
                        .iter()
                        .map(|s| stage_name(s.stage, zh).to_owned())
                        .collect(),
                    vec![Series {
                        name: t("成员", "Members"),
                        values: stages.iter().map(|s| f64::from(s.members)).collect(),
                    }],
                    vec![stages
                        .iter()
                        .map(|s| Drill::Stage { stage: s.stage })
                        .collect()],
                )
            }
            other => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("“{other}” is not a chart ({})", CHARTS.join(", ")),
                )
                .with_field("name")
                .with_param("value", other))
            }
        };
    let drawn = chart::bars(
        &BarChart {
            title: title.clone(),
            categories,
            series,
            width: 720,
            height: 320,
        },
        theme,
        font,
    )?;
    let bars = drawn
        .bars
        .iter()
        .map(|b| drills[b.series][b.category].clone())
        .collect();
    Ok(ChartSvg {
        name: name.to_owned(),
        title,
        svg: drawn.svg,
        bars,
    })
}

pub(crate) fn stage_name(stage: Stage, zh: bool) -> &'static str {
    match (stage, zh) {
        (Stage::New, true) => "新成员",
        (Stage::Active, true) => "活跃",
        (Stage::Loyal, true) => "忠实",
        (Stage::Core, true) => "核心",
        (Stage::Dormant, true) => "沉睡",
        (Stage::Churned, true) => "流失",
        (s, false) => match s {
            Stage::New => "New",
            Stage::Active => "Active",
            Stage::Loyal => "Loyal",
            Stage::Core => "Core",
            Stage::Dormant => "Dormant",
            Stage::Churned => "Churned",
        },
    }
}
