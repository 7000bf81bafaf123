//! Member lists as the platforms really write them (fixtures written from each platform's
//! documented layout, fictional people): a bad value in one cell never loses the person,
//! multi-value cells and several contact columns become several contacts, columns are found by
//! their headers' shape and by their values, the format by the file's content, and two people
//! are merged only on a shared contact, never on a name.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use common::{all_members as all, draft, open, TestDb};
use hearth_core::domain::{IdentityKind, IdentityKind::*, Member};
use hearth_core::ops::import::{self, ImportOptions, ImportPreview, PlannedRow, RowAction};
use hearth_core::ops::members;
use hearth_core::ErrorCode;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn file(db: &TestDb, name: &str, lines: &[&str]) -> String {
    let path = db.dir.path().join(name);
    std::fs::write(&path, lines.join("\r\n") + "\r\n").unwrap();
    path.to_string_lossy().into_owned()
}

fn opts(path: &str) -> ImportOptions {
    ImportOptions {
        path: path.to_owned(),
        utc_offset_minutes: 480,
        ..Default::default()
    }
}

fn preview(db: &TestDb, path: &str) -> ImportPreview {
    import::preview(&db.ctx, &opts(path)).unwrap_or_else(|e| panic!("preview: {e:?}"))
}

fn apply(db: &TestDb, path: &str) -> import::ImportOutcome {
    import::apply(&db.ctx, &opts(path), &|_| {}, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("apply: {e:?}"))
}

fn by_name<'m>(all: &'m [Member], name: &str) -> &'m Member {
    let found: Vec<&Member> = all.iter().filter(|m| m.display_name == name).collect();
    assert_eq!(
        found.len(),
        1,
        "one member named {name:?} among {:?}",
        all.iter().map(|m| &m.display_name).collect::<Vec<_>>()
    );
    found[0]
}

fn ids(m: &Member, kind: IdentityKind) -> Vec<&str> {
    let mut v: Vec<&str> = m
        .identities
        .iter()
        .filter(|i| i.kind == kind)
        .map(|i| i.value.as_str())
        .collect();
    v.sort_unstable();
    v
}

fn row(p: &ImportPreview, line: u32) -> &PlannedRow {
    p.rows
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no planned row for line {line}: {:#?}", p.rows))
}

/// (field, value, reason) of every flag of a row.
fn flags(p: &ImportPreview, line: u32) -> Vec<(String, String, ErrorCode)> {
    row(p, line)
        .flags
        .iter()
        .map(|f| {
            assert_eq!(f.line, line);
            (f.field.clone(), f.value.clone(), f.reason)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. A bad value never loses the person
// ---------------------------------------------------------------------------------------------

#[test]
fn outlook_contacts_with_0_0_00_birthdays_import_all_24_people() {
    let db = open();
    let path = fixture("outlook_24.csv");
    let p = preview(&db, &path);
    assert_eq!(p.preset.as_ref().map(|p| p.id.as_str()), Some("outlook"));
    assert_eq!(
        (p.counts.rows, p.counts.create, p.counts.invalid),
        (24, 24, 0),
        "{:#?}",
        p.rows
    );
    // `0/0/00` and `1/1/1601` are Outlook's "no date", not bad dates: nothing to flag.
    assert_eq!(p.counts.flagged, 0, "{:#?}", p.rows);
    let out = apply(&db, &path);
    assert_eq!(out.counts.create, 24);
    let people = all(&db);
    assert_eq!(people.len(), 24);
    assert!(people
        .iter()
        .all(|m| m.birthday.is_none() || m.display_name == "Noah Khan"));
    let noah = by_name(&people, "Noah Khan");
    assert_eq!(noah.birthday.as_deref(), Some("1990-05-17"));
    // Home Phone and E-mail 2 Address are no synonyms: found by their values, each adds a
    // contact to its own row's person.
    let ava = by_name(&people, "Ava Stone");
    assert_eq!(ids(ava, Phone), ["+8617000000001", "+8617000010001"]);
    assert_eq!(
        ids(ava, Email),
        ["person01.alt@example.org", "person01@example.com"]
    );
    let zhang = by_name(&people, "张伟");
    assert_eq!(ids(zhang, Phone), ["+8617000000013", "+8617000010013"]);
    let guessed: Vec<(&str, &str)> = p
        .warnings
        .iter()
        .filter(|w| w.code == ErrorCode::ColumnGuessed)
        .map(|w| (w.params["header"].as_str(), w.params["field"].as_str()))
        .collect();
    assert!(guessed.contains(&("Home Phone", "phone")), "{guessed:?}");
    assert!(
        guessed.contains(&("E-mail 2 Address", "email")),
        "{guessed:?}"
    );
}

#[test]
fn every_bad_value_is_left_out_and_flagged_and_the_person_imported() {
    let db = open();
    let path = file(
        &db,
        "junk.csv",
        &[
            "姓名,手机号,邮箱,生日,入群时间,QQ号,微信号",
            "张伟,1.38001E+10,zw@example.com,1990-05-17,2024/3/5,10001234,zhangwei_88",
            "李娜,17000123456,lina@example,32/13/1990,2024/3/6,12,lina_reads",
            "王芳,12345,wangfang@example.com,,下周,10005678,王",
            "赵磊,N/A,null,0/0/00,-,无,—",
        ],
    );
    let p = preview(&db, &path);
    assert_eq!(
        (
            p.counts.rows,
            p.counts.create,
            p.counts.invalid,
            p.counts.flagged
        ),
        (4, 4, 0, 3)
    );
    assert_eq!(
        flags(&p, 2),
        [(
            "phone".to_owned(),
            "1.38001E+10".to_owned(),
            ErrorCode::DamagedNumber
        )]
    );
    let mut l3 = flags(&p, 3);
    l3.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        l3,
        [
            (
                "birthday".into(),
                "32/13/1990".into(),
                ErrorCode::InvalidDate
            ),
            (
                "email".into(),
                "lina@example".into(),
                ErrorCode::InvalidEmail
            ),
            ("qq".into(), "12".into(), ErrorCode::InvalidQq),
        ]
    );
    let mut l4 = flags(&p, 4);
    l4.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        l4,
        [
            ("joined_at".into(), "下周".into(), ErrorCode::InvalidDate),
            ("phone".into(), "12345".into(), ErrorCode::InvalidPhone),
            ("wechat".into(), "王".into(), ErrorCode::InvalidWechat),
        ]
    );
    assert!(flags(&p, 5).is_empty(), "placeholders are empty, not bad");
    // The flags are in the JSON the CLI and the UI read, with line, field, value and reason.
    let json = serde_json::to_value(&p).unwrap();
    let flag = &json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == 2)
        .unwrap()["flags"][0];
    assert_eq!(flag["line"], 2);
    assert_eq!(flag["field"], "phone");
    assert_eq!(flag["value"], "1.38001E+10");
    assert_eq!(flag["reason"], "damaged_number");

    let out = apply(&db, &path);
    assert_eq!((out.counts.create, out.counts.flagged), (4, 3));
    let people = all(&db);
    let zw = by_name(&people, "张伟");
    assert!(ids(zw, Phone).is_empty());
    assert_eq!(ids(zw, Email), ["zw@example.com"]);
    assert_eq!(ids(zw, Qq), ["10001234"]);
    let ln = by_name(&people, "李娜");
    assert_eq!(ids(ln, Phone), ["+8617000123456"]);
    assert!(ids(ln, Email).is_empty() && ids(ln, Qq).is_empty());
    assert_eq!(ln.birthday, None);
    assert_eq!(ln.joined_at.as_deref(), Some("2024-03-05T16:00:00Z"));
    let wf = by_name(&people, "王芳");
    assert_eq!(ids(wf, Email), ["wangfang@example.com"]);
    assert_eq!(wf.joined_at, None);
    let zl = by_name(&people, "赵磊");
    assert!(zl.identities.is_empty());

    // The import history keeps the flags.
    let batch = &import::history(&db.ctx).unwrap()[0];
    assert_eq!(batch.flagged, 3);
    let kept = import::flags(&db.ctx, batch.id).unwrap();
    assert_eq!(kept.len(), 7);
    assert!(kept.iter().any(|f| f.line == 4
        && f.field == "phone"
        && f.value == "12345"
        && f.reason == ErrorCode::InvalidPhone));
}

#[test]
fn display_name_falls_back_through_nickname_handle_email_and_phone() {
    let db = open();
    let path = file(
        &db,
        "nameless.csv",
        &[
            "姓名,群昵称,论坛账号,邮箱,手机号,城市",
            ",小鱼,,,17000000101,北京",
            ",,fish_dev,fish@example.com,,上海",
            ",,,mei.lin@example.org,17000000103,广州",
            ",,,,17000000104,深圳",
            ",,,,,杭州",
        ],
    );
    let p = preview(&db, &path);
    let names: Vec<(u32, RowAction, &str)> = p
        .rows
        .iter()
        .map(|r| (r.line, r.action, r.display_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (2, RowAction::Create, "小鱼"),
            (3, RowAction::Create, "fish_dev"),
            (4, RowAction::Create, "mei.lin"),
            (5, RowAction::Create, "+8617000000104"),
            (6, RowAction::Invalid, ""),
        ]
    );
    assert_eq!(
        row(&p, 6).error.as_ref().unwrap().code,
        ErrorCode::NoNameOrContact
    );
    apply(&db, &path);
    assert_eq!(all(&db).len(), 4);
}

// ---------------------------------------------------------------------------------------------
// 2. Multi-value cells
// ---------------------------------------------------------------------------------------------

#[test]
fn google_contacts_multi_value_cells_become_several_contacts() {
    let db = open();
    let path = fixture("google_contacts_multi.csv");
    let p = preview(&db, &path);
    assert_eq!(
        p.preset.as_ref().map(|p| p.id.as_str()),
        Some("google_contacts")
    );
    assert_eq!(
        (p.counts.create, p.counts.invalid, p.counts.flagged),
        (2, 0, 0)
    );
    apply(&db, &path);
    let people = all(&db);
    let ana = by_name(&people, "Ana Souza");
    assert_eq!(
        ids(ana, Email),
        ["ana.souza@example.org", "ana@example.com"]
    );
    assert_eq!(ids(ana, Phone), ["+8617000120001", "+8617000120002"]);
    let ben = by_name(&people, "Ben Okafor");
    assert_eq!(ben.birthday, None, "0/0/00 is no birthday");
    assert!(ben.tags.contains(&"Speakers".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// 3. Layouts: Discourse, WeCom, the bilingual WeChat tool, Discord
// ---------------------------------------------------------------------------------------------

#[test]
fn discourse_row_with_empty_name_uses_the_username() {
    let db = open();
    let out = apply(&db, &fixture("discourse.csv"));
    assert_eq!((out.counts.create, out.counts.invalid), (4, 0));
    let people = all(&db);
    let spammer = by_name(&people, "spammer42");
    assert_eq!(ids(spammer, Forum), ["spammer42"]);
    assert_eq!(ids(spammer, Email), ["bad@example.com"]);
}

#[test]
fn wecom_customers_get_phone_remark_customer_id_and_join_time() {
    let db = open();
    let path = fixture("wecom_customers_console.csv");
    let p = preview(&db, &path);
    assert_eq!(
        p.preset.as_ref().map(|p| p.id.as_str()),
        Some("wecom_customers")
    );
    assert_eq!((p.counts.create, p.counts.invalid), (4, 0), "{:#?}", p.rows);
    // The second 张伟 shares no contact with the first: a new member, flagged.
    let second = row(&p, 3);
    assert_eq!(second.action, RowAction::Create);
    assert_eq!(second.flags.len(), 1);
    assert_eq!(second.flags[0].reason, ErrorCode::PossibleDuplicate);
    apply(&db, &path);
    let people = all(&db);
    assert_eq!(people.len(), 4);
    let zhangs: Vec<&Member> = people.iter().filter(|m| m.display_name == "张伟").collect();
    assert_eq!(
        zhangs.len(),
        2,
        "two 张伟 with different customer ids stay two"
    );
    let first = zhangs
        .iter()
        .find(|m| ids(m, Platform) == ["wecom:wmAbC123xYz"])
        .expect("customer ids are kept exactly, case and all");
    assert_eq!(ids(first, Phone), ["+8617000123401"]);
    assert_eq!(ids(first, WechatRemark), ["张伟-读书会"]);
    assert_eq!(
        first.joined_at.as_deref(),
        Some("2024-03-15T12:00:00Z"),
        "入群时间 when present"
    );
    let other = zhangs
        .iter()
        .find(|m| ids(m, Platform) == ["wecom:wmabc123xyz"])
        .unwrap();
    assert_eq!(
        ids(other, Phone),
        ["+8617000123402"],
        "系统手机 when 企微手机号 is empty"
    );
    assert_eq!(
        other.joined_at.as_deref(),
        Some("2024-04-02T01:41:10Z"),
        "添加时间 when 入群时间 is empty"
    );
    let flagged = p.rows.iter().find(|r| r.line == 3).unwrap();
    assert_eq!(
        flagged.flags[0].params["member_id"],
        first.id.to_string(),
        "possible duplicate of the first 张伟"
    );
    let emily = by_name(&people, "Emily Wang");
    assert_eq!(ids(emily, Phone), ["+8617000123403", "+8617000123404"]);
    let xiaoyu = by_name(&people, "小雨");
    assert!(ids(xiaoyu, Phone).is_empty(), "`-` is no phone");
    assert_eq!(ids(xiaoyu, Platform), ["wecom:wmZ7kL2mNp"]);
    assert!(people.iter().all(|m| m.source == "企业微信"));
}

#[test]
fn wechat_group_tool_export_with_bilingual_headers() {
    let db = open();
    let path = fixture("wechat_group_tool.csv");
    let p = preview(&db, &path);
    assert!(p.needs_mapping.is_none());
    assert_eq!(
        p.preset.as_ref().map(|p| p.id.as_str()),
        Some("wechat_group_tool")
    );
    assert_eq!((p.counts.create, p.counts.invalid), (4, 0), "{:#?}", p.rows);
    apply(&db, &path);
    let people = all(&db);
    let jie = by_name(&people, "杰哥-运营");
    assert_eq!(ids(jie, Wechat), ["wxid_a1b2c3d4e5f6"]);
    assert_eq!(ids(jie, WechatRemark), ["杭州读书会-阿杰"]);
    assert_eq!(ids(jie, GroupNick), ["杰哥-运营"]);
    assert_eq!(jie.joined_at.as_deref(), Some("2024-03-05T05:05:00Z"));
    let nameless = by_name(&people, "wxid_9k8j7h6g5f");
    assert!(ids(nameless, WechatRemark).is_empty(), "无 is no remark");
}

#[test]
fn discord_member_export_names_fall_back_to_nickname_then_username() {
    let db = open();
    let path = fixture("discord_members.csv");
    let p = preview(&db, &path);
    assert_eq!(
        p.preset.as_ref().map(|p| p.id.as_str()),
        Some("discord_members")
    );
    apply(&db, &path);
    let people = all(&db);
    assert_eq!(people.len(), 4);
    assert_eq!(
        ids(by_name(&people, "Priya"), Platform),
        ["discord:183406823219740672"]
    );
    let leo = by_name(&people, "Leo (SZ)");
    assert_eq!(ids(leo, Platform), ["discord:1120345678901234567"]);
    assert_eq!(ids(leo, Forum), ["leo_sz"]);
    let old = by_name(&people, "old_timer");
    assert_eq!(ids(old, Platform), ["discord:998877665544332211"]);
    assert_eq!(
        ids(by_name(&people, "Mei Lin 林美"), Platform),
        ["discord:402118950677741569"]
    );
}

#[test]
fn columns_are_found_by_their_values_and_ambiguous_ones_are_offered() {
    let db = open();
    let path = file(
        &db,
        "club.csv",
        &[
            "会员,联系,编号,紧急联系人电话,签到次数",
            "张伟,17000000201,20240001,17000000901,12",
            "李娜,170 0000 0202,20240002,17000000902,3",
            "王芳,17000000203,20240003,,25",
        ],
    );
    let p = preview(&db, &path);
    let fields: Vec<(&str, &str)> = p
        .mapping
        .iter()
        .map(|m| (m.header.as_str(), m.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("会员", ""),
            ("联系", "phone"),
            ("编号", ""),
            ("紧急联系人电话", ""),
            ("签到次数", "")
        ]
    );
    let warnings: Vec<(ErrorCode, &str)> = p
        .warnings
        .iter()
        .map(|w| (w.code, w.params["header"].as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (ErrorCode::ColumnGuessed, "联系"),
            (ErrorCode::ColumnAmbiguous, "编号"),
            (ErrorCode::ColumnAmbiguous, "紧急联系人电话"),
        ]
    );
    assert_eq!(p.counts.create, 3);
}

// ---------------------------------------------------------------------------------------------
// 4. Format by content
// ---------------------------------------------------------------------------------------------

#[test]
fn meetup_xls_that_is_tab_separated_text_is_read_with_a_warning() {
    let db = open();
    let path = fixture("meetup-tab.xls");
    let p = preview(&db, &path);
    assert_eq!(p.format, "csv");
    assert_eq!(p.delimiter.as_deref(), Some("\t"));
    assert_eq!(p.preset.as_ref().map(|p| p.id.as_str()), Some("meetup"));
    let w = p
        .warnings
        .iter()
        .find(|w| w.code == ErrorCode::FormatMismatch)
        .expect("a warning, not a refusal");
    assert_eq!(w.params["extension"], "xls");
    let out = apply(&db, &path);
    assert_eq!(out.counts.create, 4);
    assert_eq!(
        ids(by_name(&all(&db), "Priya Natarajan"), Platform),
        ["meetup:284511903"]
    );
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook() {
    use rust_xlsxwriter::Workbook;
    let db = open();
    let path = db.dir.path().join("members.csv");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "手机号").unwrap();
    sheet.write_string(1, 0, "张伟").unwrap();
    sheet.write_string(1, 1, "17000000301").unwrap();
    book.save(&path).unwrap();
    let p = preview(&db, &path.to_string_lossy());
    assert_eq!(p.format, "xlsx");
    assert!(p
        .warnings
        .iter()
        .any(|w| w.code == ErrorCode::FormatMismatch));
    assert_eq!(p.counts.create, 1);
}

// ---------------------------------------------------------------------------------------------
// 5. Merging only on evidence
// ---------------------------------------------------------------------------------------------

#[test]
fn a_name_alone_never_merges_in_a_file_or_with_members() {
    let db = open();
    let existing = members::create(&db.ctx, draft("张伟", &[(Phone, "17000000401")], &[]))
        .unwrap()
        .id;
    let path = file(
        &db,
        "names.csv",
        &[
            "姓名,手机号,客户编号",
            "张伟,17000000402,",
            "张伟,,",
            "张伟,17000000401,",
            "李娜,,",
            "李娜,,",
        ],
    );
    let p = preview(&db, &path);
    let plan: Vec<(u32, RowAction)> = p.rows.iter().map(|r| (r.line, r.action)).collect();
    assert_eq!(
        plan,
        [
            (2, RowAction::Create),
            (3, RowAction::Create),
            (4, RowAction::Update),
            (5, RowAction::Create),
            (6, RowAction::Create),
        ]
    );
    let dup = |line: u32| {
        let f = &row(&p, line).flags;
        assert_eq!(f.len(), 1, "line {line}: {f:#?}");
        assert_eq!(f[0].reason, ErrorCode::PossibleDuplicate);
        assert_eq!(f[0].field, "display_name");
        f[0].params["member_id"].parse::<i64>().unwrap()
    };
    assert_eq!(dup(2), existing);
    assert_eq!(dup(3), existing);
    assert_eq!(row(&p, 4).member_id, Some(existing));
    assert!(row(&p, 4).flags.is_empty(), "matched on the phone");
    assert!(row(&p, 5).flags.is_empty());
    dup(6);
    apply(&db, &path);
    let people = all(&db);
    assert_eq!(
        people.iter().filter(|m| m.display_name == "张伟").count(),
        3
    );
    assert_eq!(
        people.iter().filter(|m| m.display_name == "李娜").count(),
        2
    );
}
