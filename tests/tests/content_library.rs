//! The content calendar's knowledge library (知识沉淀) and the second part of the calendar, on
//! real database files with a fixed clock (2026-11-25 09:30 UTC, 17:30 in Shanghai): keeping a
//! published item, searching in Chinese, planning an entry again, a channel's history, delete
//! and its exact undo (entries and items), migration 0022 on a database that has content, the
//! campaign key, the demo's library and the `hearth library` CLI.

mod common;

use hearth_core::domain::{
    CampaignDraft, ChannelDraft, ChannelKind, ContentDraft, ContentStatus, LibraryDraft,
    LibraryKind, Recurrence, SlotDraft,
};
use hearth_core::ops::campaigns;
use hearth_core::ops::content::library::{self, KeepItem, LibraryQuery, PlanAgain};
use hearth_core::ops::content::{self, slots, ContentQuery, MarkPosted, RestoreItem};
use hearth_core::store::{APPLICATION_ID, MIGRATIONS};
use hearth_core::ErrorCode;
use serde_json::Value;

use common::TestDb;

fn channel(db: &TestDb, name: &str) -> i64 {
    content::create_channel(
        &db.ctx,
        ChannelDraft {
            name: name.into(),
            kind: ChannelKind::WechatGroup,
            colour: String::new(),
            audience: 300,
            rules: String::new(),
            daily_limit: Some(3),
        },
    )
    .unwrap()
    .id
}

/// A post that went out at `at` (local) in `channels`.
fn published(db: &TestDb, title: &str, body: &str, channels: &[i64], at: &str) -> i64 {
    let id = content::create(
        &db.ctx,
        ContentDraft {
            title: title.into(),
            body: body.into(),
            channel_ids: channels.to_vec(),
            planned_local: at.into(),
            tags: vec!["干货".into()],
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    content::mark_posted(
        &db.ctx,
        MarkPosted {
            id,
            at: Some(at.into()),
            link: None,
        },
    )
    .unwrap();
    id
}

fn search(db: &TestDb, text: &str) -> Vec<String> {
    library::list(
        &db.ctx,
        &LibraryQuery {
            text: text.into(),
            kind: None,
        },
    )
    .unwrap()
    .into_iter()
    .map(|e| e.title)
    .collect()
}

fn faq(db: &TestDb, q: &str, a: &str, tags: &[&str]) -> i64 {
    library::create(
        &db.ctx,
        LibraryDraft {
            kind: LibraryKind::Faq,
            title: q.into(),
            body: a.into(),
            tags: tags.iter().map(|t| (*t).into()).collect(),
            channel_id: None,
        },
    )
    .unwrap()
    .id
}

#[test]
fn a_published_post_is_kept_once_found_by_a_chinese_substring_and_planned_again() {
    let db = common::open();
    let group = channel(&db, "读书会 1 群");
    let other = channel(&db, "公众号");
    let item = published(
        &db,
        "如何高效读完一本书",
        "一、先读目录；二、每章写一句话；三、讲给别人听。",
        &[group],
        "2026-11-20 20:00",
    );

    let kept = library::keep(
        &db.ctx,
        KeepItem {
            item_id: item,
            kind: LibraryKind::Evergreen,
        },
    )
    .unwrap();
    assert!(kept.created);
    let entry = kept.entry;
    assert_eq!(entry.title, "如何高效读完一本书");
    assert_eq!(
        entry.body,
        "一、先读目录；二、每章写一句话；三、讲给别人听。"
    );
    assert_eq!(entry.tags, vec!["干货".to_string()]);
    assert_eq!(entry.source_item_id, Some(item));
    assert_eq!(entry.channel_id, Some(group));
    assert_eq!(entry.channel_name.as_deref(), Some("读书会 1 群"));
    assert_eq!(entry.reuse_count, 0);

    // Keeping it again answers the same entry and adds nothing.
    let again = library::keep(
        &db.ctx,
        KeepItem {
            item_id: item,
            kind: LibraryKind::Faq,
        },
    )
    .unwrap();
    assert!(!again.created);
    assert_eq!(again.entry.id, entry.id);
    assert_eq!(search(&db, "").len(), 1);

    faq(
        &db,
        "积分怎么算？",
        "签到 1 分，线下活动 10 分。",
        &["积分"],
    );
    faq(&db, "活动怎么报名？", "在群里接龙。", &["报名"]);

    // Substrings of the title, the text or a tag, in Chinese; every word must match.
    assert_eq!(search(&db, "高效"), vec!["如何高效读完一本书"]);
    assert_eq!(search(&db, "目录"), vec!["如何高效读完一本书"]);
    assert_eq!(search(&db, "干货"), vec!["如何高效读完一本书"]);
    assert_eq!(search(&db, "积分"), vec!["积分怎么算？"]);
    assert_eq!(search(&db, "接龙 报名"), vec!["活动怎么报名？"]);
    assert!(search(&db, "接龙 积分").is_empty());
    assert_eq!(search(&db, "").len(), 3);
    let faqs = library::list(
        &db.ctx,
        &LibraryQuery {
            text: String::new(),
            kind: Some(LibraryKind::Faq),
        },
    )
    .unwrap();
    assert_eq!(faqs.len(), 2);

    // Planned again at a time in another channel: a new planned item with the entry's text.
    let planned = library::plan_again(
        &db.ctx,
        PlanAgain {
            entry_id: entry.id,
            channel_ids: vec![other],
            planned_local: "2026-12-03 20:00".into(),
        },
    )
    .unwrap();
    assert_ne!(planned.id, item);
    assert_eq!(planned.status, ContentStatus::Planned);
    assert_eq!(planned.title, "如何高效读完一本书");
    assert_eq!(planned.body, entry.body);
    assert_eq!(planned.tags, vec!["干货".to_string()]);
    assert_eq!(planned.channel_ids, vec![other]);
    assert_eq!(planned.planned_local.as_deref(), Some("2026-12-03T20:00"));
    assert_eq!(planned.planned_at.as_deref(), Some("2026-12-03T12:00:00Z"));
    // Without a time: a draft in the entry's own channel, in the unscheduled ideas.
    let draft = library::plan_again(
        &db.ctx,
        PlanAgain {
            entry_id: entry.id,
            channel_ids: vec![],
            planned_local: String::new(),
        },
    )
    .unwrap();
    assert_eq!(draft.status, ContentStatus::Draft);
    assert_eq!(draft.channel_ids, vec![group]);
    assert!(draft.day.is_none());

    let entry = library::get(&db.ctx, entry.id).unwrap();
    assert_eq!(entry.reuse_count, 2);
    assert_eq!(entry.last_reused_at.as_deref(), Some(common::NOW));
    // The most reused comes first when nothing is typed.
    assert_eq!(search(&db, "")[0], "如何高效读完一本书");

    // A bad time plans nothing and counts nothing.
    let err = library::plan_again(
        &db.ctx,
        PlanAgain {
            entry_id: entry.id,
            channel_ids: vec![],
            planned_local: "next tuesday".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidDate);
    assert_eq!(library::get(&db.ctx, entry.id).unwrap().reuse_count, 2);
}

#[test]
fn an_entry_is_edited_deleted_and_put_back_exactly() {
    let db = common::open();
    let group = channel(&db, "读书会 1 群");
    let id = faq(&db, "群里可以发广告吗？", "不可以。", &["群规"]);
    let edited = library::update(
        &db.ctx,
        id,
        LibraryDraft {
            kind: LibraryKind::Faq,
            title: "群里可以发广告或者拉票吗？".into(),
            body: "不可以：群规第 1 条。".into(),
            tags: vec!["群规".into(), "广告".into(), "群规".into(), " ".into()],
            channel_id: Some(group),
        },
    )
    .unwrap();
    assert_eq!(edited.tags, vec!["群规".to_string(), "广告".to_string()]);
    assert_eq!(edited.channel_id, Some(group));
    library::plan_again(
        &db.ctx,
        PlanAgain {
            entry_id: id,
            channel_ids: vec![],
            planned_local: String::new(),
        },
    )
    .unwrap();
    let before = library::get(&db.ctx, id).unwrap();

    let gone = library::delete(&db.ctx, id).unwrap();
    assert_eq!(gone, before);
    assert!(search(&db, "广告").is_empty());
    assert_eq!(
        library::get(&db.ctx, id).unwrap_err().code,
        ErrorCode::NotFound
    );
    let back = library::restore(&db.ctx, gone.clone()).unwrap();
    assert_eq!(back, before, "same id, text, tags, counts and stamps");
    // Twice is refused, not duplicated.
    assert!(library::restore(&db.ctx, gone).is_err());
    assert_eq!(search(&db, "广告").len(), 1);

    let empty = library::create(
        &db.ctx,
        LibraryDraft {
            kind: LibraryKind::Evergreen,
            title: "   ".into(),
            body: String::new(),
            tags: vec![],
            channel_id: None,
        },
    )
    .unwrap_err();
    assert_eq!(empty.code, ErrorCode::Required);
    assert_eq!(empty.field.as_deref(), Some("title"));
}

#[test]
fn a_channels_history_lists_what_went_out_newest_first_and_what_is_kept() {
    let db = common::open();
    let group = channel(&db, "读书会 1 群");
    let other = channel(&db, "微博");
    let old = published(&db, "十月书单", "", &[group], "2026-10-02 20:00");
    let new = published(&db, "十一月书单", "", &[group, other], "2026-11-02 20:00");
    published(&db, "微博专属", "", &[other], "2026-11-03 20:00");
    // Planned, not published: not history.
    content::create(
        &db.ctx,
        ContentDraft {
            title: "十二月书单".into(),
            channel_ids: vec![group],
            planned_local: "2026-12-02 20:00".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let kept = library::keep(
        &db.ctx,
        KeepItem {
            item_id: old,
            kind: LibraryKind::Evergreen,
        },
    )
    .unwrap()
    .entry;

    let history = library::channel_history(&db.ctx, group, None).unwrap();
    let ids: Vec<i64> = history.items.iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![new, old]);
    assert_eq!(history.kept, vec![(old, kept.id)]);
    assert_eq!(
        library::channel_history(&db.ctx, 999, None)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );

    // Deleting the item keeps the entry, without its source.
    content::delete(&db.ctx, old).unwrap();
    let entry = library::get(&db.ctx, kept.id).unwrap();
    assert_eq!(entry.source_item_id, None);
    assert_eq!(entry.title, "十月书单");
}

#[test]
fn a_deleted_item_comes_back_exactly_and_its_slot_does_not_plan_the_day_again() {
    let db = common::open();
    let group = channel(&db, "读书会 1 群");
    let other = channel(&db, "公众号");
    let created = slots::create(
        &db.ctx,
        SlotDraft {
            channel_id: group,
            title: "周二知识分享".into(),
            recurrence: Recurrence::Weekly { weekdays: vec![1] },
            time: "20:00".into(),
            time_zone: String::new(),
            starts_on: String::new(),
            ends_on: None,
        },
    )
    .unwrap();
    let planned = content::list(&db.ctx, &ContentQuery::default()).unwrap();
    let first = planned
        .iter()
        .find(|i| i.slot_id == Some(created.slot.id))
        .unwrap()
        .clone();
    // Give it a second channel, tags and notes, so there is more to put back.
    let draft = ContentDraft {
        title: first.title.clone(),
        body: "本周分享：《置身事内》".into(),
        status: Some(ContentStatus::Planned),
        channel_ids: vec![group, other],
        planned_local: first.planned_local.clone().unwrap(),
        tags: vec!["分享".into(), "经济".into()],
        notes: "请嘉宾提前 10 分钟进群".into(),
        ..Default::default()
    };
    let before = content::update(&db.ctx, first.id, draft).unwrap();
    let count = content::list(&db.ctx, &ContentQuery::default())
        .unwrap()
        .len();

    let gone = content::delete(&db.ctx, before.id).unwrap();
    assert_eq!(gone, before);
    // Planning ahead again does not fill the deleted day: the slot remembers it planned it.
    assert_eq!(
        slots::plan_ahead(&db.ctx, slots::PlanAhead { days: None }).unwrap(),
        0
    );
    let restore = RestoreItem {
        id: gone.id,
        title: gone.title.clone(),
        body: gone.body.clone(),
        status: gone.status,
        channel_ids: gone.channel_ids.clone(),
        planned_at: gone.planned_at.clone(),
        published_at: gone.published_at.clone(),
        link: gone.link.clone(),
        owner_member_id: gone.owner_member_id,
        event_id: gone.event_id,
        campaign_id: gone.campaign_id,
        slot_id: gone.slot_id,
        tags: gone.tags.clone(),
        notes: gone.notes.clone(),
        created_at: gone.created_at.clone(),
        updated_at: gone.updated_at.clone(),
    };
    let back = content::restore(&db.ctx, restore.clone()).unwrap();
    assert_eq!(
        back, before,
        "same id, channels, tags, slot, times and stamps"
    );
    assert_eq!(
        content::list(&db.ctx, &ContentQuery::default())
            .unwrap()
            .len(),
        count
    );
    assert_eq!(
        slots::plan_ahead(&db.ctx, slots::PlanAhead { days: None }).unwrap(),
        0
    );
    // Twice is refused.
    assert!(content::restore(&db.ctx, restore.clone()).is_err());

    // A channel deleted meanwhile is left out; the rest comes back.
    content::delete(&db.ctx, before.id).unwrap();
    content::delete_channel(&db.ctx, other).unwrap();
    let back = content::restore(&db.ctx, restore).unwrap();
    assert_eq!(back.channel_ids, vec![group]);
    assert_eq!(back.tags, before.tags);
    assert_eq!(back.slot_id, Some(created.slot.id));
}

fn campaign(db: &TestDb, name: &str) -> i64 {
    campaigns::create(
        &db.ctx,
        CampaignDraft {
            name: name.into(),
            goal: String::new(),
            starts_on: "2026-12-01".into(),
            ends_on: "2026-12-31".into(),
            channels: String::new(),
            owner: String::new(),
        },
    )
    .unwrap()
    .summary
    .id
}

#[test]
fn an_items_campaign_is_a_real_key_deleting_the_campaign_keeps_the_post() {
    let db = common::open();
    let group = channel(&db, "读书会 1 群");
    let c = campaign(&db, "冬季共读");
    let item = content::create(
        &db.ctx,
        ContentDraft {
            title: "冬季共读开营".into(),
            channel_ids: vec![group],
            planned_local: "2026-12-01 20:00".into(),
            campaign_id: Some(c),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(item.campaign_id, Some(c));
    let in_campaign = content::list(
        &db.ctx,
        &ContentQuery {
            campaign_id: Some(c),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(in_campaign.len(), 1);

    // A campaign that does not exist is refused by name, not by a database error.
    let err = content::create(
        &db.ctx,
        ContentDraft {
            title: "x".into(),
            campaign_id: Some(999),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(err.field.as_deref(), Some("campaign_id"));

    campaigns::delete(&db.ctx, c).unwrap();
    let after = content::get(&db.ctx, item.id).unwrap();
    assert_eq!(after.campaign_id, None);
    assert_eq!(after.title, "冬季共读开营");
    assert_eq!(after.channel_ids, vec![group]);
}

#[test]
fn migration_22_keeps_items_channels_and_merge_records_and_clears_dangling_campaigns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hearth.db");
    let v21 = &MIGRATIONS[..21];
    assert_eq!(v21.last().unwrap().version, 21);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        hearth_core::store::migrate(&mut conn, v21).unwrap();
        conn.execute_batch(
            "INSERT INTO campaigns (id, name, starts_on, ends_on, status, created_at, updated_at)
                 VALUES (1, '冬季共读', '2026-12-01', '2026-12-31', 'planned', 'x', 'x');
             INSERT INTO content_channels (id, name, kind, colour, created_at, updated_at)
                 VALUES (1, '读书会 1 群', 'wechat_group', '#16a34a', 'x', 'x'),
                        (2, '公众号', 'official_account', '#0891b2', 'x', 'x');
             INSERT INTO content_items (id, title, status, planned_at, campaign_id, tags,
                                        created_at, updated_at)
                 VALUES (1, '开营', 'planned', '2026-12-01T12:00:00Z', 1, '[\"共读\"]', 'a', 'b'),
                        (2, '孤儿', 'idea', NULL, 77, '[]', 'a', 'b');
             INSERT INTO content_item_channels (item_id, channel_id)
                 VALUES (1, 1), (1, 2), (2, 2);",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let db = {
        let ctx = hearth_core::Ctx::open_in_dir(
            dir.path(),
            std::sync::Arc::new(hearth_core::FixedClock(common::now())),
        )
        .unwrap();
        TestDb {
            ctx,
            dir: tempfile::tempdir().unwrap(),
        }
    };
    let one = content::get(&db.ctx, 1).unwrap();
    assert_eq!(one.channel_ids, vec![1, 2]);
    assert_eq!(one.campaign_id, Some(1));
    assert_eq!(one.tags, vec!["共读".to_string()]);
    assert_eq!(one.planned_local.as_deref(), Some("2026-12-01T20:00"));
    assert_eq!(
        (one.created_at.as_str(), one.updated_at.as_str()),
        ("a", "b")
    );
    let two = content::get(&db.ctx, 2).unwrap();
    assert_eq!(
        two.campaign_id, None,
        "a campaign that never existed is cleared"
    );
    assert_eq!(two.channel_ids, vec![2]);
    drop(db);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    let indexes: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'content_items'
              AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        indexes,
        vec![
            "content_items_by_campaign",
            "content_items_by_event",
            "content_items_by_owner",
            "content_items_shown"
        ]
    );
    // The generated column is still there (the calendar's index is on it).
    let generated: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_xinfo('content_items')
              WHERE name = 'shown_at' AND hidden IN (2, 3)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(generated, 1);
}

#[test]
fn the_demo_library_answers_the_usual_questions() {
    let db = common::open_demo();
    let all = library::list(&db.ctx, &LibraryQuery::default()).unwrap();
    assert!(all.len() >= 12, "{} entries", all.len());
    for word in ["群规", "报名", "积分"] {
        let found = library::list(
            &db.ctx,
            &LibraryQuery {
                text: word.into(),
                kind: Some(LibraryKind::Faq),
            },
        )
        .unwrap();
        assert!(!found.is_empty(), "an FAQ about {word}");
    }
    // Some entries were kept from published posts, and their channel's history says so.
    let kept: Vec<_> = all.iter().filter(|e| e.source_item_id.is_some()).collect();
    assert!(!kept.is_empty());
    let e = kept[0];
    let history = library::channel_history(&db.ctx, e.channel_id.unwrap(), None).unwrap();
    assert!(history.kept.contains(&(e.source_item_id.unwrap(), e.id)));
    let source = content::get(&db.ctx, e.source_item_id.unwrap()).unwrap();
    assert_eq!(source.status, ContentStatus::Published);
}

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_cli_adds_searches_and_plans_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&common::hearth(
        d,
        &["channels", "add", "--name", "读书会 1 群", "--json"],
    ));
    let added = json(&common::hearth(
        d,
        &[
            "library",
            "add",
            "--kind",
            "faq",
            "--title",
            "积分怎么算？",
            "--body",
            "签到 1 分",
            "--tag",
            "积分",
            "--channel",
            "读书会 1 群",
            "--json",
        ],
    ));
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["kind"], "faq");
    assert_eq!(added["channel_name"], "读书会 1 群");

    let found = json(&common::hearth(d, &["library", "search", "积分", "--json"]));
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"].as_i64(), Some(id));
    let none = json(&common::hearth(d, &["library", "search", "报名", "--json"]));
    assert!(none.as_array().unwrap().is_empty());

    let item = json(&common::hearth(
        d,
        &[
            "library",
            "plan",
            &id.to_string(),
            "--channel",
            "读书会 1 群",
            "--at",
            "2026-12-24 20:00",
            "--json",
        ],
    ));
    assert_eq!(item["status"], "planned");
    assert_eq!(item["title"], "积分怎么算？");
    assert_eq!(item["planned_local"], "2026-12-24T20:00");
    let list = json(&common::hearth(d, &["library", "list", "--json"]));
    assert_eq!(list[0]["reuse_count"], 1);

    // Keeping the planned item from the calendar, then the text listing.
    let kept = json(&common::hearth(
        d,
        &[
            "library",
            "add",
            "--item",
            &item["id"].to_string(),
            "--json",
        ],
    ));
    assert_eq!(kept["source_item_id"], item["id"]);
    let text = common::hearth(d, &["library", "list"]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("2 entries"));

    // An unknown channel fails with status 1 and names it.
    let bad = common::hearth(
        d,
        &[
            "library",
            "plan",
            &id.to_string(),
            "--channel",
            "没有这个群",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("没有这个群"));
}
