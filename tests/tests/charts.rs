//! Charts as the board and the report show them: SVG structure (accessible title, axes, bars
//! with hit areas), Chinese labels present and escaped, label boxes measured with the print
//! font's real glyph widths, light and dark palettes, and the dashboards' charts over a real
//! database with the members behind each bar.

mod common;

use hearth_core::domain::Drill;
use hearth_core::ops::dashboard::{self, ChartRequest};
use hearth_core::print::chart::{bars, label_box, BarChart, ChartTheme, Series, LABEL_SIZE};
use hearth_core::print::{CjkFont, PrintLang};

fn font() -> CjkFont {
    CjkFont::locate(None).expect("the CJK print font is installed (fonts-noto-cjk)")
}

fn sample() -> BarChart {
    BarChart {
        title: "新增 <成员> & “离开”".into(),
        categories: vec!["新成员".into(), "A<b>&c".into(), "沉睡".into()],
        series: vec![
            Series {
                name: "新增".into(),
                values: vec![3.0, 0.0, 12.0],
            },
            Series {
                name: "离开".into(),
                values: vec![1.0, 2.0, 0.0],
            },
        ],
        width: 640,
        height: 300,
    }
}

#[test]
fn a_bar_chart_has_a_title_axes_escaped_chinese_labels_and_a_hit_area_per_bar() {
    let font = font();
    let drawn = bars(&sample(), ChartTheme::Light, &font).unwrap();
    let svg = &drawn.svg;
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\"chart-title\">新增 &lt;成员&gt; &amp; “离开”</title>"));
    assert!(!svg.contains("<成员>"), "no raw markup from a label");
    assert!(
        svg.contains("A&lt;b&gt;&amp;c"),
        "a category label is escaped"
    );
    for label in ["新成员", "沉睡", "新增", "离开"] {
        assert!(svg.contains(label), "{label} is drawn");
    }
    assert!(svg.contains(&format!("font-family=\"{}\"", font.family())));
    // Axes: the y axis and the x axis are lines along the plot's left and bottom edges.
    let lines = svg.matches("<line").count();
    assert!(lines >= 2, "axes drawn ({lines} lines)");
    // 3 categories × 2 series, each bar with a transparent hit area in the same order.
    assert_eq!(drawn.bars.len(), 6);
    assert_eq!(svg.matches("class=\"hit\"").count(), 6);
    let tallest = drawn.bars.iter().max_by_key(|b| b.height).unwrap();
    assert_eq!(
        (tallest.category, tallest.series),
        (2, 0),
        "12 is the tallest bar"
    );
    assert!(drawn.bars.iter().all(|b| b.x >= 0 && b.x + b.width <= 640));
    assert!(svg.ends_with("</svg>\n") || svg.ends_with("</svg>"));
}

#[test]
fn labels_are_measured_with_the_fonts_real_glyph_widths() {
    let font = font();
    // Ideographs in Noto Sans CJK advance one em; the SVG's font size is LABEL_SIZE / 1.24.
    let em = LABEL_SIZE / 1.24;
    let (w, _) = label_box(&font, "新成员").unwrap();
    assert_eq!(w, (3.0 * em).ceil() as u32);
    let (latin, _) = label_box(&font, "iii").unwrap();
    assert!(
        f64::from(latin) < 1.5 * em,
        "narrow Latin letters are narrower than ideographs ({latin})"
    );
    let (mixed, _) = label_box(&font, "沉睡 Dormant").unwrap();
    assert!(mixed > w && f64::from(mixed) < 10.0 * em);
}

#[test]
fn light_and_dark_charts_differ_only_in_colours() {
    let font = font();
    let light = bars(&sample(), ChartTheme::Light, &font).unwrap();
    let dark = bars(&sample(), ChartTheme::Dark, &font).unwrap();
    assert!(light.svg.contains("fill=\"#FFFFFF\""));
    assert!(dark.svg.contains("fill=\"#111827\""));
    assert_eq!(light.bars, dark.bars, "same geometry");
}

#[test]
fn dashboard_charts_give_the_members_behind_each_bar() {
    let db = common::open_demo();
    let font = font();
    let chart = dashboard::chart(
        &db.ctx,
        &ChartRequest {
            name: "active".into(),
            from: Some("2026-11-19".into()),
            to: Some("2026-11-25".into()),
            theme: ChartTheme::Dark,
            lang: PrintLang::Zh,
            segment: None,
        },
        &font,
    )
    .unwrap();
    assert_eq!(chart.title, "每日活跃成员 (DAU)");
    assert_eq!(chart.bars.len(), 7);
    let metrics = dashboard::metrics(
        &db.ctx,
        dashboard::MetricsQuery {
            from: Some("2026-11-19".into()),
            to: Some("2026-11-25".into()),
            compare: false,
            segment: None,
            channel: None,
        },
    )
    .unwrap();
    for (bar, day) in chart.bars.iter().zip(&metrics.activity.days) {
        assert_eq!(
            bar,
            &Drill::Active {
                from: day.day.clone(),
                to: day.day.clone()
            }
        );
        let ids = dashboard::members_behind(&db.ctx, bar.clone()).unwrap();
        assert_eq!(
            ids.len() as u32,
            day.active,
            "the bar of {} opens its DAU",
            day.day
        );
    }
    assert!(metrics.activity.days.iter().any(|d| d.active > 0));
    let stages = dashboard::chart(
        &db.ctx,
        &ChartRequest {
            name: "stages".into(),
            from: None,
            to: None,
            theme: ChartTheme::Light,
            lang: PrintLang::En,
            segment: None,
        },
        &font,
    )
    .unwrap();
    assert!(stages.svg.contains(">\nDormant\n<") || stages.svg.contains("Dormant"));
    let unknown = dashboard::chart(
        &db.ctx,
        &ChartRequest {
            name: "nps".into(),
            from: None,
            to: None,
            theme: ChartTheme::Light,
            lang: PrintLang::En,
            segment: None,
        },
        &font,
    );
    assert_eq!(unknown.unwrap_err().field.as_deref(), Some("name"));
}
