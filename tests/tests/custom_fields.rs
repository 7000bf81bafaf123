//! Custom fields over a real database: types checked and stored canonically, refused values
//! naming the field, delete with undo, merge and its undo, import and export of custom columns,
//! erase.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use common::{draft, open, TestDb};
use hearth_core::domain::{CustomFieldDraft, CustomFieldKind::*, IdentityKind::*, MemberDraft};
use hearth_core::io::export::{CsvEncoding, ExportFormat};
use hearth_core::ops::custom_fields;
use hearth_core::ops::export::{export_members, ExportMembers, ExportScope};
use hearth_core::ops::import::{self, ImportOptions};
use hearth_core::ops::members::{self, EraseMembers, MergeMembers, UndoMerge, UpdateMember};
use hearth_core::ErrorCode;

fn fields(db: &TestDb) {
    for (label, kind, options) in [
        ("公司", Text, &[][..]),
        ("年龄", Number, &[][..]),
        ("入会日期", Date, &[][..]),
        ("会员等级", Choice, &["金卡", "银卡"][..]),
        ("兴趣", Multi, &["读书", "跑步", "摄影"][..]),
    ] {
        custom_fields::create(
            &db.ctx,
            CustomFieldDraft {
                label: label.into(),
                kind,
                options: options.iter().map(|o| (*o).into()).collect(),
            },
        )
        .unwrap();
    }
}

fn with_custom(mut d: MemberDraft, values: &[(&str, &str)]) -> MemberDraft {
    d.custom = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect::<BTreeMap<_, _>>();
    d
}

#[test]
fn values_are_checked_by_type_and_stored_canonically() {
    let db = open();
    fields(&db);
    let m = members::create(
        &db.ctx,
        with_custom(
            draft("张伟", &[(Phone, "13800138000")], &[]),
            &[
                ("公司", " Acme 中国 "),
                ("年龄", "32.0"),
                ("入会日期", "2024-03-05"),
                ("会员等级", "金卡"),
                ("兴趣", "摄影、读书"),
            ],
        ),
    )
    .unwrap();
    assert_eq!(m.custom["公司"], "Acme 中国");
    assert_eq!(m.custom["年龄"], "32");
    assert_eq!(m.custom["会员等级"], "金卡");
    assert_eq!(m.custom["兴趣"], "读书, 摄影", "in the options' order");

    for (label, bad) in [
        ("年龄", "三十"),
        ("入会日期", "2024/13/01"),
        ("会员等级", "铜卡"),
        ("兴趣", "游泳"),
    ] {
        let err = members::create(
            &db.ctx,
            with_custom(draft("李娜", &[], &[]), &[(label, bad)]),
        )
        .unwrap_err();
        let want = match label {
            "年龄" => ErrorCode::InvalidCustomNumber,
            "入会日期" => ErrorCode::InvalidCustomDate,
            _ => ErrorCode::InvalidCustomChoice,
        };
        assert_eq!(err.code, want, "{label}");
        assert_eq!(err.field.as_deref(), Some(label));
        assert_eq!(err.params["value"], bad);
    }
    let unknown = members::create(
        &db.ctx,
        with_custom(draft("李娜", &[], &[]), &[("身高", "180")]),
    )
    .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput);
    assert_eq!(
        members::list(
            &db.ctx,
            members::ListMembers {
                limit: 10,
                ..Default::default()
            }
        )
        .unwrap()
        .total,
        1,
        "nothing half-saved"
    );

    // Clearing a value removes it.
    let mut d = with_custom(
        draft("张伟", &[(Phone, "13800138000")], &[]),
        &[("公司", "")],
    );
    d.custom.insert("年龄".into(), "33".into());
    let m = members::update(&db.ctx, UpdateMember { id: m.id, draft: d }).unwrap();
    assert!(!m.custom.contains_key("公司"));
    assert_eq!(m.custom["年龄"], "33");
}

#[test]
fn field_definitions_are_checked_and_deleting_one_can_be_undone() {
    let db = open();
    fields(&db);
    let clash = custom_fields::create(
        &db.ctx,
        CustomFieldDraft {
            label: "公司".into(),
            kind: Text,
            options: vec![],
        },
    )
    .unwrap_err();
    assert_eq!(clash.code, ErrorCode::NameTaken);
    let no_options = custom_fields::create(
        &db.ctx,
        CustomFieldDraft {
            label: "等级".into(),
            kind: Choice,
            options: vec![],
        },
    )
    .unwrap_err();
    assert_eq!(no_options.code, ErrorCode::Required);

    let m = members::create(
        &db.ctx,
        with_custom(draft("王芳", &[], &[]), &[("会员等级", "银卡")]),
    )
    .unwrap();
    let level = custom_fields::list(&db.ctx)
        .unwrap()
        .into_iter()
        .find(|f| f.label == "会员等级")
        .unwrap();
    let deleted = custom_fields::delete(&db.ctx, level.id).unwrap();
    assert_eq!(deleted.values, [(m.id, "银卡".to_owned())]);
    assert!(members::get(&db.ctx, m.id).unwrap().custom.is_empty());
    custom_fields::restore(&db.ctx, deleted).unwrap();
    assert_eq!(
        members::get(&db.ctx, m.id).unwrap().custom["会员等级"],
        "银卡"
    );
}

#[test]
fn merge_keeps_custom_values_and_undo_restores_them() {
    let db = open();
    fields(&db);
    let a = members::create(
        &db.ctx,
        with_custom(
            draft("张伟", &[(Phone, "13800138000")], &[]),
            &[("公司", "Acme")],
        ),
    )
    .unwrap();
    let b = members::create(
        &db.ctx,
        with_custom(
            draft("张伟", &[(Phone, "13900139000")], &[]),
            &[("公司", "Other"), ("年龄", "30")],
        ),
    )
    .unwrap();
    let out = members::merge(
        &db.ctx,
        MergeMembers {
            keep_id: a.id,
            merge_id: b.id,
            take_from_merged: vec![],
        },
    )
    .unwrap();
    assert_eq!(
        out.member.custom["公司"], "Acme",
        "the kept member's value wins"
    );
    assert_eq!(
        out.member.custom["年龄"], "30",
        "empty fields are filled from the other"
    );
    members::undo_merge(&db.ctx, UndoMerge { merge: out.merge }).unwrap();
    assert_eq!(members::get(&db.ctx, a.id).unwrap().custom, a.custom);
    assert_eq!(members::get(&db.ctx, b.id).unwrap().custom, b.custom);
}

#[test]
fn unmapped_columns_become_custom_fields_and_export_brings_them_back() {
    let db = open();
    let path = db.dir.path().join("qq.csv");
    std::fs::write(
        &path,
        "姓名,QQ号,Q龄,等级(积分)\r\n小鱼儿,10001234,12年,话唠(2380)\r\n",
    )
    .unwrap();
    let options = ImportOptions {
        path: path.to_string_lossy().into_owned(),
        keep_unmapped: true,
        ..Default::default()
    };
    let plan = import::preview(&db.ctx, &options).unwrap();
    assert_eq!(plan.mapping[2].field, "custom:Q龄");
    assert!(
        custom_fields::list(&db.ctx).unwrap().is_empty(),
        "a preview creates no field"
    );
    import::apply(&db.ctx, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let labels: Vec<String> = custom_fields::list(&db.ctx)
        .unwrap()
        .into_iter()
        .map(|f| f.label)
        .collect();
    assert_eq!(labels, ["Q龄", "等级(积分)"]);
    let m = &members::list(
        &db.ctx,
        members::ListMembers {
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap()
    .members[0];
    assert_eq!(m.custom["Q龄"], "12年");

    // Export carries the custom columns; a database with the same fields takes them back.
    let out = db.dir.path().join("out.csv");
    export_members(
        &db.ctx,
        &ExportMembers {
            path: out.to_string_lossy().into_owned(),
            format: ExportFormat::Csv,
            scope: ExportScope::All,
            columns: vec![],
            csv_encoding: CsvEncoding::Utf8Bom,
            chinese_headers: true,
            neutralise_formulas: true,
            include_custom: true,
        },
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",Q龄,等级(积分)"));
    let fresh = open();
    custom_fields::create(
        &fresh.ctx,
        CustomFieldDraft {
            label: "Q龄".into(),
            kind: Text,
            options: vec![],
        },
    )
    .unwrap();
    import::apply(
        &fresh.ctx,
        &ImportOptions {
            path: out.to_string_lossy().into_owned(),
            ..Default::default()
        },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let back = &members::list(
        &fresh.ctx,
        members::ListMembers {
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap()
    .members[0];
    assert_eq!(back.custom.get("Q龄").map(String::as_str), Some("12年"));
}

#[test]
fn erase_removes_custom_values() {
    let db = open();
    fields(&db);
    let m = members::create(
        &db.ctx,
        with_custom(draft("赵敏", &[], &[]), &[("公司", "明教")]),
    )
    .unwrap();
    members::erase(&db.ctx, EraseMembers { ids: vec![m.id] }).unwrap();
    let path = db.ctx.store.path().to_owned();
    let conn = rusqlite::Connection::open(path).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM member_custom_values WHERE value = '明教'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn undoing_an_import_removes_the_fields_it_created_and_duplicate_headers_share_one() {
    let db = open();
    let path = db.dir.path().join("survey.csv");
    std::fs::write(&path, "姓名,备注,备注,How did you hear about our community meetups this year?\r\n赵敏,A,B,朋友\r\n").unwrap();
    let options = ImportOptions {
        path: path.to_string_lossy().into_owned(),
        keep_unmapped: true,
        ..Default::default()
    };
    let out = import::apply(&db.ctx, &options, &|_| {}, &AtomicBool::new(false)).unwrap();
    let labels: Vec<String> = custom_fields::list(&db.ctx)
        .unwrap()
        .into_iter()
        .map(|f| f.label)
        .collect();
    assert!(labels.iter().all(|l| l.chars().count() <= 40), "{labels:?}");
    assert_eq!(
        labels.len(),
        1,
        "备注 maps to notes; the long question becomes one field: {labels:?}"
    );
    import::undo(&db.ctx, out.batch_id).unwrap();
    assert!(custom_fields::list(&db.ctx).unwrap().is_empty());
}
