//! The campaign report to send upward (zh-CN or English): goals and KPI progress, the key
//! numbers, tasks done, spend against budget, partners and the retrospective, printed through
//! the print layer.

use std::path::Path;

use serde::Serialize;

use super::{get, yuan};
use crate::domain::{
    BudgetCategory, Campaign, CampaignStatus, Contribution, FundingSource, GoalProgress,
    GoalStatus, Metric, TaskOwner, TaskStatus,
};
use crate::error::Result;
use crate::io::export::{write_atomically, write_failed};
use crate::ops::Ctx;
use crate::print::{self, CjkFont, PrintLang, ReportBlock, ReportDoc, ReportSection};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reported {
    pub path: String,
    pub bytes: u64,
}

/// Writes the campaign's report to `out` (through a `.part` file).
pub fn render(ctx: &Ctx, id: i64, lang: PrintLang, font: &CjkFont, out: &Path) -> Result<Reported> {
    let doc = document(ctx, id, lang)?;
    let bytes = print::render_report_pdf(&doc, font)?;
    write_atomically(out, |part| {
        std::fs::write(part, &bytes).map_err(|e| write_failed(out, e))
    })?;
    Ok(Reported {
        path: out.display().to_string(),
        bytes: bytes.len() as u64,
    })
}

fn zh(lang: PrintLang) -> bool {
    lang == PrintLang::Zh
}

pub fn metric_name(metric: Metric, lang: PrintLang) -> &'static str {
    let (z, e) = match metric {
        Metric::MemberCount => ("成员数", "Members"),
        Metric::MemberGrowthPct => ("成员增长 %", "Member growth %"),
        Metric::NewMembers30d => ("新成员（30 天）", "New members (30 d)"),
        Metric::Dau => ("日活", "Daily active"),
        Metric::Wau => ("周活", "Weekly active"),
        Metric::Mau => ("月活", "Monthly active"),
        Metric::InteractionsPerActive => {
            ("活跃成员日均互动", "Interactions per active member a day")
        }
        Metric::Retention90d => ("90 天留存 %", "90-day retention %"),
        Metric::EventsHeld30d => ("举办活动（30 天）", "Events held (30 d)"),
        Metric::AttendanceRate => ("到场率 %", "Attendance %"),
        Metric::NoShowRate => ("爽约率 %", "No-show %"),
        Metric::OpinionLeaders => ("意见领袖", "Opinion leaders"),
        Metric::PointsIssued30d => ("发放积分（30 天）", "Points issued (30 d)"),
        Metric::ContentPublishedPct => (
            "内容发布率 %（30 天）",
            "Content published vs planned % (30 d)",
        ),
        Metric::Manual => ("手动指标", "Manual metric"),
    };
    if zh(lang) {
        z
    } else {
        e
    }
}

fn status_name(s: GoalStatus, lang: PrintLang) -> &'static str {
    match (s, zh(lang)) {
        (GoalStatus::OnTrack, true) => "正常",
        (GoalStatus::AtRisk, true) => "有风险",
        (GoalStatus::OffTrack, true) => "落后",
        (GoalStatus::OnTrack, false) => "On track",
        (GoalStatus::AtRisk, false) => "At risk",
        (GoalStatus::OffTrack, false) => "Off track",
    }
}

/// A number as people read it: whole numbers without decimals, others with one.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), number)
}

fn goal_label(g: &GoalProgress, lang: PrintLang) -> String {
    if g.goal.label.is_empty() {
        metric_name(g.goal.metric, lang).to_owned()
    } else {
        g.goal.label.clone()
    }
}

/// The report's content, already localised.
pub fn document(ctx: &Ctx, id: i64, lang: PrintLang) -> Result<ReportDoc> {
    let c = get(ctx, id)?;
    let z = zh(lang);
    let t = |a: &'static str, b: &'static str| if z { a } else { b };
    let status = match c.summary.status {
        CampaignStatus::Planned => t("计划中", "Planned"),
        CampaignStatus::Running => t("进行中", "Running"),
        CampaignStatus::Finished => t("已结束", "Finished"),
        CampaignStatus::Cancelled => t("已取消", "Cancelled"),
    };
    let mut sections = vec![
        ReportSection {
            heading: t("目标与 KPI 进度", "Goals and KPI progress").to_owned(),
            blocks: goals_blocks(&c, lang),
        },
        key_numbers(&c, lang),
        tasks_section(&c, lang),
        budget_section(&c, lang),
        partners_section(&c, lang),
    ];
    let retro = &c.retrospective;
    let mut blocks = Vec::new();
    if !retro.end_numbers.is_empty() {
        blocks.push(ReportBlock::Table {
            widths: vec![80.0, 33.0, 33.0, 34.0],
            header: vec![
                t("结束时的指标", "Numbers at the end").into(),
                t("基线", "Baseline").into(),
                t("目标", "Target").into(),
                t("结束值", "At the end").into(),
            ],
            rows: retro
                .end_numbers
                .iter()
                .map(|n| {
                    vec![
                        if n.label.is_empty() {
                            metric_name(n.metric, lang).to_owned()
                        } else {
                            n.label.clone()
                        },
                        opt(n.baseline),
                        number(n.target),
                        opt(n.value),
                    ]
                })
                .collect(),
        });
    }
    let none = t("（未填写）", "(not written yet)");
    let or_none = |s: &str| {
        if s.is_empty() {
            none.to_owned()
        } else {
            s.to_owned()
        }
    };
    blocks.push(ReportBlock::Paragraph(format!(
        "{}{}",
        t("做得好的：", "What worked: "),
        or_none(&retro.what_worked)
    )));
    blocks.push(ReportBlock::Paragraph(format!(
        "{}{}",
        t("要改进的：", "What to change: "),
        or_none(&retro.what_to_change)
    )));
    sections.push(ReportSection {
        heading: t("复盘", "Retrospective").to_owned(),
        blocks,
    });
    let printed = ctx.clock.now().with_timezone(&ctx.clock.utc_offset());
    Ok(ReportDoc {
        title: format!("{}{}", t("活动报告：", "Campaign report: "), c.summary.name),
        subtitle: format!(
            "{} – {} · {} · {}{}",
            c.summary.starts_on,
            c.summary.ends_on,
            status,
            t("负责人：", "Owner: "),
            if c.summary.owner.is_empty() {
                "—"
            } else {
                &c.summary.owner
            }
        ),
        printed_at: format!(
            "{}{}",
            t("Hearth 社群运营台 · 生成于 ", "Hearth · printed "),
            printed.format("%Y-%m-%d %H:%M")
        ),
        lang,
        sections,
    })
}

fn goals_blocks(c: &Campaign, lang: PrintLang) -> Vec<ReportBlock> {
    let z = zh(lang);
    let t = |a: &'static str, b: &'static str| if z { a } else { b };
    let mut blocks = Vec::new();
    if !c.summary.goal.is_empty() {
        blocks.push(ReportBlock::Paragraph(c.summary.goal.clone()));
    }
    if c.goals.is_empty() {
        blocks.push(ReportBlock::Paragraph(
            t("这个活动没有设 KPI。", "This campaign has no KPIs.").to_owned(),
        ));
        return blocks;
    }
    blocks.push(ReportBlock::Table {
        widths: vec![50.0, 20.0, 20.0, 20.0, 22.0, 48.0],
        header: vec![
            t("KPI", "KPI").into(),
            t("基线", "Baseline").into(),
            t("当前", "Now").into(),
            t("目标", "Target").into(),
            t("预测", "Forecast").into(),
            t("状态", "Status").into(),
        ],
        rows: c
            .goals
            .iter()
            .map(|g| {
                vec![
                    goal_label(g, lang),
                    opt(g.goal.baseline),
                    opt(g.current),
                    number(g.goal.target),
                    opt(g.forecast),
                    format!("{} · {}", status_name(g.status, lang), g.goal.due_on),
                ]
            })
            .collect(),
    });
    blocks
}

fn key_numbers(c: &Campaign, lang: PrintLang) -> ReportSection {
    let z = zh(lang);
    let t = |a: &'static str, b: &'static str| if z { a } else { b };
    let done = c
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Done)
        .count();
    let rows = vec![
        vec![
            t("活动期间新成员", "New members during the campaign").into(),
            c.budget.new_members.to_string(),
        ],
        vec![
            t("活动期间活跃成员", "Members active during the campaign").into(),
            c.budget.active_members.to_string(),
        ],
        vec![
            t("关联活动", "Linked events").into(),
            c.events.len().to_string(),
        ],
        vec![
            t("参与成员", "Members in the campaign").into(),
            c.members.len().to_string(),
        ],
        vec![
            t("任务完成", "Tasks done").into(),
            format!("{done} / {}", c.tasks.len()),
        ],
    ];
    ReportSection {
        heading: t("关键数字", "Key numbers").to_owned(),
        blocks: vec![ReportBlock::Table {
            widths: vec![120.0, 60.0],
            header: vec![t("项目", "What").into(), t("数值", "Number").into()],
            rows,
        }],
    }
}

fn tasks_section(c: &Campaign, lang: PrintLang) -> ReportSection {
    let z = zh(lang);
    let t = |a: &'static str, b: &'static str| if z { a } else { b };
    let rows = c
        .tasks
        .iter()
        .map(|task| {
            let owner = match &task.owner {
                TaskOwner::Manager => t("运营者", "Manager").to_owned(),
                TaskOwner::Member { name, .. } | TaskOwner::Partner { name, .. } => name.clone(),
            };
            let status = match task.status {
                TaskStatus::Todo => t("待办", "To do"),
                TaskStatus::Doing => t("进行中", "Doing"),
                TaskStatus::Done => t("已完成", "Done"),
            };
            let checks = task.checklist.iter().filter(|c| c.done).count();
            vec![
                task.title.clone(),
                owner,
                task.due_on.clone(),
                format!("{status} ({checks}/{})", task.checklist.len()),
            ]
        })
        .collect::<Vec<_>>();
    let blocks = if rows.is_empty() {
        vec![ReportBlock::Paragraph(
            t("没有任务。", "No tasks.").to_owned(),
        )]
    } else {
        vec![ReportBlock::Table {
            widths: vec![72.0, 44.0, 28.0, 36.0],
            header: vec![
                t("任务", "Task").into(),
                t("负责人", "Owner").into(),
                t("截止", "Due").into(),
                t("状态（清单）", "Status (checklist)").into(),
            ],
            rows,
        }]
    };
    ReportSection {
        heading: t("任务", "Tasks").to_owned(),
        blocks,
    }
}

fn category(c: BudgetCategory, lang: PrintLang) -> &'static str {
    let (z, e) = match c {
        BudgetCategory::Venue => ("场地", "Venue"),
        BudgetCategory::Food => ("餐饮", "Food"),
        BudgetCategory::Prizes => ("奖品", "Prizes"),
        BudgetCategory::Printing => ("印刷", "Printing"),
        BudgetCategory::Transport => ("交通", "Transport"),
        BudgetCategory::Promotion => ("推广", "Promotion"),
        BudgetCategory::Other => ("其他", "Other"),
    };
    if zh(lang) {
        z
    } else {
        e
    }
}

fn source(s: FundingSource, lang: PrintLang) -> &'static str {
    let (z, e) = match s {
        FundingSource::Sponsorship => ("赞助", "Sponsorship"),
        FundingSource::Company => ("公司预算", "Company budget"),
        FundingSource::MemberFees => ("会员费", "Member fees"),
        FundingSource::Other => ("其他", "Other"),
    };
    if zh(lang) {
        z
    } else {
        e
    }
}

fn budget_section(c: &Campaign, lang: PrintLang) -> ReportSection {
    let z = zh(lang);
    let t = |a: &'static str, b: &'static str| if z { a } else { b };
    let b = &c.budget;
    let mut blocks = Vec::new();
    if b.lines.is_empty() && b.funding.is_empty() {
        blocks.push(ReportBlock::Paragraph(
            t("没有预算。", "No budget.").to_owned(),
        ));
    }
    if !b.lines.is_empty() {
        let mut rows: Vec<Vec<String>> = b
            .lines
            .iter()
            .map(|l| {
                vec![
                    category(l.category, lang).to_owned(),
                    l.label.clone(),
                    format!("{} {}", l.currency, yuan(l.planned_fen)),
                    format!("{} {}", l.currency, yuan(l.actual_fen)),
                ]
            })
            .collect();
        for total in &b.totals {
            rows.push(vec![
                t("合计", "Total").to_owned(),
                String::new(),
                format!("{} {}", total.currency, yuan(total.planned_fen)),
                format!("{} {}", total.currency, yuan(total.actual_fen)),
            ]);
        }
        blocks.push(ReportBlock::Table {
            widths: vec![30.0, 70.0, 40.0, 40.0],
            header: vec![
                t("类别", "Category").into(),
                t("说明", "Line").into(),
                t("预算", "Planned").into(),
                t("实际", "Actual").into(),
            ],
            rows,
        });
    }
    if !b.funding.is_empty() {
        blocks.push(ReportBlock::Table {
            widths: vec![40.0, 100.0, 40.0],
            header: vec![
                t("资金来源", "Funding").into(),
                t("说明", "Note").into(),
                t("金额", "Amount").into(),
            ],
            rows: b
                .funding
                .iter()
                .map(|f| {
                    vec![
                        source(f.source, lang).to_owned(),
                        f.note.clone(),
                        format!("{} {}", f.currency, yuan(f.amount_fen)),
                    ]
                })
                .collect(),
        });
    }
    for total in &b.totals {
        let per = |v: Option<i64>| {
            v.map_or_else(
                || "—".to_owned(),
                |f| format!("{} {}", total.currency, yuan(f)),
            )
        };
        blocks.push(ReportBlock::Paragraph(format!(
            "{}{} {} · {}{} · {}{}",
            t("资金合计：", "Funded: "),
            total.currency,
            yuan(total.funded_fen),
            t("每位新成员成本：", "cost per new member: "),
            per(total.per_new_member_fen),
            t("每位活跃成员成本：", "cost per active member: "),
            per(total.per_active_member_fen),
        )));
    }
    ReportSection {
        heading: t("支出与预算", "Spend vs budget").to_owned(),
        blocks,
    }
}

fn partners_section(c: &Campaign, lang: PrintLang) -> ReportSection {
    let z = zh(lang);
    let t = |a: &'static str, b: &'static str| if z { a } else { b };
    let gives = |list: &[Contribution]| {
        list.iter()
            .map(|c| match (c, z) {
                (Contribution::Venue, true) => "场地",
                (Contribution::Prizes, true) => "奖品",
                (Contribution::Money, true) => "资金",
                (Contribution::Audience, true) => "受众",
                (Contribution::Venue, false) => "venue",
                (Contribution::Prizes, false) => "prizes",
                (Contribution::Money, false) => "money",
                (Contribution::Audience, false) => "audience",
            })
            .collect::<Vec<_>>()
            .join(if z { "、" } else { ", " })
    };
    let blocks = if c.partners.is_empty() {
        vec![ReportBlock::Paragraph(
            t("没有合作方。", "No partners.").to_owned(),
        )]
    } else {
        vec![ReportBlock::Table {
            widths: vec![60.0, 40.0, 40.0, 40.0],
            header: vec![
                t("合作方", "Partner").into(),
                t("联系人", "Contact").into(),
                t("提供", "Contributes").into(),
                t("合作次数", "Campaigns").into(),
            ],
            rows: c
                .partners
                .iter()
                .map(|p| {
                    vec![
                        p.organisation.clone(),
                        p.contact.clone(),
                        gives(&p.contributes),
                        p.history.len().to_string(),
                    ]
                })
                .collect(),
        }]
    };
    ReportSection {
        heading: t("合作方", "Partners").to_owned(),
        blocks,
    }
}
