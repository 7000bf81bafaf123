//! The monthly report PDF read back with pdftotext: the title, the month, the key numbers as
//! the dashboards compute them, the charts' titles and labels (drawn from the same SVG) and the
//! table, in Chinese and in English.

mod common;

use std::process::Command;

use hearth_core::ops::dashboard::{self, MetricsQuery};
use hearth_core::print::{CjkFont, PrintLang};

fn text_of(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_monthly_report_shows_the_months_numbers_charts_and_table_in_both_languages() {
    let db = common::open_demo();
    let font = CjkFont::locate(None).unwrap();
    let month = dashboard::metrics(
        &db.ctx,
        MetricsQuery {
            from: Some("2026-10-01".into()),
            to: Some("2026-10-31".into()),
            compare: true,
            segment: None,
            channel: None,
        },
    )
    .unwrap();
    assert!(
        month.growth.new > 0 && month.activity.mau > 0,
        "the demo has a lively October"
    );

    let zh = db.dir.path().join("月报.pdf");
    let done = dashboard::monthly_report(&db.ctx, "2026-10", PrintLang::Zh, &font, &zh).unwrap();
    assert_eq!(
        (done.from.as_str(), done.to.as_str()),
        ("2026-10-01", "2026-10-31")
    );
    let text = text_of(&zh);
    for expected in [
        "社群月报",
        "2026 年 10 月",
        "新增成员",
        "每周新增与离开成员",
        "每日活跃成员 (DAU)",
        "各生命周期阶段成员",
        "沉睡",
        "指标",
        "上月",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    let numbers = [
        month.growth.new.to_string(),
        month.activity.mau.to_string(),
        month.points.issued.to_string(),
    ];
    for n in &numbers {
        assert!(text.contains(n.as_str()), "{n} printed");
    }
    assert!(
        text.contains(&month.top[0].display_name),
        "the top contributor is named"
    );

    let en = db.dir.path().join("report.pdf");
    dashboard::monthly_report(&db.ctx, "2026-10", PrintLang::En, &font, &en).unwrap();
    let text = text_of(&en);
    for expected in [
        "Community monthly report",
        "October 2026",
        "New and left members per week",
        "Dormant",
        "Last month",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }

    let bad = dashboard::monthly_report(&db.ctx, "2026-13", PrintLang::En, &font, &en);
    assert_eq!(bad.unwrap_err().field.as_deref(), Some("month"));
}
