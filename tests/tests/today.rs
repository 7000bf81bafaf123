//! Activities imported from a file (a 签到 sheet, a QQ group list's 最后发言 column) and the
//! Today list's own parts (follow-ups, birthdays), over a real database on a fixed clock
//! (2026-11-25, UTC).

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::{draft, dump_db, open, TestDb};
use hearth_core::domain::IdentityKind::Phone;
use hearth_core::ops::activity_import::{self, ActivityRowOutcome, ImportActivities};
use hearth_core::ops::engagement;
use hearth_core::ops::import::ImportOptions;
use hearth_core::ops::members::{self, DeleteMembers, MergeMembers, UndoMerge};
use hearth_core::ops::today::{self, AddFollowUp};
use hearth_core::{Ctx, ErrorCode, FixedClock};

fn write(db: &TestDb, name: &str, text: &str) -> PathBuf {
    let path = db.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn input(path: &Path, kind: Option<&str>) -> ImportActivities {
    ImportActivities {
        options: ImportOptions {
            path: path.display().to_string(),
            ..Default::default()
        },
        kind: kind.map(str::to_owned),
        time_column: None,
        kind_column: None,
        note_column: None,
        at: None,
    }
}

fn apply(ctx: &Ctx, input: &ImportActivities) -> activity_import::ActivityImport {
    activity_import::apply(ctx, input, &|_| {}, &AtomicBool::new(false)).unwrap()
}

fn points(ctx: &Ctx, id: i64) -> i64 {
    engagement::of_member(ctx, id).unwrap().points
}

fn by_phone(db: &TestDb, phone: &str) -> Option<i64> {
    let conn = rusqlite::Connection::open(db.ctx.store.path()).unwrap();
    conn.query_row(
        "SELECT m.id FROM members m JOIN identities i ON i.member_id = m.id
          WHERE i.value = ?1 AND m.deleted_at IS NULL",
        [phone],
        |r| r.get(0),
    )
    .ok()
}

const SIGN_IN: &str = "姓名,手机,签到时间,备注
张三,13800138000,2026-11-20 09:00,早到
李四,13900139000,明天,
王五,13700137000,2026-11-21,
张三,13800138000,2026-11-20 09:00,又写了一遍
赵六,13600136000,2099-01-01,
钱七,13500135000,,
";

#[test]
fn a_sign_in_sheet_logs_each_row_once_reports_bad_rows_by_line_and_undoes_whole() {
    let db = open();
    let wang = members::create(&db.ctx, draft("王五", &[(Phone, "13700137000")], &[]))
        .unwrap()
        .id;
    let path = write(&db, "签到.csv", SIGN_IN);
    let before = dump_db(db.ctx.store.path(), |_| true);

    let plan = activity_import::preview(&db.ctx, &input(&path, Some("checkin"))).unwrap();
    assert_eq!(
        dump_db(db.ctx.store.path(), |_| true),
        before,
        "a preview writes nothing"
    );
    let c = &plan.counts;
    // 张三 (line 2) and 王五 (line 4) are logged; line 5 is 张三 again at the same time.
    assert_eq!((c.logged, c.already_logged, c.points), (2, 1, 2));
    assert_eq!((c.invalid, c.no_activity), (2, 1));
    let invalid: Vec<(u32, Option<String>)> = plan
        .rows
        .iter()
        .filter(|r| r.outcome == ActivityRowOutcome::Invalid)
        .map(|r| (r.line, r.error.as_ref().and_then(|e| e.field.clone())))
        .collect();
    assert_eq!(
        invalid,
        vec![
            (3, Some("occurred_at".to_owned())),
            (6, Some("occurred_at".to_owned()))
        ],
        "明天 and a date in 2099 are refused, by line and field"
    );
    assert_eq!(plan.columns.time.as_ref().unwrap().header, "签到时间");
    assert_eq!(plan.columns.note.as_ref().map(|m| m.header.as_str()), None);

    let done = apply(&db.ctx, &input(&path, Some("checkin")));
    assert_eq!(
        done.counts, plan.counts,
        "apply does what the preview showed"
    );
    let zhang = by_phone(&db, "+8613800138000").expect("张三 became a member");
    assert_eq!((points(&db.ctx, zhang), points(&db.ctx, wang)), (1, 1));
    assert_eq!(
        engagement::of_member(&db.ctx, wang)
            .unwrap()
            .last_active
            .as_deref(),
        Some("2026-11-21")
    );
    // Rows that were refused or had nothing to log bring nobody in.
    for phone in ["+8613900139000", "+8613600136000", "+8613500135000"] {
        assert_eq!(by_phone(&db, phone), None, "{phone} was left out");
    }

    let again = apply(&db.ctx, &input(&path, Some("checkin")));
    assert_eq!(
        (again.counts.logged, again.counts.already_logged),
        (0, 3),
        "the same sheet twice logs nothing new"
    );
    assert_eq!(points(&db.ctx, zhang), 1);

    let undone = activity_import::undo(&db.ctx, done.batch_id.unwrap()).unwrap();
    assert_eq!((undone.activities, undone.points), (2, 2));
    assert_eq!(points(&db.ctx, wang), 0, "the points went back");
    assert_eq!(
        by_phone(&db, "+8613800138000"),
        None,
        "张三 was created by it"
    );
    assert_eq!(by_phone(&db, "+8613700137000"), Some(wang), "王五 stays");
}

#[test]
fn a_qq_group_list_logs_last_spoke_and_skips_members_who_never_spoke() {
    let db = open();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/qq_group.csv");
    let out = apply(&db.ctx, &input(&fixture, Some("spoke")));
    assert_eq!(out.columns.time.as_ref().unwrap().header, "最后发言");
    assert_eq!((out.counts.logged, out.counts.no_activity), (3, 1));
    let board = engagement::leaderboard(&db.ctx, engagement::Window::AllTime, 10).unwrap();
    let names: Vec<&str> = board.iter().map(|s| s.display_name.as_str()).collect();
    assert_eq!(names.len(), 3);
    assert!(!names.contains(&"Alice"), "Alice never spoke: {names:?}");
}

#[test]
fn a_kind_column_names_the_kind_and_an_unknown_kind_is_refused_by_line() {
    let db = open();
    let path = write(
        &db,
        "log.csv",
        "name,phone,kind,date\nAmy,13800000001,签到,2026-11-24\nBen,13800000002,发言,2026-11-24\nCat,13800000003,跳舞,2026-11-24\n",
    );
    let plan = activity_import::preview(&db.ctx, &input(&path, None)).unwrap();
    assert_eq!((plan.counts.logged, plan.counts.invalid), (2, 1));
    let bad = &plan.rows[0];
    assert_eq!(bad.line, 4);
    let error = bad.error.as_ref().unwrap();
    assert_eq!(
        (error.code, error.field.as_deref()),
        (ErrorCode::InvalidInput, Some("kind"))
    );
    assert_eq!(error.params.get("value").map(String::as_str), Some("跳舞"));
    let kinds: Vec<Option<&str>> = plan.rows[1..].iter().map(|r| r.kind.as_deref()).collect();
    assert_eq!(kinds, vec![Some("checkin"), Some("spoke")]);

    // Without a kind column the manager must pick one.
    let path = write(&db, "plain.csv", "name,phone\nAmy,13800000001\n");
    let error = activity_import::preview(&db.ctx, &input(&path, None)).unwrap_err();
    assert_eq!(
        (error.code, error.field.as_deref()),
        (ErrorCode::Required, Some("kind"))
    );
    // With one, every row happened now.
    let out = apply(&db.ctx, &input(&path, Some("answered")));
    assert_eq!((out.counts.logged, out.counts.points), (1, 3));
}

#[test]
fn follow_ups_come_due_tick_off_undo_and_follow_a_merge() {
    let db = open();
    let a = members::create(&db.ctx, draft("周杰", &[], &[]))
        .unwrap()
        .id;
    let b = members::create(&db.ctx, draft("周 杰", &[], &[]))
        .unwrap()
        .id;
    let add = |member_id, due_on: &str, note: &str| {
        today::add_followup(
            &db.ctx,
            AddFollowUp {
                member_id,
                due_on: due_on.into(),
                note: note.into(),
            },
        )
    };
    let before = dump_db(db.ctx.store.path(), |_| true);
    let empty = add(a, "2026-11-25", "  ").unwrap_err();
    assert_eq!(
        (empty.code, empty.field.as_deref()),
        (ErrorCode::Required, Some("note"))
    );
    let bad = add(a, "下周二", "回电话").unwrap_err();
    assert_eq!(
        (bad.code, bad.field.as_deref()),
        (ErrorCode::InvalidDate, Some("due_on"))
    );
    assert_eq!(dump_db(db.ctx.store.path(), |_| true), before);

    let overdue = add(a, "2026-11-20", "寄证书").unwrap();
    let due = add(b, "2026-11-25", "确认场地").unwrap();
    add(a, "2026-11-26", "明天再说").unwrap();
    let list = |ctx: &Ctx| -> Vec<String> {
        today::today(ctx)
            .unwrap()
            .followups
            .into_iter()
            .map(|f| f.note)
            .collect()
    };
    assert_eq!(list(&db.ctx), vec!["寄证书", "确认场地"], "oldest first");

    today::set_followup_done(&db.ctx, overdue.id, true).unwrap();
    assert_eq!(list(&db.ctx), vec!["确认场地"]);
    today::set_followup_done(&db.ctx, overdue.id, false).unwrap();
    assert_eq!(list(&db.ctx), vec!["寄证书", "确认场地"], "Undo reopens it");

    let merged = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a,
            merge_id: b,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    let of_a: Vec<i64> = today::member_followups(&db.ctx, a)
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert!(of_a.contains(&due.id), "the kept member has it now");
    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap();
    let of_b = today::member_followups(&db.ctx, b).unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].id, due.id, "and gives it back on undo");

    members::delete(&db.ctx, DeleteMembers { ids: vec![b] }).unwrap();
    assert_eq!(
        list(&db.ctx),
        vec!["寄证书"],
        "members in the trash are not on the list"
    );
}

#[test]
fn birthdays_of_the_coming_week_with_the_age_they_turn() {
    let db = open();
    let born = |name: &str, birthday: &str| {
        let mut d = draft(name, &[], &[]);
        d.birthday = Some(birthday.into());
        members::create(&db.ctx, d).unwrap().id
    };
    born("今天", "1990-11-25");
    born("周六", "--11-28");
    born("下月", "1995-12-05");
    born("上周", "1988-11-20");
    born("年底", "2001-12-01");
    let list: Vec<(String, u32, Option<u32>)> = today::birthdays(&db.ctx, 7)
        .unwrap()
        .into_iter()
        .map(|b| (b.member_name, b.in_days, b.turns))
        .collect();
    assert_eq!(
        list,
        vec![
            ("今天".to_owned(), 0, Some(36)),
            ("周六".to_owned(), 3, None),
            ("年底".to_owned(), 6, Some(25)),
        ]
    );

    // In a year without 29 February, a leap-day birthday is kept on the 28th.
    let feb: DateTime<Utc> = "2027-02-25T08:00:00Z".parse().unwrap();
    let later = Ctx::open_in_dir(db.dir.path(), Arc::new(FixedClock(feb))).unwrap();
    born("闰日", "2000-02-29");
    let leap = today::birthdays(&later, 7).unwrap();
    let leap_day = leap.iter().find(|b| b.member_name == "闰日").unwrap();
    assert_eq!(
        (leap_day.on.as_str(), leap_day.in_days, leap_day.turns),
        ("2027-02-28", 3, Some(27))
    );
}

#[test]
fn the_demo_community_puts_something_true_in_every_part_of_today() {
    let db = common::open_demo();
    let list = today::today(&db.ctx).unwrap();
    assert_eq!(list.appeals.len(), 2, "two appeals wait for a decision");
    assert!(
        list.credit.crossed.iter().any(|c| c.score <= 50),
        "someone fell far enough to be removed: {:?}",
        list.credit.crossed
    );
    let due: Vec<&str> = list.followups.iter().map(|f| f.note.as_str()).collect();
    assert_eq!(
        due,
        vec![
            "寄读书会结业证书",
            "确认周六场地和投影",
            "回复合作方的赞助邮件"
        ],
        "the overdue one first; the one due in three days is not yet on the list"
    );
    assert!(
        !list.slipping.is_empty(),
        "a year of activity leaves some slipping away"
    );
    assert!(
        !list.birthdays.is_empty(),
        "2,000 members have birthdays this week"
    );
    // Every slipping member really was active and has been quiet for more than 14 days.
    for m in &list.slipping {
        assert!(m.quiet_days > list.slipping_days, "{m:?}");
    }
    let redeemed = hearth_core::ops::rewards::redemptions(&db.ctx, None).unwrap();
    assert!(!redeemed.is_empty(), "the demo's regulars redeemed rewards");
}
