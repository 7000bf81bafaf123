//! The dashboards' filters and late additions on real database files with the fixed clock
//! (2026-11-25 09:30 UTC; the test clock's days are UTC days): a month in progress is measured
//! as of today, a range in the past is counted from the rollup rows (the other path than a range
//! reaching today), a saved segment restricts every member-based tile, and the content tile with
//! the owners behind it.

mod common;

use common::{draft, open, TestDb};
use hearth_core::domain::{ChannelDraft, ChannelKind, ContentDraft, Drill, Metrics};
use hearth_core::ops::content;
use hearth_core::ops::dashboard::{self, MetricsQuery, Tile};
use hearth_core::ops::engagement::{self, LogActivities, Window};
use hearth_core::ops::members;
use hearth_core::ops::segments::{self, SaveSegment};

fn member(db: &TestDb, name: &str, joined: &str) -> i64 {
    let mut d = draft(name, &[], &[]);
    d.joined_at = Some(format!("{joined}T02:00:00Z"));
    members::create(&db.ctx, d).unwrap().id
}

fn log(db: &TestDb, id: i64, kind: &str, at: &str) {
    engagement::log(
        &db.ctx,
        LogActivities {
            member_ids: vec![id],
            kind: kind.into(),
            occurred_at: Some(format!("{at}Z")),
            note: String::new(),
        },
    )
    .unwrap();
}

fn metrics(db: &TestDb, from: &str, to: &str, segment: Option<i64>) -> Metrics {
    dashboard::metrics(
        &db.ctx,
        MetricsQuery {
            from: Some(from.into()),
            to: Some(to.into()),
            segment,
            ..MetricsQuery::default()
        },
    )
    .unwrap()
}

/// 阿明 (Oct), 小北, 晨晨 (Nov) and their activities; returns their ids.
fn community(db: &TestDb) -> [i64; 3] {
    let a = member(db, "阿明", "2026-10-05");
    let b = member(db, "小北", "2026-11-03");
    let c = member(db, "晨晨", "2026-11-10");
    log(db, a, "spoke", "2026-11-24T10:00:00");
    log(db, a, "spoke", "2026-11-24T11:00:00");
    log(db, a, "checkin", "2026-11-25T08:00:00");
    log(db, b, "answered", "2026-11-20T12:00:00");
    log(db, c, "checkin", "2026-11-25T09:00:00");
    log(db, a, "spoke", "2026-10-20T09:00:00");
    log(db, b, "spoke", "2026-10-30T09:00:00");
    [a, b, c]
}

#[test]
fn a_month_in_progress_is_measured_as_of_today_not_at_its_future_end() {
    let db = open();
    community(&db);
    let whole = metrics(&db, "2026-11-01", "2026-11-30", None);
    let so_far = metrics(&db, "2026-11-01", "2026-11-25", None);
    let s = &whole.activity;
    // As of the 25th: DAU 阿明 and 晨晨; the week (19th–25th) adds 小北; the 30 days (Oct 27 –
    // Nov 25) too (小北's Oct 30 line); 阿明's Oct 20 line is older.
    assert_eq!((s.dau, s.wau, s.mau), (2, 3, 3), "not zeros at Nov 30");
    assert_eq!(
        (s.dau, s.wau, s.mau, s.active),
        (
            so_far.activity.dau,
            so_far.activity.wau,
            so_far.activity.mau,
            so_far.activity.active
        )
    );
    assert!((s.stickiness - so_far.activity.stickiness).abs() < 1e-12);
    assert_eq!(s.days.len(), 30, "the days to come are listed, as zeros");
    assert_eq!(s.days[29].active, 0);
}

#[test]
fn a_range_in_the_past_counts_the_same_as_a_hand_count() {
    let db = open();
    let [a, b, _] = community(&db);
    // Ends before the last active day: counted from the rollup rows, not the totals.
    let m = metrics(&db, "2026-10-01", "2026-11-24", None);
    let s = &m.activity;
    // As of the 24th: DAU 阿明; the week (18th–24th) 阿明 and 小北; the 30 days (Oct 26 – Nov
    // 24) 阿明 and 小北 (Oct 30); the whole range the same two.
    assert_eq!((s.dau, s.wau, s.mau, s.active), (1, 2, 2, 2));
    assert_eq!(s.activities, 5);
    let top: Vec<(i64, u32, i64)> = m
        .top
        .iter()
        .map(|t| (t.member_id, t.activities, t.points))
        .collect();
    // 阿明: 3 spoke (1 point each); 小北: an answer (3) and a spoke (1).
    assert_eq!(top, vec![(b, 2, 4), (a, 3, 3)]);
    // The cohorts of October (阿明: active Oct and Nov) and November (小北, 晨晨: in November
    // only 小北 by the 24th; 小北's Oct 30 line is before the cohort's month).
    let cells: Vec<(&str, u32, Vec<u32>)> = m
        .cohorts
        .iter()
        .map(|c| (c.month.as_str(), c.size, c.active.clone()))
        .collect();
    assert_eq!(
        cells,
        vec![("2026-10", 1, vec![1, 1]), ("2026-11", 2, vec![2])],
        "the November cell counts activity through the month's end (晨晨 on the 25th)"
    );
}

#[test]
fn a_segment_restricts_every_member_tile_to_its_members() {
    let db = open();
    let [a, b, c] = community(&db);
    let everyone = metrics(&db, "2026-11-01", "2026-11-25", None);
    let seg = segments::save(
        &db.ctx,
        SaveSegment {
            id: None,
            name: "阿明和晨晨".into(),
            filter: Default::default(),
            members: vec![a, c],
            is_list: Some(true),
        },
    )
    .unwrap();
    let m = metrics(&db, "2026-11-01", "2026-11-25", Some(seg.id));
    // Growth: of the two, 晨晨 joined in November; 阿明 was there before.
    assert_eq!((everyone.growth.new, m.growth.new), (2, 1));
    assert_eq!((m.growth.members_start, m.growth.members_end), (1, 2));
    // Activity without 小北: WAU and MAU drop to 2, 4 activities in November.
    assert_eq!(
        (
            m.activity.dau,
            m.activity.wau,
            m.activity.mau,
            m.activity.active
        ),
        (2, 2, 2, 2)
    );
    assert_eq!(
        (everyone.activity.activities, m.activity.activities),
        (5, 4)
    );
    assert_eq!(m.activity.days[23].activities, 2);
    // Points from activities: 阿明 1 + 1 + 1, 晨晨 1 (小北's answer of 3 left out).
    assert_eq!(
        (everyone.points.from_activities, m.points.from_activities),
        (7, 4)
    );
    assert!(m.top.iter().all(|t| t.member_id != b));
    assert_eq!(m.top.len(), 2);
    let cohort: Vec<(&str, u32)> = m
        .cohorts
        .iter()
        .map(|c| (c.month.as_str(), c.size))
        .collect();
    assert_eq!(cohort, vec![("2026-11", 1)]);
    // Behind the filtered number: the segment's members only.
    let new_in_november = Drill::New {
        from: "2026-11-01".into(),
        to: "2026-11-25".into(),
    };
    assert_eq!(
        dashboard::members_behind(&db.ctx, new_in_november.clone()).unwrap(),
        vec![b, c]
    );
    assert_eq!(
        dashboard::members_behind_in(&db.ctx, new_in_november, Some(seg.id)).unwrap(),
        vec![c]
    );
    // The lifecycle tile counts only the segment's members.
    let staged: u32 = m.lifecycle.stages.iter().map(|s| s.members).sum();
    let all_staged: u32 = everyone.lifecycle.stages.iter().map(|s| s.members).sum();
    assert_eq!((all_staged, staged), (3, 2));
    // The compare period follows the filter too.
    let compared = dashboard::metrics(
        &db.ctx,
        MetricsQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-25".into()),
            compare: true,
            segment: Some(seg.id),
            channel: None,
        },
    )
    .unwrap();
    // October (Oct 7–31): 阿明's Oct 20 line, not 小北's Oct 30.
    assert_eq!(compared.previous.unwrap().activities, 1);
    // A segment that does not exist is refused, not read as "everyone".
    assert!(dashboard::metrics(
        &db.ctx,
        MetricsQuery {
            segment: Some(9999),
            ..MetricsQuery::default()
        },
    )
    .is_err());
}

#[test]
fn the_content_tile_shows_planned_against_published_per_channel_and_who_owns_them() {
    let db = open();
    let [a, b, _] = community(&db);
    let range = |db: &TestDb| {
        dashboard::metrics_of(
            &db.ctx,
            MetricsQuery {
                from: Some("2026-11-01".into()),
                to: Some("2026-11-30".into()),
                ..MetricsQuery::default()
            },
            &[Tile::Content],
        )
        .unwrap()
        .content
    };
    assert!(range(&db).is_empty(), "no channels: no tile");
    let channel = |name: &str| {
        content::create_channel(
            &db.ctx,
            ChannelDraft {
                name: name.into(),
                kind: ChannelKind::WechatGroup,
                colour: String::new(),
                audience: 100,
                rules: String::new(),
                daily_limit: None,
            },
        )
        .unwrap()
        .id
    };
    let group = channel("读书会 1 群");
    let forum = channel("论坛");
    let item = |title: &str, channel: i64, at: &str, owner: Option<i64>, published: bool| {
        content::create(
            &db.ctx,
            ContentDraft {
                title: title.into(),
                channel_ids: vec![channel],
                planned_local: at.into(),
                published_local: if published { at.into() } else { String::new() },
                status: published.then_some(hearth_core::domain::ContentStatus::Published),
                owner_member_id: owner,
                ..Default::default()
            },
        )
        .unwrap()
    };
    item("书单", group, "2026-11-10T20:00", Some(a), true);
    item("共读", group, "2026-11-20T20:00", Some(b), false);
    item("十月回顾", group, "2026-10-20T20:00", Some(b), true);
    item("版规", forum, "2026-11-12T09:00", None, false);
    let tile = range(&db);
    let counts: Vec<(&str, u32, u32)> = tile
        .iter()
        .map(|c| (c.name.as_str(), c.planned, c.published))
        .collect();
    // In the content board's channel order (by name).
    assert_eq!(counts, vec![("论坛", 1, 0), ("读书会 1 群", 2, 1)]);
    assert!(tile.iter().all(|c| c.colour.starts_with('#')));
    // The channel filter keeps one channel.
    let only = dashboard::metrics_of(
        &db.ctx,
        MetricsQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            channel: Some(forum),
            ..MetricsQuery::default()
        },
        &[Tile::Content],
    )
    .unwrap()
    .content;
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].channel_id, forum);
    // Behind the channel's numbers: the owners of its November items.
    let owners = |channel_id: i64| {
        dashboard::members_behind(
            &db.ctx,
            Drill::ContentOwners {
                channel_id,
                from: "2026-11-01".into(),
                to: "2026-11-30".into(),
            },
        )
        .unwrap()
    };
    assert_eq!(owners(group), vec![a, b]);
    assert!(owners(forum).is_empty());
}

#[test]
fn leaderboards_rank_by_points_then_name_and_leave_the_trash_out() {
    let db = open();
    let [a, b, c] = community(&db);
    let board = |w: Window| -> Vec<(i64, i64, u32)> {
        engagement::leaderboard(&db.ctx, w, 10)
            .unwrap()
            .into_iter()
            .map(|s| (s.member_id, s.points, s.rank))
            .collect()
    };
    // All time: 阿明 4 (four lines of 1), 小北 4 (3 + 1), 晨晨 1; the tie in name order
    // (sort keys: “a ming” < “xiao bei”).
    assert_eq!(
        board(Window::AllTime),
        vec![(a, 4, 1), (b, 4, 1), (c, 1, 3)]
    );
    // The last 7 days (Nov 19–25): 阿明 3, 小北 3, 晨晨 1.
    assert_eq!(board(Window::Days7), vec![(a, 3, 1), (b, 3, 1), (c, 1, 3)]);
    members::delete(&db.ctx, members::DeleteMembers { ids: vec![a] }).unwrap();
    assert_eq!(board(Window::Days30), vec![(b, 4, 1), (c, 1, 2)]);
    assert!(dashboard::rollups_agree(&db.ctx).unwrap());
}
