//! Segments (saved filters) over a real database: every filter part (tags, role, city, source,
//! joined range, activity windows, lifecycle stage, opinion leaders, points, credit score, custom
//! fields), live counts, the daily snapshot that tells who entered and who left, exports of a
//! segment, members added by hand (counts, lists, snapshots, Undo, merges) and bulk role changes.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::Duration;
use common::{draft, dump_db, now, open, TestDb};
use hearth_core::domain::{
    CustomCondition, CustomFieldDraft, CustomFieldKind, CustomOp, IdentityKind::*, MemberDraft,
    MemberFilter,
};
use hearth_core::io::export::{CsvEncoding, ExportColumn, ExportFormat};
use hearth_core::ops::credit::{self, Deduct};
use hearth_core::ops::custom_fields;
use hearth_core::ops::engagement::{self, AdjustPoints, LogActivities};
use hearth_core::ops::export::{export_members, ExportMembers, ExportScope};
use hearth_core::ops::lifecycle::{self, SetOpinionLeader, SetOverride, Stage};
use hearth_core::ops::members::{self, ListMembers, MergeMembers, RoleChange, UndoMerge};
use hearth_core::ops::rewards::{self, Redeem, RewardDraft};
use hearth_core::ops::segments::{self, SaveSegment, SegmentMembers};
use hearth_core::store::Store;
use hearth_core::{Ctx, ErrorCode, FixedClock};

/// 张伟 (北京, 讲者+VIP, speaker, joined 2024-03), 李娜 (上海, VIP, volunteer, 2025-01),
/// 王芳 (北京, 新人, no role, 2025-06), Tom (Berlin, 讲者, speaker, no join date).
fn community(db: &TestDb) -> Vec<i64> {
    let people = [
        (
            "张伟",
            "北京",
            &["讲者", "VIP"][..],
            "speaker",
            Some("2024-03-05"),
            "微信群",
        ),
        (
            "李娜",
            "上海",
            &["VIP"][..],
            "volunteer",
            Some("2025-01-10"),
            "QQ群",
        ),
        (
            "王芳",
            "北京",
            &["新人"][..],
            "",
            Some("2025-06-30"),
            "微信群",
        ),
        ("Tom", "Berlin", &["讲者"][..], "speaker", None, "Meetup"),
    ];
    people
        .iter()
        .enumerate()
        .map(|(i, (name, city, tags, role, joined, source))| {
            let mut d = draft(name, &[(Phone, &format!("1380013800{i}"))], tags);
            d.city = (*city).into();
            d.role = (*role).into();
            d.joined_at = joined.map(str::to_owned);
            d.source = (*source).into();
            members::create(&db.ctx, d).unwrap().id
        })
        .collect()
}

fn names(db: &TestDb, filter: MemberFilter) -> Vec<String> {
    names_at(&db.ctx, filter)
}

/// Names (sorted) of the members the filter selects, on this context's clock.
fn names_at(ctx: &Ctx, filter: MemberFilter) -> Vec<String> {
    sorted_names(
        members::list(
            ctx,
            ListMembers {
                filter: Some(filter),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.display_name),
    )
}

/// Names (sorted) of a segment's members.
fn segment_names(ctx: &Ctx, id: i64) -> Vec<String> {
    sorted_names(
        members::list(
            ctx,
            ListMembers {
                segment: Some(id),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.display_name),
    )
}

fn sorted_names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = names.collect();
    out.sort();
    out
}

/// The same names, sorted like [`names`] sorts them.
fn set(v: &[&str]) -> Vec<String> {
    sorted_names(v.iter().map(|s| (*s).to_owned()))
}

/// The same database seen `days` days after `NOW`.
fn ctx_at(db: &TestDb, days: i64) -> Ctx {
    Ctx::new(
        Store::open(db.ctx.store.path()).unwrap(),
        Arc::new(FixedClock(now() + Duration::days(days))),
    )
}

fn person(db: &TestDb, name: &str) -> i64 {
    members::create(&db.ctx, draft(name, &[], &[])).unwrap().id
}

/// A member who joined `days_ago` days before `NOW` (or never said when).
fn joined(db: &TestDb, name: &str, days_ago: Option<i64>) -> i64 {
    members::create(
        &db.ctx,
        MemberDraft {
            joined_at: days_ago.map(|d| (now() - Duration::days(d)).format("%Y-%m-%d").to_string()),
            ..draft(name, &[], &[])
        },
    )
    .unwrap()
    .id
}

/// Logs a check-in for `id`, `days_ago` days before `NOW`.
fn log_days_ago(db: &TestDb, id: i64, days_ago: i64) -> Vec<i64> {
    engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![id],
            kind: "checkin".into(),
            occurred_at: Some((now() - Duration::days(days_ago)).to_rfc3339()),
            note: String::new(),
        },
    )
    .unwrap()
    .activity_ids
}

fn everything(db: &TestDb) -> String {
    dump_db(db.ctx.store.path(), |_| true)
}

fn segment(ctx: &Ctx, id: i64) -> hearth_core::domain::Segment {
    segments::list(ctx)
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap()
}

fn tags(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_part_of_a_filter_narrows_the_list() {
    let db = open();
    community(&db);
    let f = MemberFilter::default;
    assert_eq!(
        names(
            &db,
            MemberFilter {
                tags_all: tags(&["讲者", "VIP"]),
                ..f()
            }
        ),
        ["张伟"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                tags_any: tags(&["新人", "讲者"]),
                ..f()
            }
        ),
        ["Tom", "张伟", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                tags_none: tags(&["VIP"]),
                ..f()
            }
        ),
        ["Tom", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                roles: tags(&["speaker"]),
                ..f()
            }
        ),
        ["Tom", "张伟"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                cities: tags(&["北京"]),
                ..f()
            }
        ),
        ["张伟", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                sources: tags(&["QQ群", "Meetup"]),
                ..f()
            }
        ),
        ["Tom", "李娜"]
    );
    // The last day counts in full; members without a join date fall outside any range.
    assert_eq!(
        names(
            &db,
            MemberFilter {
                joined_from: Some("2025-01-10".into()),
                joined_to: Some("2025-06-30".into()),
                ..f()
            }
        ),
        ["李娜", "王芳"]
    );
    assert_eq!(
        names(
            &db,
            MemberFilter {
                cities: tags(&["北京"]),
                tags_none: tags(&["新人"]),
                roles: tags(&["speaker"]),
                ..f()
            }
        ),
        ["张伟"]
    );
    // Search and filter together; the total is the filtered total.
    let page = members::list(
        &db.ctx,
        ListMembers {
            search: Some("zw".into()),
            filter: Some(MemberFilter {
                cities: tags(&["北京"]),
                ..f()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.members[0].display_name, "张伟");
}

#[test]
fn a_bad_date_in_a_filter_is_refused_with_its_field() {
    let db = open();
    let err = members::list(
        &db.ctx,
        ListMembers {
            filter: Some(MemberFilter {
                joined_from: Some("2025-13-01".into()),
                ..Default::default()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidDate);
    assert_eq!(err.field.as_deref(), Some("joined_from"));
}

#[test]
fn segments_keep_live_counts_and_tell_who_entered_and_left_since_yesterday() {
    let db = open();
    let ids = community(&db);
    let vip = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "VIP 会员".into(),
            filter: MemberFilter {
                tags_all: tags(&["VIP"]),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(vip.count, 2);
    assert_eq!(vip.entered, None, "no earlier snapshot yet");
    // A name another segment has is refused.
    let clash = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "vip 会员".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(clash.code, ErrorCode::NameTaken);

    // The next day: 王芳 becomes VIP, 李娜 loses it.
    let tomorrow = Ctx::open_in_dir(
        db.dir.path(),
        Arc::new(FixedClock(now() + Duration::days(1))),
    )
    .unwrap();
    members::bulk_tag(
        &tomorrow,
        members::BulkTag {
            ids: vec![ids[2]],
            add: tags(&["VIP"]),
            remove: vec![],
            expires_on: None,
        },
    )
    .unwrap();
    members::bulk_tag(
        &tomorrow,
        members::BulkTag {
            ids: vec![ids[1]],
            add: vec![],
            remove: tags(&["VIP"]),
            expires_on: None,
        },
    )
    .unwrap();
    let listed = segments::list(&tomorrow).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].count, 2);
    assert_eq!((listed[0].entered, listed[0].left), (Some(1), Some(1)));
    assert_eq!(listed[0].since.as_deref(), Some("2026-11-25"));
    let changes = segments::changes(&tomorrow, vip.id).unwrap();
    assert_eq!(
        changes
            .entered
            .iter()
            .map(|m| m.display_name.as_str())
            .collect::<Vec<_>>(),
        ["王芳"]
    );
    assert_eq!(
        changes
            .left
            .iter()
            .map(|m| m.display_name.as_str())
            .collect::<Vec<_>>(),
        ["李娜"]
    );

    // The board lists a segment's members; an export of it writes exactly them.
    let page = members::list(
        &tomorrow,
        ListMembers {
            segment: Some(vip.id),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 2);
    let path = db.dir.path().join("vip.csv");
    let out = export_members(
        &tomorrow,
        &ExportMembers {
            path: path.to_string_lossy().into_owned(),
            format: ExportFormat::Csv,
            scope: ExportScope::Segment { id: vip.id },
            columns: vec![ExportColumn::Name],
            csv_encoding: CsvEncoding::Utf8Bom,
            chinese_headers: true,
            neutralise_formulas: true,
            include_custom: true,
        },
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(out.members, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("张伟") && text.contains("王芳") && !text.contains("李娜"),
        "{text}"
    );

    // Delete gives back what Undo needs to save it again.
    let gone = segments::delete(&tomorrow, vip.id).unwrap();
    assert!(segments::list(&tomorrow).unwrap().is_empty());
    let back = segments::save(&tomorrow, gone).unwrap();
    assert_eq!(back.count, 2);
}

#[test]
fn bulk_role_change_returns_the_old_roles_for_undo() {
    let db = open();
    let ids = community(&db);
    let previous = members::set_roles(
        &db.ctx,
        ids.iter()
            .map(|id| RoleChange {
                id: *id,
                role: "志愿者".into(),
            })
            .collect(),
    )
    .unwrap();
    assert_eq!(
        names(
            &db,
            MemberFilter {
                roles: tags(&["志愿者"]),
                ..Default::default()
            }
        )
        .len(),
        4
    );
    let roles: Vec<&str> = previous.iter().map(|c| c.role.as_str()).collect();
    assert_eq!(roles, ["speaker", "volunteer", "", "speaker"]);
    members::set_roles(&db.ctx, previous).unwrap();
    assert_eq!(
        names(
            &db,
            MemberFilter {
                roles: tags(&["speaker"]),
                ..Default::default()
            }
        ),
        ["Tom", "张伟"]
    );
    let facets = members::facets(&db.ctx).unwrap();
    assert_eq!(facets.roles[0], ("speaker".to_owned(), 2));
    assert!(facets.cities.contains(&("北京".to_owned(), 2)));
}

#[test]
fn a_segment_and_the_filter_bar_must_both_hold() {
    let db = open();
    community(&db);
    let beijing = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "北京".into(),
            filter: MemberFilter {
                cities: tags(&["北京"]),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    let page = members::list(
        &db.ctx,
        ListMembers {
            segment: Some(beijing.id),
            filter: Some(MemberFilter {
                roles: tags(&["speaker"]),
                ..Default::default()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    let names: Vec<&str> = page
        .members
        .iter()
        .map(|m| m.display_name.as_str())
        .collect();
    assert_eq!(names, ["张伟"], "Tom is a speaker but not in Beijing");
}

#[test]
fn activity_windows_count_live_activities_on_the_last_local_days() {
    let db = open();
    let recent = person(&db, "近期");
    let old = person(&db, "老朋友");
    person(&db, "潜水");
    let undone = person(&db, "撤销");
    log_days_ago(&db, recent, 3);
    log_days_ago(&db, old, 40);
    // An activity taken back does not count.
    let ids = log_days_ago(&db, undone, 0);
    engagement::undo(&db.ctx, ids).unwrap();
    let f = MemberFilter::default;
    let active = |n| MemberFilter {
        active_within_days: Some(n),
        ..f()
    };
    let quiet = |n| MemberFilter {
        quiet_for_days: Some(n),
        ..f()
    };
    assert_eq!(names(&db, active(7)), ["近期"]);
    assert_eq!(names(&db, quiet(30)), set(&["老朋友", "潜水", "撤销"]));
    // The last N days are today and the N - 1 before it: 3 days ago is in the last 4, not 3.
    assert_eq!(names(&db, active(4)), ["近期"]);
    assert!(names(&db, active(3)).is_empty());
    assert_eq!(names(&db, quiet(3)).len(), 4);
    // Both: active in the last 60 days but quiet for the last 30.
    assert_eq!(
        names(
            &db,
            MemberFilter {
                active_within_days: Some(60),
                quiet_for_days: Some(30),
                ..f()
            }
        ),
        ["老朋友"]
    );
    // The windows move with the clock.
    let later = ctx_at(&db, 10);
    assert!(names_at(&later, active(7)).is_empty());
    assert_eq!(names_at(&later, active(14)), ["近期"]);
    // A window of 0 days (or over ten years) is refused, naming the field.
    let err = members::list(
        &db.ctx,
        ListMembers {
            filter: Some(quiet(0)),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(err.field.as_deref(), Some("quiet_for_days"));
}

#[test]
fn stages_are_the_stage_everyone_sees_and_new_members_count_as_the_rules_assess_them() {
    let db = open();
    let keen = person(&db, "活跃");
    for d in 0..4 {
        log_days_ago(&db, keen, d);
    }
    let boss = person(&db, "核心");
    log_days_ago(&db, boss, 5);
    lifecycle::set_override(
        &db.ctx,
        SetOverride {
            member_id: boss,
            stage: Some(Stage::Core),
            reason: "群主".into(),
        },
    )
    .unwrap();
    // Never assessed (no activities): new while a day of the demotion hold is within the
    // new-member window of joining (30 + 14 days by default), dormant after that or without a
    // joining date.
    let everyone = [
        keen,
        boss,
        joined(&db, "新人", Some(5)),
        joined(&db, "上月", Some(40)),
        joined(&db, "两月前", Some(50)),
        joined(&db, "无日期", None),
    ];
    let f = MemberFilter::default;
    let stage = |stages: &[Stage]| MemberFilter {
        stages: stages.to_vec(),
        ..f()
    };
    assert_eq!(names(&db, stage(&[Stage::Active])), ["活跃"]);
    assert_eq!(
        names(&db, stage(&[Stage::Core])),
        ["核心"],
        "the override counts, not the stored stage"
    );
    assert_eq!(names(&db, stage(&[Stage::New])), set(&["上月", "新人"]));
    assert_eq!(
        names(&db, stage(&[Stage::Dormant])),
        set(&["两月前", "无日期"])
    );
    assert_eq!(
        names(&db, stage(&[Stage::New, Stage::Core])),
        set(&["上月", "新人", "核心"])
    );
    // Exactly the stage the member's page shows, for every stage.
    for s in Stage::ALL {
        let shown: Vec<String> = sorted_names(
            everyone
                .iter()
                .filter(|id| lifecycle::show(&db.ctx, **id).unwrap().stage == s)
                .map(|id| members::get(&db.ctx, *id).unwrap().display_name),
        );
        assert_eq!(names(&db, stage(&[s])), shown, "{s:?}");
    }

    // Opinion leaders: the manager's word (members never assessed are not leaders).
    lifecycle::set_opinion_leader(
        &db.ctx,
        SetOpinionLeader {
            member_id: keen,
            opinion_leader: Some(true),
            reason: "常回答问题".into(),
        },
    )
    .unwrap();
    let leader = |b| MemberFilter {
        opinion_leader: Some(b),
        ..f()
    };
    assert_eq!(names(&db, leader(true)), ["活跃"]);
    assert_eq!(names(&db, leader(false)).len(), everyone.len() - 1);
}

#[test]
fn points_ranges_use_the_ledger_balance_after_redemptions() {
    let db = open();
    let rich = person(&db, "积分多");
    let spent = person(&db, "兑换过");
    person(&db, "零分");
    for (id, delta) in [(rich, 120), (spent, 100)] {
        engagement::adjust(
            &db.ctx,
            AdjustPoints {
                member_id: id,
                delta,
                reason: "活动奖励".into(),
            },
        )
        .unwrap();
    }
    let cup = rewards::save_reward(
        &db.ctx,
        RewardDraft {
            id: None,
            name_zh: "马克杯".into(),
            name_en: String::new(),
            cost: 60,
            stock: None,
            active: true,
        },
    )
    .unwrap();
    let out = rewards::redeem(
        &db.ctx,
        Redeem {
            member_id: spent,
            reward_id: cup.id,
            note: String::new(),
        },
    )
    .unwrap();
    assert_eq!(out.balance, 40);
    let range = |lo, hi| MemberFilter {
        points_min: lo,
        points_max: hi,
        ..Default::default()
    };
    assert_eq!(names(&db, range(Some(41), None)), ["积分多"]);
    assert_eq!(names(&db, range(Some(40), Some(100))), ["兑换过"]);
    assert_eq!(names(&db, range(None, Some(0))), ["零分"]);
    assert_eq!(names(&db, range(Some(0), None)).len(), 3);
    let err = members::list(
        &db.ctx,
        ListMembers {
            filter: Some(range(Some(10), Some(5))),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidInput, Some("points_max"))
    );
}

#[test]
fn credit_at_most_is_the_score_now_and_points_come_back_when_deductions_expire() {
    let db = open();
    let spammer = person(&db, "刷屏");
    person(&db, "守规矩");
    // spam: 10 points for 180 days; a broken rule: 5 points for 90 days. Score 100 - 15 = 85.
    for rule in ["spam", "rule_break"] {
        credit::deduct(
            &db.ctx,
            Deduct {
                member_id: spammer,
                rule_key: rule.into(),
                points: None,
                evidence: "群聊截图".into(),
                channel_id: None,
                occurred_at: None,
            },
        )
        .unwrap();
    }
    let at_most = |n| MemberFilter {
        credit_max: Some(n),
        ..Default::default()
    };
    assert_eq!(names(&db, at_most(85)), ["刷屏"]);
    assert!(names(&db, at_most(84)).is_empty());
    assert_eq!(
        names(&db, at_most(100)).len(),
        2,
        "everyone is at the start score or below"
    );
    // After 91 days the broken rule's points are back (90); after 181 the spam's too (100).
    let later = ctx_at(&db, 91);
    assert!(names_at(&later, at_most(85)).is_empty());
    assert_eq!(names_at(&later, at_most(90)), ["刷屏"]);
    let much_later = ctx_at(&db, 181);
    assert!(names_at(&much_later, at_most(99)).is_empty());
}

fn field(db: &TestDb, label: &str, kind: CustomFieldKind, options: &[&str]) {
    custom_fields::create(
        &db.ctx,
        CustomFieldDraft {
            label: label.into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
        },
    )
    .unwrap();
}

fn with_custom(db: &TestDb, name: &str, values: &[(&str, &str)]) -> i64 {
    let mut d = draft(name, &[], &[]);
    for (label, value) in values {
        d.custom.insert((*label).into(), (*value).into());
    }
    members::create(&db.ctx, d).unwrap().id
}

fn cond(label: &str, op: CustomOp, value: &str) -> MemberFilter {
    MemberFilter {
        custom: vec![CustomCondition {
            label: label.into(),
            op,
            value: value.into(),
        }],
        ..Default::default()
    }
}

/// 甲 35 金卡 2026-12-31 摄影+徒步 Tencent 腾讯; 乙 28 银卡 2026-06-30 读书; 丙 40.5 徒步; 丁 nothing.
fn custom_community(db: &TestDb) {
    field(db, "年龄", CustomFieldKind::Number, &[]);
    field(db, "会员等级", CustomFieldKind::Choice, &["金卡", "银卡"]);
    field(db, "到期日", CustomFieldKind::Date, &[]);
    field(
        db,
        "兴趣",
        CustomFieldKind::Multi,
        &["摄影", "徒步", "读书"],
    );
    field(db, "公司", CustomFieldKind::Text, &[]);
    with_custom(
        db,
        "甲",
        &[
            ("年龄", "35"),
            ("会员等级", "金卡"),
            ("到期日", "2026-12-31"),
            ("兴趣", "徒步, 摄影"),
            ("公司", "Tencent 腾讯"),
        ],
    );
    with_custom(
        db,
        "乙",
        &[
            ("年龄", "28"),
            ("会员等级", "银卡"),
            ("到期日", "2026-06-30"),
            ("兴趣", "读书"),
        ],
    );
    with_custom(db, "丙", &[("年龄", "40.5"), ("兴趣", "徒步")]);
    with_custom(db, "丁", &[]);
}

#[test]
fn custom_conditions_compare_numbers_as_numbers_dates_as_days_and_choices_by_option() {
    let db = open();
    custom_community(&db);
    use CustomOp::*;
    // "9" is below "28" as text but not as a number.
    assert_eq!(names(&db, cond("年龄", Gte, "9")), set(&["甲", "乙", "丙"]));
    assert_eq!(names(&db, cond("年龄", Gte, "30")), set(&["甲", "丙"]));
    assert_eq!(names(&db, cond("年龄", Lte, "28")), ["乙"]);
    assert_eq!(names(&db, cond("年龄", Equals, "35.0")), ["甲"]);
    assert_eq!(names(&db, cond("会员等级", Equals, "金卡")), ["甲"]);
    assert_eq!(names(&db, cond("到期日", Lte, "2026-07-01")), ["乙"]);
    assert_eq!(names(&db, cond("到期日", Gte, "2026-07-01")), ["甲"]);
    assert_eq!(names(&db, cond("到期日", Equals, "2026-12-31")), ["甲"]);
    assert_eq!(
        names(&db, cond("兴趣", Contains, "徒步")),
        set(&["甲", "丙"])
    );
    assert_eq!(names(&db, cond("兴趣", Contains, "摄影，徒步")), ["甲"]);
    assert_eq!(names(&db, cond("兴趣", Equals, "读书")), ["乙"]);
    assert_eq!(names(&db, cond("公司", Contains, "tencent")), ["甲"]);
    assert_eq!(names(&db, cond("公司", Equals, "tencent 腾讯")), ["甲"]);
    assert_eq!(
        names(&db, cond("会员等级", IsEmpty, "")),
        set(&["丙", "丁"])
    );
    assert_eq!(
        names(&db, cond("年龄", IsSet, "")),
        set(&["甲", "乙", "丙"])
    );
    // Labels ignore case and spacing like the fields themselves; conditions combine with AND.
    let mut both = cond(" 年龄 ", Gte, "30");
    both.custom.push(CustomCondition {
        label: "兴趣".into(),
        op: Contains,
        value: "摄影".into(),
    });
    assert_eq!(names(&db, both), ["甲"]);
}

#[test]
fn bad_custom_conditions_are_refused_naming_the_field_and_save_nothing() {
    let db = open();
    custom_community(&db);
    use CustomOp::*;
    let refused = |filter: MemberFilter| {
        members::list(
            &db.ctx,
            ListMembers {
                filter: Some(filter),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap_err()
    };
    let check = |filter: MemberFilter, code: ErrorCode, field: &str| {
        let err = refused(filter);
        assert_eq!(
            (err.code, err.field.as_deref()),
            (code, Some(field)),
            "{err:?}"
        );
    };
    check(cond("身高", Gte, "180"), ErrorCode::InvalidInput, "身高");
    check(
        cond("会员等级", Gte, "金卡"),
        ErrorCode::InvalidInput,
        "会员等级",
    );
    check(cond("年龄", Contains, "3"), ErrorCode::InvalidInput, "年龄");
    check(cond("公司", Lte, "m"), ErrorCode::InvalidInput, "公司");
    check(
        cond("年龄", Gte, "三十"),
        ErrorCode::InvalidCustomNumber,
        "年龄",
    );
    check(
        cond("到期日", Lte, "明年"),
        ErrorCode::InvalidCustomDate,
        "到期日",
    );
    check(
        cond("会员等级", Equals, "铜卡"),
        ErrorCode::InvalidCustomChoice,
        "会员等级",
    );
    check(cond("年龄", Equals, " "), ErrorCode::Required, "年龄");

    // Saving a segment with a bad condition writes nothing.
    let before = everything(&db);
    let err = segments::save(
        &db.ctx,
        SaveSegment {
            name: "高个子".into(),
            filter: cond("身高", Gte, "180"),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("身高"));
    assert_eq!(everything(&db), before);

    // A saved segment whose field is deleted later selects no one (is_empty: everyone) rather
    // than breaking the list of segments.
    let gold = segments::save(
        &db.ctx,
        SaveSegment {
            name: "金卡".into(),
            filter: cond("会员等级", Equals, "金卡"),
            ..Default::default()
        },
    )
    .unwrap();
    let unranked = segments::save(
        &db.ctx,
        SaveSegment {
            name: "无等级".into(),
            filter: cond("会员等级", IsEmpty, ""),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((gold.count, unranked.count), (1, 2));
    let level = custom_fields::list(&db.ctx)
        .unwrap()
        .into_iter()
        .find(|f| f.label == "会员等级")
        .unwrap();
    custom_fields::delete(&db.ctx, level.id).unwrap();
    assert_eq!(segment(&db.ctx, gold.id).count, 0);
    assert_eq!(segment(&db.ctx, unranked.id).count, 4);
    assert!(segment_names(&db.ctx, gold.id).is_empty());
}

#[test]
fn members_added_by_hand_are_in_the_count_the_list_the_snapshot_and_the_export() {
    let db = open();
    let ids = community(&db);
    let (zhang, tom) = (ids[0], ids[3]);
    let vip = segments::save(
        &db.ctx,
        SaveSegment {
            name: "VIP".into(),
            filter: MemberFilter {
                tags_all: tags(&["VIP"]),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((vip.count, vip.hand_picked, vip.is_list), (2, 0, false));

    // The next day Tom (not VIP) and 张伟 (VIP already) are added by hand.
    let tomorrow = ctx_at(&db, 1);
    let add = |ctx: &Ctx, member_ids: Vec<i64>| {
        segments::add_to_segment(
            ctx,
            SegmentMembers {
                segment_id: vip.id,
                member_ids,
            },
        )
        .unwrap()
    };
    let added = add(&tomorrow, vec![tom, zhang]);
    assert_eq!(added.added, [tom, zhang]);
    assert_eq!(added.name, "VIP");
    assert!(
        add(&tomorrow, vec![tom, zhang]).added.is_empty(),
        "adding again adds nothing"
    );
    let now = segment(&tomorrow, vip.id);
    assert_eq!((now.count, now.hand_picked), (3, 2));
    assert_eq!((now.entered, now.left), (Some(1), Some(0)));
    let changes = segments::changes(&tomorrow, vip.id).unwrap();
    assert_eq!(changes.entered.len(), 1);
    assert_eq!(changes.entered[0].display_name, "Tom");
    assert_eq!(
        segment_names(&tomorrow, vip.id),
        set(&["Tom", "张伟", "李娜"])
    );
    // The filter bar still narrows a segment's members, hand-picked ones included.
    let page = members::list(
        &tomorrow,
        ListMembers {
            segment: Some(vip.id),
            filter: Some(MemberFilter {
                cities: tags(&["北京"]),
                ..Default::default()
            }),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.members[0].display_name, "张伟");
    let path = db.dir.path().join("vip.csv");
    let out = export_members(
        &tomorrow,
        &ExportMembers {
            path: path.to_string_lossy().into_owned(),
            format: ExportFormat::Csv,
            scope: ExportScope::Segment { id: vip.id },
            columns: vec![ExportColumn::Name],
            csv_encoding: CsvEncoding::Utf8Bom,
            chinese_headers: true,
            neutralise_formulas: true,
            include_custom: true,
        },
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(out.members, 3);

    // That day's snapshot holds Tom: the day after, nobody entered or left.
    let day_after = ctx_at(&db, 2);
    let then = segment(&day_after, vip.id);
    assert_eq!((then.count, then.entered, then.left), (3, Some(0), Some(0)));

    // Undo takes out exactly what was added; 张伟 stays, by the filter.
    let removed = segments::remove_from_segment(
        &day_after,
        SegmentMembers {
            segment_id: vip.id,
            member_ids: added.added.clone(),
        },
    )
    .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(segment_names(&day_after, vip.id), set(&["张伟", "李娜"]));

    // Members in the trash are not in it, and cannot be added; restored, they are back.
    add(&day_after, vec![tom]);
    members::delete(&day_after, members::DeleteMembers { ids: vec![tom] }).unwrap();
    assert_eq!(segment(&day_after, vip.id).count, 2);
    assert!(add(&day_after, vec![tom]).added.is_empty());
    members::restore(&day_after, members::DeleteMembers { ids: vec![tom] }).unwrap();
    assert_eq!(segment(&day_after, vip.id).count, 3);
}

#[test]
fn a_segment_made_from_a_selection_is_a_list_and_an_empty_filter_still_means_everyone() {
    let db = open();
    let ids = community(&db);
    let (li, tom) = (ids[1], ids[3]);
    // As before: a segment with an empty filter is everyone, hand-picked members or not.
    let all = segments::save(
        &db.ctx,
        SaveSegment {
            name: "所有人".into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((all.count, all.is_list), (4, false));
    segments::add_to_segment(
        &db.ctx,
        SegmentMembers {
            segment_id: all.id,
            member_ids: vec![tom],
        },
    )
    .unwrap();
    assert_eq!(segment(&db.ctx, all.id).count, 4);

    // A new segment from the board's selection holds just them.
    let calls = segments::save(
        &db.ctx,
        SaveSegment {
            name: "待联系".into(),
            members: vec![li, tom],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (calls.count, calls.hand_picked, calls.is_list),
        (2, 2, true)
    );
    assert_eq!(segment_names(&db.ctx, calls.id), set(&["Tom", "李娜"]));
    // Emptied, it is empty, not everyone.
    let removed = segments::remove_from_segment(
        &db.ctx,
        SegmentMembers {
            segment_id: calls.id,
            member_ids: vec![li, tom],
        },
    )
    .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(segment(&db.ctx, calls.id).count, 0);
    // A filter added to a list selects its own members too.
    let with_filter = segments::save(
        &db.ctx,
        SaveSegment {
            id: Some(calls.id),
            name: "待联系".into(),
            filter: MemberFilter {
                cities: tags(&["上海"]),
                ..Default::default()
            },
            members: vec![tom],
            ..Default::default()
        },
    )
    .unwrap();
    assert!(with_filter.is_list);
    assert_eq!(segment_names(&db.ctx, calls.id), set(&["Tom", "李娜"]));

    // Delete and Undo bring back the list with its members.
    let gone = segments::delete(&db.ctx, calls.id).unwrap();
    assert_eq!(
        (gone.members.clone(), gone.is_list),
        (vec![tom], Some(true))
    );
    let back = segments::save(&db.ctx, gone).unwrap();
    assert_eq!((back.count, back.hand_picked, back.is_list), (2, 1, true));

    // Refusals write nothing: an unknown segment, an empty selection.
    let before = everything(&db);
    let err = segments::add_to_segment(
        &db.ctx,
        SegmentMembers {
            segment_id: 999,
            member_ids: vec![tom],
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = segments::add_to_segment(
        &db.ctx,
        SegmentMembers {
            segment_id: back.id,
            member_ids: vec![],
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Required);
    assert_eq!(everything(&db), before);
}

#[test]
fn a_merge_gives_the_kept_member_the_hand_picked_memberships_and_undo_gives_them_back() {
    let db = open();
    let ids = community(&db);
    let (li, wang) = (ids[1], ids[2]);
    let only_li = segments::save(
        &db.ctx,
        SaveSegment {
            name: "只有李娜".into(),
            members: vec![li],
            ..Default::default()
        },
    )
    .unwrap();
    let both = segments::save(
        &db.ctx,
        SaveSegment {
            name: "两个人".into(),
            members: vec![li, wang],
            ..Default::default()
        },
    )
    .unwrap();
    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: wang,
            merge_id: li,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    assert_eq!(segment_names(&db.ctx, only_li.id), ["王芳"]);
    assert_eq!(segment_names(&db.ctx, both.id), ["王芳"]);
    assert_eq!(segment(&db.ctx, both.id).hand_picked, 1);

    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    assert_eq!(segment_names(&db.ctx, only_li.id), ["李娜"]);
    assert_eq!(segment_names(&db.ctx, both.id), set(&["李娜", "王芳"]));
}
