//! Tag colours and groups, and tags that fall off on their day.

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::{draft, names, now, open};
use hearth_core::domain::IdentityKind::*;
use hearth_core::ops::members::{self, BulkTag, UpdateMember};
use hearth_core::ops::tags::{self, StyleTag};
use hearth_core::{Ctx, ErrorCode, FixedClock};

#[test]
fn campaign_tags_fall_off_after_their_last_day_and_edits_keep_the_date() {
    let db = open();
    let a = members::create(&db.ctx, draft("张伟", &[(Phone, "13800138000")], &["VIP"])).unwrap();
    let b = members::create(&db.ctx, draft("李娜", &[(Phone, "13800138001")], &[])).unwrap();
    let past = members::bulk_tag(
        &db.ctx,
        BulkTag {
            ids: vec![a.id],
            add: vec!["双十一".into()],
            remove: vec![],
            expires_on: Some("2026-11-24".into()),
        },
    )
    .unwrap_err();
    assert_eq!(past.code, ErrorCode::InvalidDate);
    assert_eq!(past.field.as_deref(), Some("expires_on"));
    members::bulk_tag(
        &db.ctx,
        BulkTag {
            ids: vec![a.id, b.id],
            add: vec!["双十一".into()],
            remove: vec![],
            expires_on: Some("2026-11-26".into()),
        },
    )
    .unwrap();
    // Editing 张伟 (same tags) keeps the expiry.
    let mut d = draft("张伟", &[(Phone, "13800138000")], &["VIP", "双十一"]);
    d.city = "北京".into();
    members::update(&db.ctx, UpdateMember { id: a.id, draft: d }).unwrap();

    // On the last day nothing happens; the day after, the tag is gone from both, and from search.
    let last_day = Ctx::open_in_dir(
        db.dir.path(),
        Arc::new(FixedClock(now() + Duration::days(1))),
    )
    .unwrap();
    assert_eq!(members::expire_tags(&last_day).unwrap(), 0);
    let after = Ctx::open_in_dir(
        db.dir.path(),
        Arc::new(FixedClock(now() + Duration::days(2))),
    )
    .unwrap();
    assert_eq!(members::expire_tags(&after).unwrap(), 2);
    assert_eq!(members::get(&after, a.id).unwrap().tags, ["VIP"]);
    assert!(members::get(&after, b.id).unwrap().tags.is_empty());
    assert!(names(&db, "双十一").is_empty());
}

#[test]
fn tags_have_a_colour_and_a_group() {
    let db = open();
    members::create(&db.ctx, draft("张伟", &[], &["VIP", "读书"])).unwrap();
    let vip = tags::style(
        &db.ctx,
        StyleTag {
            name: "VIP".into(),
            color: "red".into(),
            group: "身份".into(),
        },
    )
    .unwrap();
    assert_eq!((vip.color.as_str(), vip.group.as_str()), ("red", "身份"));
    let all = tags::list(&db.ctx).unwrap();
    assert_eq!(all[0].name, "VIP", "grouped tags come first");
    let bad = tags::style(
        &db.ctx,
        StyleTag {
            name: "读书".into(),
            color: "#ff0000".into(),
            group: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    let missing = tags::style(
        &db.ctx,
        StyleTag {
            name: "nope".into(),
            color: "red".into(),
            group: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[test]
fn end_dates_survive_merge_rename_and_merge_undo() {
    let db = open();
    let a = members::create(&db.ctx, draft("张伟", &[(Phone, "13800138000")], &["VIP"])).unwrap();
    let b = members::create(&db.ctx, draft("张伟", &[(Phone, "13900139000")], &[])).unwrap();
    let tag_b = || {
        members::bulk_tag(
            &db.ctx,
            BulkTag {
                ids: vec![b.id],
                add: vec!["双十一".into()],
                remove: vec![],
                expires_on: Some("2026-11-26".into()),
            },
        )
        .unwrap();
    };
    tag_b();
    // A later bulk add without a date leaves the date alone.
    members::bulk_tag(
        &db.ctx,
        BulkTag {
            ids: vec![b.id],
            add: vec!["双十一".into()],
            remove: vec![],
            expires_on: None,
        },
    )
    .unwrap();
    let merge = || {
        members::merge(
            &db.ctx,
            members::MergeMembers {
                keep_id: a.id,
                merge_id: b.id,
                take_from_merged: vec![],
            },
        )
        .unwrap()
    };
    // Undo brings the merged member back with its dated tag.
    let out = merge();
    members::undo_merge(&db.ctx, members::UndoMerge { merge: out.merge }).unwrap();
    let later = Ctx::open_in_dir(
        db.dir.path(),
        Arc::new(FixedClock(now() + Duration::days(2))),
    )
    .unwrap();
    assert_eq!(
        members::expire_tags(&later).unwrap(),
        1,
        "the date came back with the undo"
    );
    assert!(members::get(&later, b.id).unwrap().tags.is_empty());
    // Merging carries the date onto the kept member, and a rename keeps it.
    tag_b();
    merge();
    tags::rename(
        &db.ctx,
        tags::RenameTag {
            from: "双十一".into(),
            to: "双11".into(),
        },
    )
    .unwrap();
    assert_eq!(members::expire_tags(&later).unwrap(), 1);
    assert_eq!(members::get(&later, a.id).unwrap().tags, ["VIP"]);
}
