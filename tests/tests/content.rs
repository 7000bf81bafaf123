//! The content calendar on real database files with a fixed clock (2026-11-25 09:30 UTC, a
//! Wednesday, 17:30 in Shanghai): recurring slots across month ends and time zones, planned
//! ahead idempotently; gaps and overload; the status rules; owners through merge, undo and
//! erase; the plan as an .ics read back by an independent parser, and as CSV.

mod common;

use hearth_core::domain::{
    ChannelDraft, ChannelKind, ContentDraft, ContentStatus, EventDraft, EventMode, EventStatus,
    Recurrence, SlotDraft, SopStep,
};
use hearth_core::ops::content::export::{self, ExportContent};
use hearth_core::ops::content::{
    self, slots, sops, CalendarQuery, ContentQuery, MarkPosted, MoveItem,
};
use hearth_core::ops::events;
use hearth_core::ops::members::{self, EraseMembers, MergeMembers, UndoMerge};
use hearth_core::ErrorCode;
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime};

use common::TestDb;

fn channel(db: &TestDb, name: &str, limit: u32) -> i64 {
    content::create_channel(
        &db.ctx,
        ChannelDraft {
            name: name.into(),
            kind: ChannelKind::WechatGroup,
            colour: String::new(),
            audience: 300,
            rules: String::new(),
            daily_limit: Some(limit),
        },
    )
    .unwrap()
    .id
}

fn item(db: &TestDb, title: &str, channels: &[i64], at: &str) -> i64 {
    content::create(
        &db.ctx,
        ContentDraft {
            title: title.into(),
            channel_ids: channels.to_vec(),
            planned_local: at.into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn all(db: &TestDb) -> Vec<hearth_core::domain::ContentItem> {
    content::list(&db.ctx, &ContentQuery::default()).unwrap()
}

fn planned_locals(db: &TestDb, slot: i64) -> Vec<String> {
    all(db)
        .into_iter()
        .filter(|i| i.slot_id == Some(slot))
        .map(|i| i.planned_local.unwrap())
        .collect()
}

#[test]
fn a_day_31_slot_plans_each_month_end_once_however_often_it_runs() {
    let db = common::open();
    let ch = channel(&db, "读书会 1 群", 2);
    let created = slots::create(
        &db.ctx,
        SlotDraft {
            channel_id: ch,
            title: "月度回顾".into(),
            recurrence: Recurrence::MonthlyDay { day: 31 },
            time: "20:00".into(),
            time_zone: String::new(),
            starts_on: String::new(),
            ends_on: None,
        },
    )
    .unwrap();
    // 56 days from 25 November: 30 November and 31 December.
    assert_eq!(created.planned, 2);
    let more = slots::plan_ahead(&db.ctx, slots::PlanAhead { days: Some(100) }).unwrap();
    assert_eq!(more, 2, "31 January and 28 February join");
    let id = created.slot.id;
    assert_eq!(
        planned_locals(&db, id),
        [
            "2026-11-30T20:00",
            "2026-12-31T20:00",
            "2027-01-31T20:00",
            "2027-02-28T20:00"
        ]
    );
    // Again: nothing new. The manager moves one and deletes another: neither comes back.
    assert_eq!(
        slots::plan_ahead(&db.ctx, slots::PlanAhead { days: Some(100) }).unwrap(),
        0
    );
    let items: Vec<_> = all(&db)
        .into_iter()
        .filter(|i| i.slot_id == Some(id))
        .collect();
    content::move_item(
        &db.ctx,
        MoveItem {
            id: items[0].id,
            day: Some("2026-12-01".into()),
            time: None,
        },
    )
    .unwrap();
    content::delete(&db.ctx, items[1].id).unwrap();
    assert_eq!(
        slots::plan_ahead(&db.ctx, slots::PlanAhead { days: Some(100) }).unwrap(),
        0
    );
    assert_eq!(
        planned_locals(&db, id),
        ["2026-12-01T20:00", "2027-01-31T20:00", "2027-02-28T20:00"]
    );
}

#[test]
fn a_slot_in_another_zone_lands_on_the_communitys_next_morning() {
    let db = common::open();
    let ch = channel(&db, "North America group", 2);
    let created = slots::create(
        &db.ctx,
        SlotDraft {
            channel_id: ch,
            title: "Tuesday book chat".into(),
            recurrence: Recurrence::Weekly { weekdays: vec![1] },
            time: "20:00".into(),
            time_zone: "America/New_York".into(),
            starts_on: "2026-11-01".into(),
            ends_on: Some("2026-12-31".into()),
        },
    )
    .unwrap();
    // Tuesdays 1 Dec … 29 Dec (24 Nov is before today); 20:00 EST is 09:00 Wednesday in Shanghai.
    assert_eq!(created.planned, 5);
    assert_eq!(
        planned_locals(&db, created.slot.id),
        [
            "2026-12-02T09:00",
            "2026-12-09T09:00",
            "2026-12-16T09:00",
            "2026-12-23T09:00",
            "2026-12-30T09:00"
        ]
    );
    let first = &all(&db)[0];
    assert_eq!(first.planned_at.as_deref(), Some("2026-12-02T01:00:00Z"));
    assert_eq!(first.day.as_deref(), Some("2026-12-02"));
}

#[test]
fn the_first_monday_slot_skips_the_month_it_already_missed() {
    let db = common::open();
    let ch = channel(&db, "Newsletter", 1);
    let created = slots::create(
        &db.ctx,
        SlotDraft {
            channel_id: ch,
            title: "月报".into(),
            recurrence: Recurrence::MonthlyWeekday { nth: 1, weekday: 0 },
            time: "09:00".into(),
            time_zone: "Asia/Shanghai".into(),
            starts_on: String::new(),
            ends_on: None,
        },
    )
    .unwrap();
    assert_eq!(
        planned_locals(&db, created.slot.id),
        ["2026-12-07T09:00", "2027-01-04T09:00"]
    );
}

#[test]
fn gaps_name_quiet_channels_and_overload_names_busy_days() {
    let db = common::open();
    let busy = channel(&db, "Busy group", 1);
    let quiet = channel(&db, "Quiet group", 2);
    let later = channel(&db, "Later group", 2);
    item(&db, "a", &[busy], "2026-11-27 10:00");
    item(&db, "b", &[busy], "2026-11-27 20:00");
    item(&db, "c", &[later], "2026-12-10 10:00");
    let gaps = content::gaps_ahead(&db.ctx, 7).unwrap();
    let names: Vec<&str> = gaps.iter().map(|g| g.channel_name.as_str()).collect();
    // In the channels' name order.
    assert_eq!(names, ["Later group", "Quiet group"]);
    assert_eq!(gaps[1].channel_id, quiet);
    assert_eq!(gaps[1].from, "2026-11-25");
    assert_eq!(gaps[1].to, "2026-12-01");
    assert_eq!(gaps[1].next_day, None);
    assert_eq!(gaps[0].next_day.as_deref(), Some("2026-12-10"));
    // Looking 20 days ahead, the later group is covered.
    assert_eq!(content::gaps_ahead(&db.ctx, 20).unwrap().len(), 1);

    let cal = content::calendar(
        &db.ctx,
        &CalendarQuery {
            query: ContentQuery {
                from: Some("2026-11-23".into()),
                to: Some("2026-11-29".into()),
                ..Default::default()
            },
            gap_days: None,
        },
    )
    .unwrap();
    assert_eq!(cal.today, "2026-11-25");
    assert_eq!(cal.items.len(), 2);
    assert_eq!(cal.overloads.len(), 1);
    let o = &cal.overloads[0];
    assert_eq!((o.day.as_str(), o.count, o.limit), ("2026-11-27", 2, 1));
    assert_eq!(o.channel_id, busy);
    // A skipped post does not count.
    let b = cal.items[1].id;
    content::update(
        &db.ctx,
        b,
        ContentDraft {
            title: "b".into(),
            channel_ids: vec![busy],
            planned_local: "2026-11-27 20:00".into(),
            status: Some(ContentStatus::Skipped),
            ..Default::default()
        },
    )
    .unwrap();
    let cal = content::calendar(
        &db.ctx,
        &CalendarQuery {
            query: ContentQuery {
                from: Some("2026-11-23".into()),
                to: Some("2026-11-29".into()),
                ..Default::default()
            },
            gap_days: None,
        },
    )
    .unwrap();
    assert!(cal.overloads.is_empty());
}

#[test]
fn today_names_the_quiet_channels_and_the_overloaded_days_of_the_coming_week() {
    let db = common::open();
    let busy = channel(&db, "Busy group", 1);
    channel(&db, "Quiet group", 2);
    item(&db, "a", &[busy], "2026-11-27 10:00");
    item(&db, "b", &[busy], "2026-11-27 20:00");
    // Past the coming week: neither a gap filler nor an overload today.
    item(&db, "c", &[busy], "2026-12-09 10:00");
    item(&db, "d", &[busy], "2026-12-09 11:00");
    let list = hearth_core::ops::today::today(&db.ctx).unwrap();
    let gaps: Vec<&str> = list
        .content_gaps
        .iter()
        .map(|g| g.channel_name.as_str())
        .collect();
    assert_eq!(gaps, ["Quiet group"]);
    let over: Vec<(&str, u32)> = list
        .content_overloads
        .iter()
        .map(|o| (o.day.as_str(), o.count))
        .collect();
    assert_eq!(over, [("2026-11-27", 2)]);
}

#[test]
fn status_rules_planned_needs_a_time_posted_is_in_the_past_and_published_does_not_move() {
    let db = common::open();
    let ch = channel(&db, "公众号", 1);
    let err = content::create(
        &db.ctx,
        ContentDraft {
            title: "no time".into(),
            status: Some(ContentStatus::Planned),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Required);
    assert_eq!(err.field.as_deref(), Some("planned_local"));

    // An idea has no day and sits in the sidebar.
    let idea = content::create(
        &db.ctx,
        ContentDraft {
            title: "冬季书单".into(),
            channel_ids: vec![ch],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(idea.status, ContentStatus::Idea);
    assert_eq!(idea.day, None);
    let cal = content::calendar(&db.ctx, &CalendarQuery::default()).unwrap();
    assert_eq!(cal.unscheduled.len(), 1);

    // Dragged onto a day it is planned at 10:00; dragged back it is a draft.
    let moved = content::move_item(
        &db.ctx,
        MoveItem {
            id: idea.id,
            day: Some("2026-11-26".into()),
            time: None,
        },
    )
    .unwrap();
    assert_eq!(moved.status, ContentStatus::Planned);
    assert_eq!(moved.planned_local.as_deref(), Some("2026-11-26T10:00"));
    let back = content::move_item(
        &db.ctx,
        MoveItem {
            id: idea.id,
            day: None,
            time: None,
        },
    )
    .unwrap();
    assert_eq!((back.status, back.day), (ContentStatus::Draft, None));

    let planned = item(&db, "周五推文", &[ch], "2026-11-24 12:00");
    let future = content::mark_posted(
        &db.ctx,
        MarkPosted {
            id: planned,
            at: Some("2026-11-26 12:00".into()),
            link: None,
        },
    )
    .unwrap_err();
    assert_eq!(future.code, ErrorCode::FutureDate);
    let posted = content::mark_posted(
        &db.ctx,
        MarkPosted {
            id: planned,
            at: Some("2026-11-25 08:15".into()),
            link: Some("https://mp.weixin.qq.com/s/abc".into()),
        },
    )
    .unwrap();
    assert_eq!(posted.status, ContentStatus::Published);
    assert_eq!(posted.published_at.as_deref(), Some("2026-11-25T00:15:00Z"));
    // Planned and published stay apart; the calendar shows the day it went out.
    assert_eq!(posted.planned_local.as_deref(), Some("2026-11-24T12:00"));
    assert_eq!(posted.day.as_deref(), Some("2026-11-25"));
    let err = content::move_item(
        &db.ctx,
        MoveItem {
            id: planned,
            day: Some("2026-11-30".into()),
            time: None,
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let undone = content::unmark_posted(&db.ctx, planned).unwrap();
    assert_eq!(undone.status, ContentStatus::Planned);
    assert_eq!(undone.published_at, None);
    assert_eq!(undone.day.as_deref(), Some("2026-11-24"));
}

#[test]
fn filters_by_channel_status_and_campaign() {
    let db = common::open();
    let a = channel(&db, "A", 5);
    let b = channel(&db, "B", 5);
    item(&db, "a1", &[a], "2026-12-01 10:00");
    item(&db, "ab", &[a, b], "2026-12-02 10:00");
    let campaign = hearth_core::ops::campaigns::create(
        &db.ctx,
        hearth_core::domain::CampaignDraft {
            name: "冬季共读".into(),
            goal: String::new(),
            starts_on: "2026-12-01".into(),
            ends_on: "2026-12-31".into(),
            channels: String::new(),
            owner: String::new(),
        },
    )
    .unwrap()
    .summary
    .id;
    let with_campaign = content::create(
        &db.ctx,
        ContentDraft {
            title: "campaign post".into(),
            channel_ids: vec![b],
            planned_local: "2026-12-03 10:00".into(),
            campaign_id: Some(campaign),
            ..Default::default()
        },
    )
    .unwrap();
    let titles = |q: ContentQuery| -> Vec<String> {
        content::list(&db.ctx, &q)
            .unwrap()
            .into_iter()
            .map(|i| i.title)
            .collect()
    };
    let december = |q: ContentQuery| ContentQuery {
        from: Some("2026-12-01".into()),
        to: Some("2026-12-31".into()),
        ..q
    };
    assert_eq!(titles(december(ContentQuery::default())).len(), 3);
    assert_eq!(
        titles(december(ContentQuery {
            channel_ids: vec![b],
            ..Default::default()
        })),
        ["ab", "campaign post"]
    );
    assert_eq!(
        titles(december(ContentQuery {
            campaign_id: Some(campaign),
            ..Default::default()
        })),
        ["campaign post"]
    );
    content::mark_posted(
        &db.ctx,
        MarkPosted {
            id: with_campaign.id,
            at: None,
            link: None,
        },
    )
    .unwrap();
    // Posted now (25 Nov): it left December for the day it went out.
    assert_eq!(
        titles(ContentQuery {
            statuses: vec![ContentStatus::Published],
            ..Default::default()
        }),
        ["campaign post"]
    );
    // The last day is included, whole.
    assert_eq!(
        titles(ContentQuery {
            from: Some("2026-12-02".into()),
            to: Some("2026-12-02".into()),
            ..Default::default()
        }),
        ["ab"]
    );
}

#[test]
fn published_against_planned_per_channel_and_iso_week() {
    let db = common::open();
    let a = channel(&db, "A", 5);
    let one = item(&db, "one", &[a], "2026-11-23 10:00");
    item(&db, "two", &[a], "2026-11-24 10:00");
    item(&db, "three", &[a], "2026-12-01 10:00");
    content::mark_posted(
        &db.ctx,
        MarkPosted {
            id: one,
            at: Some("2026-11-23 11:00".into()),
            link: None,
        },
    )
    .unwrap();
    let counts = content::published_vs_planned(&db.ctx, "2026-11-23", "2026-12-06").unwrap();
    let rows: Vec<(&str, u32, u32)> = counts
        .iter()
        .map(|c| (c.week.as_str(), c.planned, c.published))
        .collect();
    assert_eq!(rows, [("2026-W48", 2, 1), ("2026-W49", 1, 0)]);
}

#[test]
fn an_sop_template_plans_posts_around_the_event_day() {
    let db = common::open();
    let ch = channel(&db, "读书会 1 群", 3);
    let event = events::create(
        &db.ctx,
        EventDraft {
            title: "冬季读书会".into(),
            mode: EventMode::Offline,
            starts_local: "2026-12-12T19:00".into(),
            ends_local: "2026-12-12T21:00".into(),
            time_zone: String::new(),
            venue: "图书馆".into(),
            link: String::new(),
            capacity: None,
            notes: String::new(),
            campaign: String::new(),
            status: EventStatus::Open,
        },
    )
    .unwrap();
    let sop = sops::create(
        &db.ctx,
        sops::NewSop {
            name: "活动三连".into(),
            steps: vec![
                SopStep {
                    title: "预告".into(),
                    offset_days: -7,
                    time: "12:00".into(),
                    channel_id: Some(ch),
                },
                SopStep {
                    title: "提醒".into(),
                    offset_days: -1,
                    time: "20:00".into(),
                    channel_id: Some(ch),
                },
                SopStep {
                    title: "回顾".into(),
                    offset_days: 1,
                    time: "10:00".into(),
                    channel_id: None,
                },
            ],
        },
    )
    .unwrap();
    let items = sops::apply(
        &db.ctx,
        sops::ApplySop {
            sop_id: sop.id,
            event_id: Some(event.id),
            campaign_id: None,
        },
    )
    .unwrap();
    let got: Vec<(String, String)> = items
        .iter()
        .map(|i| (i.title.clone(), i.planned_local.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "预告 · 冬季读书会".to_owned(),
                "2026-12-05T12:00".to_owned()
            ),
            (
                "提醒 · 冬季读书会".to_owned(),
                "2026-12-11T20:00".to_owned()
            ),
            (
                "回顾 · 冬季读书会".to_owned(),
                "2026-12-13T10:00".to_owned()
            ),
        ]
    );
    assert!(items
        .iter()
        .all(|i| i.event_id == Some(event.id) && i.event_title.as_deref() == Some("冬季读书会")));
}

#[test]
fn an_owner_follows_merge_comes_back_on_undo_stays_in_the_trash_and_goes_on_erase() {
    let db = common::open();
    let keep = members::create(&db.ctx, common::draft("周若", &[], &[]))
        .unwrap()
        .id;
    let merged = members::create(&db.ctx, common::draft("周若 (2)", &[], &[]))
        .unwrap()
        .id;
    let id = content::create(
        &db.ctx,
        ContentDraft {
            title: "周报".into(),
            owner_member_id: Some(merged),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let outcome = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: keep,
            merge_id: merged,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    let owner = |db: &TestDb| content::get(&db.ctx, id).unwrap().owner_member_id;
    assert_eq!(owner(&db), Some(keep));
    members::undo_merge(
        &db.ctx,
        UndoMerge {
            merge: outcome.merge,
        },
    )
    .unwrap();
    assert_eq!(owner(&db), Some(merged));
    members::delete(&db.ctx, members::DeleteMembers { ids: vec![merged] }).unwrap();
    assert_eq!(owner(&db), Some(merged), "the trash keeps the owner");
    members::erase(&db.ctx, EraseMembers { ids: vec![merged] }).unwrap();
    let after = content::get(&db.ctx, id).unwrap();
    assert_eq!((after.owner_member_id, after.owner_name), (None, None));
    assert_eq!(after.title, "周报", "the item stays");
}

const LONG: &str =
    "冬季读书会第十二期：《三体》全书精读与讨论，欢迎新朋友带上自己的问题一起来，会后合影留念";

fn utc(p: Option<DatePerhapsTime>) -> chrono::DateTime<chrono::Utc> {
    match p {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t,
        other => panic!("expected a UTC date-time, got {other:?}"),
    }
}

#[test]
fn the_plan_as_ics_reads_back_with_an_independent_parser() {
    let db = common::open();
    let ch = channel(&db, "公众号, 主号; 备份", 3);
    let long = content::create(
        &db.ctx,
        ContentDraft {
            title: LONG.into(),
            body: "第一段, 带逗号; 和分号\\反斜杠\n第二段".into(),
            channel_ids: vec![ch],
            planned_local: "2026-12-01 20:00".into(),
            ..Default::default()
        },
    )
    .unwrap();
    item(&db, "second", &[], "2026-12-02 09:00");
    // An idea without a day is not on any calendar.
    content::create(
        &db.ctx,
        ContentDraft {
            title: "idea".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let path = db.dir.path().join("plan.ics");
    let n = export::export(
        &db.ctx,
        &ExportContent {
            path: path.display().to_string(),
            query: ContentQuery::default(),
        },
    )
    .unwrap();
    assert_eq!(n, 2);
    let raw = std::fs::read(&path).unwrap();
    let text = String::from_utf8(raw.clone()).expect("UTF-8, never a character cut in two");
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(text.contains("\r\n "), "the long Chinese title is folded");

    let calendar: Calendar = text.parse().expect("icalendar parses it");
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert!(calendar.property_value("PRODID").is_some());
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 2);
    for e in &events {
        assert!(e.get_uid().is_some_and(|u| u.starts_with("content-")));
        assert!(e.get_timestamp().is_some(), "DTSTAMP on every VEVENT");
    }
    let first = events[0];
    assert_eq!(
        first.get_summary(),
        Some(format!("[公众号, 主号; 备份] {LONG}").as_str())
    );
    assert_eq!(
        first.get_description(),
        Some("第一段, 带逗号; 和分号\\反斜杠\n第二段")
    );
    assert_eq!(
        utc(first.get_start()).to_rfc3339(),
        "2026-12-01T12:00:00+00:00"
    );
    assert_eq!(
        first.get_uid(),
        Some(format!("content-{}-{}@hearth.local", long.id, long.created_at).as_str())
    );
}

#[test]
fn the_plan_as_csv_has_one_row_per_item_with_its_channels() {
    let db = common::open();
    let a = channel(&db, "读书会 1 群", 3);
    let b = channel(&db, "微博", 3);
    item(&db, "=SUM(A1)", &[a, b], "2026-12-01 20:00");
    content::create(
        &db.ctx,
        ContentDraft {
            title: "idea".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let path = db.dir.path().join("plan.csv");
    let n = export::export(
        &db.ctx,
        &ExportContent {
            path: path.display().to_string(),
            query: ContentQuery::default(),
        },
    )
    .unwrap();
    assert_eq!(n, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("id,title,status,channels,planned_at"));
    assert!(lines[1].contains("'=SUM(A1),planned,读书会 1 群; 微博,2026-12-01 20:00"));
    assert!(lines[2].contains(",idea,idea,"));
    let err = export::export(
        &db.ctx,
        &ExportContent {
            path: db.dir.path().join("plan.pdf").display().to_string(),
            query: ContentQuery::default(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsupportedFormat);
}

#[test]
fn the_demo_has_channels_slots_published_and_planned_content_and_a_gap() {
    let db = common::open_demo();
    let channels = content::channels(&db.ctx).unwrap();
    assert!(channels.len() >= 6);
    assert!(slots::list(&db.ctx).unwrap().len() >= 5);
    let items = all(&db);
    let count = |s: ContentStatus| items.iter().filter(|i| i.status == s).count();
    assert!(count(ContentStatus::Published) > 50);
    assert!(count(ContentStatus::Planned) > 20);
    assert!(count(ContentStatus::Idea) >= 3);
    // Planning ahead again adds nothing: the demo claimed its slot days.
    assert_eq!(
        slots::plan_ahead(&db.ctx, slots::PlanAhead::default()).unwrap(),
        0
    );
    let gaps = content::gaps_ahead(&db.ctx, 7).unwrap();
    assert!(gaps.iter().any(|g| g.channel_name.starts_with("QQ")));
    let cal = content::calendar(
        &db.ctx,
        &CalendarQuery {
            query: ContentQuery {
                from: Some("2026-11-23".into()),
                to: Some("2026-11-29".into()),
                ..Default::default()
            },
            gap_days: None,
        },
    )
    .unwrap();
    assert!(!cal.overloads.is_empty(), "the busy day shows as overload");
}

fn cli_json(out: std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_cli_adds_lists_marks_posted_and_exports_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ch = cli_json(common::hearth(
        d,
        &[
            "channels",
            "add",
            "--name",
            "公众号",
            "--kind",
            "official-account",
            "--json",
        ],
    ));
    assert_eq!(ch["kind"], "official_account");
    let channels = cli_json(common::hearth(d, &["channels", "list", "--json"]));
    assert_eq!(channels.as_array().unwrap().len(), 1);
    let added = cli_json(common::hearth(
        d,
        &[
            "content",
            "add",
            "--title",
            "周五推文",
            "--channel",
            "公众号",
            "--at",
            "2030-01-04 12:00",
            "--json",
        ],
    ));
    assert_eq!(added["status"], "planned");
    assert_eq!(added["planned_local"], "2030-01-04T12:00");
    let id = added["id"].as_i64().unwrap().to_string();
    cli_json(common::hearth(
        d,
        &["content", "add", "--title", "an idea", "--json"],
    ));
    let january = cli_json(common::hearth(
        d,
        &[
            "content",
            "list",
            "--json",
            "--from",
            "2030-01-01",
            "--to",
            "2030-01-31",
            "--channel",
            "公众号",
        ],
    ));
    assert_eq!(january.as_array().unwrap().len(), 1);
    let everything = cli_json(common::hearth(d, &["content", "list", "--json"]));
    assert_eq!(everything.as_array().unwrap().len(), 2);

    let posted = cli_json(common::hearth(
        d,
        &[
            "content",
            "posted",
            &id,
            "--link",
            "https://mp.weixin.qq.com/s/x",
            "--json",
        ],
    ));
    assert_eq!(posted["status"], "published");
    assert_eq!(posted["link"], "https://mp.weixin.qq.com/s/x");
    // A time that has not come is refused, with a message and a failing status.
    let future = common::hearth(d, &["content", "posted", &id, "--at", "2031-01-01 10:00"]);
    assert!(!future.status.success());
    assert!(!future.stderr.is_empty());

    let ics = d.join("plan.ics");
    let out = common::hearth(d, &["content", "export", ics.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calendar: Calendar = std::fs::read_to_string(&ics).unwrap().parse().unwrap();
    assert_eq!(calendar.events().count(), 1);
    let csv = d.join("plan.csv");
    assert!(
        common::hearth(d, &["content", "export", csv.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 3);
    let unknown = common::hearth(d, &["content", "list", "--channel", "nope"]);
    assert!(!unknown.status.success());
}
