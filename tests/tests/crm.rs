//! The members CRM: profiles, every identity kind, bulk tags, duplicates, merge + undo, erase.

mod common;

use std::sync::Arc;

use common::{draft, names, open};
use hearth_core::domain::{Gender, IdentityKind::*, MemberDraft};
use hearth_core::ops::members::{
    self, BulkTag, DuplicateReason, EraseMembers, FindDuplicates, MergeField, MergeMembers,
    UndoMerge, UpdateMember,
};
use hearth_core::{Ctx, ErrorCode, FixedClock};

/// Every row of every table except `merges`, as text: equal dumps mean equal content.
fn dump(db: &common::TestDb) -> String {
    common::dump_db(&db.dir.path().join("hearth.db"), |t| {
        t != "merges" && t != "schema_migrations"
    })
}

fn profile(name: &str, city: &str, email: &str) -> MemberDraft {
    MemberDraft {
        city: city.into(),
        ..draft(name, &[(Email, email)], &[])
    }
}

#[test]
fn profile_fields_and_every_identity_kind_round_trip() {
    let db = open();
    let mut d = draft(
        "张伟",
        &[
            (Phone, "13800138000"),
            (WechatRemark, "张伟-北京-产品"),
            (GroupNick, "小张&amp;朋友"),
            (QqCard, "张伟|PM"),
            (Forum, "zhangwei"),
            (Platform, "Discord:1234567890123456789"),
        ],
        &[],
    );
    d.gender = Some(Gender::Male);
    d.city = "北京".into();
    d.birthday = Some("3-5".into());
    d.role = "群管理员".into();
    d.responsibilities = "每周整理群精华".into();
    d.source = "微信群·产品交流".into();
    let m = members::create(&db.ctx, d).unwrap();
    assert_eq!(m.gender, Some(Gender::Male));
    assert_eq!(
        (m.city.as_str(), m.birthday.as_deref()),
        ("北京", Some("--03-05"))
    );
    assert_eq!(
        (m.role.as_str(), m.source.as_str()),
        ("群管理员", "微信群·产品交流")
    );
    let values: Vec<_> = m.identities.iter().map(|i| i.value.as_str()).collect();
    assert!(
        values.contains(&"小张&朋友"),
        "HTML entities decoded: {values:?}"
    );
    assert!(
        values.contains(&"discord:1234567890123456789"),
        "snowflake kept exactly"
    );
    // Group nicknames are not identifying: another member may use the same one.
    let other = members::create(&db.ctx, draft("张薇", &[(GroupNick, "小张&朋友")], &[])).unwrap();
    assert_eq!(other.identities[0].value, "小张&朋友");
    // But a platform id is.
    let err = members::create(
        &db.ctx,
        draft("X", &[(Platform, "discord:1234567890123456789")], &[]),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::IdentityTaken);
    // Search reaches nicknames and cities.
    assert_eq!(names(&db, "小张&"), vec!["张伟", "张薇"]);
    assert_eq!(names(&db, "北京"), vec!["张伟"]);
}

#[test]
fn bulk_tag_and_untag_a_selection_in_one_go() {
    let db = open();
    let ids: Vec<i64> = ["张伟", "李娜", "王芳", "陈静"]
        .iter()
        .map(|n| {
            members::create(&db.ctx, draft(n, &[], &["老成员"]))
                .unwrap()
                .id
        })
        .collect();
    let out = members::bulk_tag(
        &db.ctx,
        BulkTag {
            ids: ids[..3].to_vec(),
            add: vec!["双十一活动".into()],
            remove: vec!["老成员".into()],
            expires_on: None,
        },
    )
    .unwrap();
    assert_eq!((out.added, out.removed), (3, 3));
    assert_eq!(names(&db, "双十一"), vec!["李娜", "王芳", "张伟"]);
    assert_eq!(names(&db, "老成员"), vec!["陈静"]);
    let again = members::bulk_tag(
        &db.ctx,
        BulkTag {
            ids: ids.clone(),
            add: vec!["双十一活动".into()],
            remove: vec![],
            expires_on: None,
        },
    )
    .unwrap();
    assert_eq!(again.added, 1, "only 陈静 was missing it");
    let err = members::bulk_tag(
        &db.ctx,
        BulkTag {
            ids,
            add: vec![],
            remove: vec![" ".into()],
            expires_on: None,
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Required);
}

#[test]
fn duplicates_are_proposed_with_reasons() {
    let db = open();
    let a = members::create(&db.ctx, profile("张伟", "北京", "zw@example.com")).unwrap();
    let b = members::create(&db.ctx, profile("张伟", "北京", "zw@example.net")).unwrap();
    let c = members::create(&db.ctx, profile("張偉", "上海", "zhang@example.org")).unwrap();
    members::create(&db.ctx, profile("Amy Chen", "Singapore", "amy@example.com")).unwrap();
    members::create(
        &db.ctx,
        profile("amy  chen", "Singapore", "achen@example.com"),
    )
    .unwrap();
    // Namesakes with nothing else in common are not proposed.
    members::create(&db.ctx, profile("Tom Lee", "Shanghai", "tom@example.com")).unwrap();
    members::create(&db.ctx, profile("Tom Lee", "Beijing", "tlee@example.com")).unwrap();
    members::create(&db.ctx, profile("李娜", "", "lina@example.com")).unwrap();
    let report = members::find_duplicates(&db.ctx, FindDuplicates::default()).unwrap();
    let pairs: Vec<_> = report
        .pairs
        .iter()
        .map(|p| {
            (
                p.a.display_name.as_str(),
                p.b.display_name.as_str(),
                p.reasons.clone(),
            )
        })
        .collect();
    assert_eq!(
        pairs[0],
        (
            "张伟",
            "张伟",
            vec![
                DuplicateReason::SameName,
                DuplicateReason::SameCity,
                DuplicateReason::SameEmailUser
            ]
        )
    );
    assert!(pairs.contains(&(
        "Amy Chen",
        "amy chen",
        vec![DuplicateReason::SameName, DuplicateReason::SameCity]
    )));
    // 張偉 sounds the same but shares neither city nor email with either 张伟 in a group of three.
    assert!(!report
        .pairs
        .iter()
        .any(|p| p.a.id == c.id || p.b.id == c.id));
    assert_eq!(report.total, 2);
    assert_eq!((report.pairs[0].a.id, report.pairs[0].b.id), (a.id, b.id));
}

#[test]
fn merge_keeps_everything_and_undo_restores_the_exact_state() {
    let db = open();
    let mut keep = draft(
        "张伟",
        &[(Phone, "13800138000"), (Wechat, "zhangwei_88")],
        &["讲者"],
    );
    keep.notes = "分享过 Rust".into();
    keep.joined_at = Some("2025-06-01".into());
    let keep = members::create(&db.ctx, keep).unwrap();
    let mut other = draft(
        "張偉",
        &[(Phone, "13900139000"), (Email, "zw@example.com")],
        &["北京", "讲者"],
    );
    other.notes = "想做志愿者".into();
    other.city = "北京".into();
    other.joined_at = Some("2024-01-01".into());
    let other = members::create(&db.ctx, other).unwrap();
    let before = dump(&db);

    let out = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: keep.id,
            merge_id: other.id,
            take_from_merged: vec![MergeField::DisplayName],
        },
    )
    .unwrap();
    let m = out.member;
    assert_eq!(m.id, keep.id);
    assert_eq!(m.display_name, "張偉");
    assert_eq!(
        m.city, "北京",
        "empty fields are filled from the other side"
    );
    assert_eq!(
        m.joined_at.as_deref(),
        Some("2024-01-01T00:00:00Z"),
        "the earlier join date wins"
    );
    let values: Vec<_> = m.identities.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "+8613800138000",
            "zhangwei_88",
            "+8613900139000",
            "zw@example.com"
        ]
    );
    assert_eq!(m.tags, vec!["北京", "讲者"]);
    assert_eq!(m.notes, "分享过 Rust\n\n想做志愿者");
    assert_eq!(
        members::get(&db.ctx, other.id).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(names(&db, "13900139000"), vec!["張偉"]);

    members::undo_merge(&db.ctx, UndoMerge { merge: out.merge }).unwrap();
    assert_eq!(dump(&db), before, "undo restores every row exactly");
    assert_eq!(names(&db, "zw@example.com"), vec!["張偉"]);
    assert_eq!(names(&db, "zhangwei_88"), vec!["张伟"]);
    let again = members::undo_merge(&db.ctx, UndoMerge { merge: out.merge }).unwrap_err();
    assert_eq!(again.code, ErrorCode::MergeInvalid);
}

#[test]
fn undo_is_refused_when_the_member_changed_after_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    let at = |s: &str| {
        Arc::new(FixedClock(
            chrono::DateTime::parse_from_rfc3339(s).unwrap().into(),
        ))
    };
    let day1 = Ctx::open_in_dir(dir.path(), at("2026-11-01T10:00:00Z")).unwrap();
    let a = members::create(&day1, draft("张伟", &[], &[])).unwrap();
    let b = members::create(&day1, draft("张伟", &[], &[])).unwrap();
    let merged = members::merge(
        &day1,
        MergeMembers {
            keep_id: a.id,
            merge_id: b.id,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    drop(day1);
    let day2 = Ctx::open_in_dir(dir.path(), at("2026-11-02T10:00:00Z")).unwrap();
    members::update(
        &day2,
        UpdateMember {
            id: a.id,
            draft: draft("张伟（产品）", &[], &[]),
        },
    )
    .unwrap();
    let err = members::undo_merge(
        &day2,
        UndoMerge {
            merge: merged.merge,
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::MergeOutdated);
    assert_eq!(
        members::get(&day2, a.id).unwrap().display_name,
        "张伟（产品）"
    );
}

#[test]
fn merging_a_member_with_itself_is_refused() {
    let db = open();
    let a = members::create(&db.ctx, draft("张伟", &[], &[])).unwrap();
    let err = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a.id,
            merge_id: a.id,
            take_from_merged: vec![],
        },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::MergeInvalid);
}

#[test]
fn erase_leaves_no_personal_data_in_any_table_or_in_the_file() {
    let db = open();
    let mut d = draft(
        "隐私张三",
        &[
            (Phone, "13712345678"),
            (Email, "privacy.zhangsan@example.com"),
        ],
        &["隐私标签"],
    );
    d.notes = "住在某某小区".into();
    let victim = members::create(&db.ctx, d).unwrap();
    let twin =
        members::create(&db.ctx, draft("隐私张三", &[(Wechat, "privacy_zs01")], &[])).unwrap();
    members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: victim.id,
            merge_id: twin.id,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    let keep =
        members::create(&db.ctx, draft("李娜", &[(Phone, "13800138000")], &["讲者"])).unwrap();

    let out = members::erase(
        &db.ctx,
        EraseMembers {
            ids: vec![victim.id],
        },
    )
    .unwrap();
    assert_eq!(out.erased, 2, "the member and the record merged into it");
    let text = dump(&db);
    for secret in [
        "隐私张三",
        "13712345678",
        "privacy.zhangsan",
        "privacy_zs01",
        "某某小区",
        "隐私标签",
    ] {
        assert!(!text.contains(secret), "{secret} left in a table");
    }
    let merges: i64 = rusqlite::Connection::open(db.dir.path().join("hearth.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM merges", [], |r| r.get(0))
        .unwrap();
    assert_eq!(merges, 0, "merge snapshots of the member are gone");
    drop(db.ctx);
    let bytes = std::fs::read(db.dir.path().join("hearth.db")).unwrap();
    let wal = std::fs::read(db.dir.path().join("hearth.db-wal")).unwrap_or_default();
    for secret in ["13712345678", "privacy.zhangsan", "privacy_zs01"] {
        let needle = secret.as_bytes();
        for (name, file) in [("db", &bytes), ("wal", &wal)] {
            assert!(
                !file.windows(needle.len()).any(|w| w == needle),
                "{secret} still in the {name} file"
            );
        }
    }
    let reopened = Ctx::open_in_dir(db.dir.path(), Arc::new(FixedClock(common::now()))).unwrap();
    assert_eq!(members::get(&reopened, keep.id).unwrap().tags, vec!["讲者"]);
}

#[test]
fn tags_can_be_counted_renamed_merged_and_deleted() {
    use hearth_core::ops::tags::{self, RenameTag, TagCount};
    let db = open();
    members::create(&db.ctx, draft("张伟", &[], &["志愿者", "北京"])).unwrap();
    members::create(&db.ctx, draft("李娜", &[], &["义工", "北京"])).unwrap();
    let gone = members::create(&db.ctx, draft("王芳", &[], &["北京"])).unwrap();
    members::delete(
        &db.ctx,
        hearth_core::ops::members::DeleteMembers { ids: vec![gone.id] },
    )
    .unwrap();
    assert_eq!(
        tags::list(&db.ctx).unwrap(),
        vec![
            TagCount {
                name: "北京".into(),
                members: 2,
                color: String::new(),
                group: String::new()
            },
            TagCount {
                name: "义工".into(),
                members: 1,
                color: String::new(),
                group: String::new()
            },
            TagCount {
                name: "志愿者".into(),
                members: 1,
                color: String::new(),
                group: String::new()
            },
        ],
        "members in the trash are not counted"
    );
    // Renaming onto an existing tag merges the two.
    let change = tags::rename(
        &db.ctx,
        RenameTag {
            from: "义工".into(),
            to: "志愿者".into(),
        },
    )
    .unwrap();
    assert!(change.merged);
    assert_eq!(names(&db, "志愿者"), vec!["李娜", "张伟"]);
    assert!(names(&db, "义工").is_empty(), "search follows the rename");
    let plain = tags::rename(
        &db.ctx,
        RenameTag {
            from: "北京".into(),
            to: "北京分会".into(),
        },
    )
    .unwrap();
    assert!(!plain.merged);
    assert_eq!(names(&db, "北京分会"), vec!["李娜", "张伟"]);
    let deleted = tags::delete(&db.ctx, "志愿者".into()).unwrap();
    assert_eq!(deleted.members, 2);
    assert!(names(&db, "志愿者").is_empty());
    assert_eq!(
        tags::rename(
            &db.ctx,
            RenameTag {
                from: "不存在".into(),
                to: "x".into()
            }
        )
        .unwrap_err()
        .code,
        ErrorCode::NotFound
    );
    assert_eq!(
        tags::rename(
            &db.ctx,
            RenameTag {
                from: "北京分会".into(),
                to: " ".into()
            }
        )
        .unwrap_err()
        .code,
        ErrorCode::Required
    );
}
