//! Exporting members to files every tool opens, and reading them back: CSV (UTF-8 with a BOM or
//! GB18030) with the formula guard, XLSX with text cells, vCard 3.0, and export → import round
//! trips into a fresh database.

mod common;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{all_members as all, draft, open, TestDb};
use hearth_core::domain::{Gender, IdentityKind::*, Member, MemberDraft};
use hearth_core::io::export::{CsvEncoding, ExportColumn, ExportFormat};
use hearth_core::ops::export::{export_members, ExportMembers, ExportScope};
use hearth_core::ops::import::{self, ImportOptions};
use hearth_core::ops::members;
use hearth_core::ErrorCode;

const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example/?x\",\"点我领奖\")";

/// Three members with every kind of value an export must carry.
fn community(db: &TestDb) -> Vec<Member> {
    let mut zw = draft(
        "张伟",
        &[
            (Phone, "13800138000"),
            (Phone, "+1 415 555 0100"),
            (Email, "zw@example.com"),
            (Wechat, "zhangwei_88"),
            (WechatRemark, "张伟-北京-产品"),
            (GroupNick, "小张"),
        ],
        &["读书会", "志愿者"],
    );
    zw.city = "北京".into();
    zw.birthday = Some("1990-05-17".into());
    zw.joined_at = Some("2024-03-05T05:05:00Z".into());
    zw.notes = HYPERLINK.into();
    zw.gender = Some(Gender::Male);
    zw.role = "群管理员".into();
    zw.source = "微信群".into();
    let mut ln = draft(
        "李娜",
        &[
            (Platform, "discord:1120345678901234567"),
            (Qq, "10001234"),
            (QqCard, "【管理】李娜"),
            (Forum, "lina_reads"),
        ],
        &["讲者"],
    );
    ln.birthday = Some("--03-14".into());
    ln.notes = "第一行\n第二行, 有逗号和\"引号\"; 还有分号".into();
    ln.gender = Some(Gender::Female);
    ln.source = "QQ群".into();
    let mut tom = draft(
        "Tom O'Brien",
        &[(Email, "tom@example.com"), (Phone, "+44 20 7946 0958")],
        &[],
    );
    tom.city = "Berlin, Germany".into();
    tom.notes = format!("-5 points; {}", "long note ".repeat(20).trim());
    tom.joined_at = Some("2019-04-23T16:00:00Z".into());
    tom.gender = Some(Gender::Other);
    tom.source = "Meetup".into();
    [zw, ln, tom]
        .into_iter()
        .map(|d| members::create(&db.ctx, d).unwrap())
        .collect()
}

fn export_to(
    db: &TestDb,
    name: &str,
    format: ExportFormat,
    tweak: impl FnOnce(&mut ExportMembers),
) -> PathBuf {
    let path = export_to_n(db, name, format, tweak, 3);
    assert!(
        !path
            .with_extension(format!(
                "{}.part",
                path.extension().unwrap().to_string_lossy()
            ))
            .exists(),
        "no partial file is left"
    );
    path
}

/// Cells of a CSV line as Hearth writes it (RFC 4180 quoting, no newlines inside for these).
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

#[test]
fn csv_has_a_bom_and_neutralises_formulas() {
    let db = open();
    community(&db);
    let path = export_to(&db, "members.csv", ExportFormat::Csv, |e| {
        e.columns = vec![
            ExportColumn::Name,
            ExportColumn::Phone,
            ExportColumn::City,
            ExportColumn::Notes,
        ];
    });
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "Excel needs the BOM to show Chinese"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "Name,Phone,City,Notes");
    let zw = lines.iter().find(|l| l.starts_with("张伟,")).unwrap();
    let cells = csv_cells(zw);
    assert_eq!(cells[1], "'+8613800138000; +14155550100");
    assert_eq!(cells[2], "北京");
    assert_eq!(cells[3], format!("'{HYPERLINK}"));
    let tom = lines.iter().find(|l| l.starts_with("Tom")).unwrap();
    let cells = csv_cells(tom);
    assert_eq!(cells[2], "Berlin, Germany");
    assert!(cells[3].starts_with("'-5 points"), "{}", cells[3]);

    let raw = export_to(&db, "raw.csv", ExportFormat::Csv, |e| {
        e.columns = vec![ExportColumn::Name, ExportColumn::Phone, ExportColumn::Notes];
        e.neutralise_formulas = false;
    });
    let raw = std::fs::read_to_string(raw).unwrap();
    let zw = raw.lines().find(|l| l.contains("张伟")).unwrap();
    let cells = csv_cells(zw);
    assert_eq!(cells[1], "+8613800138000; +14155550100");
    assert_eq!(
        cells[2], HYPERLINK,
        "the setting off writes the value as is"
    );
}

#[test]
fn csv_in_gb18030_for_old_excel_decodes_back() {
    let db = open();
    community(&db);
    let path = export_to(&db, "gb.csv", ExportFormat::Csv, |e| {
        e.csv_encoding = CsvEncoding::Gb18030;
        e.chinese_headers = true;
    });
    let bytes = std::fs::read(&path).unwrap();
    assert_ne!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "no UTF-8 BOM in a GB18030 file"
    );
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the Chinese text is really GB18030-encoded"
    );
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
    assert!(!had_errors);
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with("姓名,拼音,手机号,邮箱,微信号"),
        "{header}"
    );
    let zw = text.lines().find(|l| l.starts_with("张伟,")).unwrap();
    let cells = csv_cells(zw);
    assert_eq!(cells[1], "zhang wei");
    assert_eq!(cells[2], "'+8613800138000; +14155550100");
    assert!(
        cells.contains(&"男".to_owned()),
        "gender in Chinese: {cells:?}"
    );
    assert!(cells.contains(&"北京".to_owned()));
    assert!(text.contains("【管理】李娜"));
}

// ---------------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------------

#[test]
fn xlsx_cells_are_text_so_phones_and_ids_never_become_numbers() {
    let db = open();
    community(&db);
    let path = export_to(&db, "members.xlsx", ExportFormat::Xlsx, |_| {});
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Members"]);
    let range = book.worksheet_range("Members").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row_of = |name: &str| {
        rows.iter()
            .find(|r| r[0] == Data::String(name.into()))
            .unwrap_or_else(|| panic!("{name} row"))
    };
    let zw = row_of("张伟");
    assert_eq!(
        zw[col("Phone")],
        Data::String("+8613800138000; +14155550100".into())
    );
    assert_eq!(
        zw[col("Notes")],
        Data::String(HYPERLINK.into()),
        "text, never a formula"
    );
    assert_eq!(zw[col("Birthday")], Data::String("1990-05-17".into()));
    let ln = row_of("李娜");
    assert_eq!(ln[col("QQ")], Data::String("10001234".into()));
    assert_eq!(
        ln[col("Platform IDs")],
        Data::String("discord:1120345678901234567".into())
    );
    for row in &rows[1..] {
        for cell in row.iter() {
            assert!(
                matches!(cell, Data::String(_) | Data::Empty),
                "every cell is text: {cell:?}"
            );
        }
    }

    let zh = export_to(&db, "成员.xlsx", ExportFormat::Xlsx, |e| {
        e.chinese_headers = true
    });
    let mut book: Xlsx<_> = open_workbook(&zh).unwrap();
    assert_eq!(book.sheet_names(), ["成员"]);
    let range = book.worksheet_range("成员").unwrap();
    assert_eq!(range.get((0, 2)), Some(&Data::String("手机号".into())));
}

// ---------------------------------------------------------------------------------------------
// vCard
// ---------------------------------------------------------------------------------------------

#[test]
fn vcard_3_has_one_card_per_member_and_folds_long_lines() {
    let db = open();
    let created = community(&db);
    let path = export_to(&db, "members.vcf", ExportFormat::Vcard, |_| {});
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("END:VCARD\r\n"));
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VCARD").count(), 3);
    assert_eq!(lines.iter().filter(|l| **l == "END:VCARD").count(), 3);
    assert_eq!(lines.iter().filter(|l| **l == "VERSION:3.0").count(), 3);
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "no bare newline inside a value"
    );
    // Unfold (RFC 2425 §5.8.1) and read the cards.
    let unfolded = text.replace("\r\n ", "");
    let cards: Vec<&str> = unfolded.split("BEGIN:VCARD\r\n").skip(1).collect();
    assert_eq!(cards.len(), 3);
    let card = |name: &str| {
        *cards
            .iter()
            .find(|c| c.contains(&format!("\r\nFN:{name}\r\n")))
            .unwrap_or_else(|| panic!("card for {name}"))
    };
    let zw = card("张伟");
    assert!(zw.contains("\r\nTEL;TYPE=CELL:+8613800138000\r\n"));
    assert!(zw.contains("\r\nTEL;TYPE=CELL:+14155550100\r\n"));
    assert!(zw.contains("\r\nEMAIL;TYPE=INTERNET:zw@example.com\r\n"));
    assert!(zw.contains("\r\nBDAY:1990-05-17\r\n"));
    assert!(zw.contains("\r\nCATEGORIES:"));
    assert!(zw.contains(&format!("\r\nUID:hearth-member-{}\r\n", created[0].id)));
    let ln = card("李娜");
    assert!(ln.contains("\r\nX-QQ:10001234\r\n"));
    assert!(ln.contains("\r\nNOTE:第一行\\n第二行\\, 有逗号和\"引号\"\\; 还有分号\r\n"));
    let tom = card("Tom O'Brien");
    assert!(tom.contains("\r\nADR;TYPE=HOME:;;;Berlin\\, Germany;;;\r\n"));
    let note = tom.split("\r\n").find(|l| l.starts_with("NOTE:")).unwrap();
    assert!(
        note.len() > 75,
        "the long note was folded and unfolds whole"
    );
    assert!(note.ends_with("long note long note"));
}

// ---------------------------------------------------------------------------------------------
// Cancel
// ---------------------------------------------------------------------------------------------

#[test]
fn a_cancelled_export_leaves_no_file() {
    let db = open();
    community(&db);
    let path = db.dir.path().join("cancelled.csv");
    let e = export_members(
        &db.ctx,
        &ExportMembers {
            path: path.to_string_lossy().into_owned(),
            format: ExportFormat::Csv,
            scope: ExportScope::All,
            columns: vec![],
            csv_encoding: CsvEncoding::Utf8Bom,
            chinese_headers: false,
            neutralise_formulas: true,
            include_custom: true,
        },
        &|_, _| {},
        &AtomicBool::new(true),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    let left: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("cancelled"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn search_and_selection_scopes_export_only_those_members() {
    let db = open();
    let created = community(&db);
    let path = db.dir.path().join("some.csv");
    let run = |scope: ExportScope| {
        let out = export_members(
            &db.ctx,
            &ExportMembers {
                path: path.to_string_lossy().into_owned(),
                format: ExportFormat::Csv,
                scope,
                columns: vec![ExportColumn::Name],
                csv_encoding: CsvEncoding::Utf8Bom,
                chinese_headers: false,
                neutralise_formulas: true,
                include_custom: true,
            },
            &|_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        (out.members, text.trim_start_matches('\u{feff}').to_owned())
    };
    assert_eq!(
        run(ExportScope::Search {
            query: "讲者".into()
        }),
        (1, "Name\r\n李娜\r\n".to_owned())
    );
    assert_eq!(
        run(ExportScope::Selection {
            ids: vec![created[2].id, created[0].id]
        })
        .0,
        2
    );
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

/// What a manager compares after moving members between two Hearth databases.
#[derive(Debug, PartialEq, Eq)]
struct Portable {
    name: String,
    identities: Vec<(String, String)>,
    tags: Vec<String>,
    city: String,
    birthday: Option<String>,
    joined_at: Option<String>,
    notes: String,
    gender: Option<Gender>,
    role: String,
    source: String,
}

fn portable(members: &[Member]) -> Vec<Portable> {
    let mut out: Vec<Portable> = members
        .iter()
        .map(|m| {
            let mut identities: Vec<(String, String)> = m
                .identities
                .iter()
                .map(|i| (i.kind.as_str().to_owned(), i.value.clone()))
                .collect();
            identities.sort();
            let mut tags = m.tags.clone();
            tags.sort();
            Portable {
                name: m.display_name.clone(),
                identities,
                tags,
                city: m.city.clone(),
                birthday: m.birthday.clone(),
                joined_at: m.joined_at.clone(),
                notes: m.notes.clone(),
                gender: m.gender,
                role: m.role.clone(),
                source: m.source.clone(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn round_trip(file_name: &str, format: ExportFormat, tweak: impl FnOnce(&mut ExportMembers)) {
    let db = open();
    community(&db);
    // A member whose values look like formulas, to check the guard comes off again.
    let mut odd = MemberDraft {
        notes: "+1 for the idea\n@everyone come".into(),
        ..draft("=SUM(A1)", &[(Email, "odd@example.com")], &["-新人-"])
    };
    odd.city = "@Home".into();
    members::create(&db.ctx, odd).unwrap();
    let path = export_to_n(&db, file_name, format, tweak, 4);

    let fresh = open();
    let copy = fresh.dir.path().join(path.file_name().unwrap());
    std::fs::copy(&path, &copy).unwrap();
    let out = import::apply(
        &fresh.ctx,
        &ImportOptions {
            path: copy.to_string_lossy().into_owned(),
            utc_offset_minutes: 480,
            ..Default::default()
        },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap_or_else(|e| panic!("{file_name}: {e:?}"));
    assert_eq!(
        (out.counts.create, out.counts.invalid),
        (4, 0),
        "{file_name}"
    );
    assert_eq!(
        portable(&all(&fresh)),
        portable(&all(&db)),
        "{file_name}: the same members come back"
    );
}

fn export_to_n(
    db: &TestDb,
    name: &str,
    format: ExportFormat,
    tweak: impl FnOnce(&mut ExportMembers),
    want: u32,
) -> PathBuf {
    let path = db.dir.path().join(name);
    let mut input = ExportMembers {
        path: path.to_string_lossy().into_owned(),
        format,
        scope: ExportScope::All,
        columns: vec![],
        csv_encoding: CsvEncoding::Utf8Bom,
        chinese_headers: false,
        neutralise_formulas: true,
        include_custom: true,
    };
    tweak(&mut input);
    let out = export_members(&db.ctx, &input, &|_, _| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(out.members, want);
    path
}

#[test]
fn csv_export_imports_back_as_the_same_members() {
    round_trip("members.csv", ExportFormat::Csv, |_| {});
}

#[test]
fn csv_export_with_chinese_headers_imports_back_as_the_same_members() {
    round_trip("成员.csv", ExportFormat::Csv, |e| {
        e.chinese_headers = true
    });
}

#[test]
fn gb18030_csv_export_imports_back_as_the_same_members() {
    round_trip("成员-gb.csv", ExportFormat::Csv, |e| {
        e.chinese_headers = true;
        e.csv_encoding = CsvEncoding::Gb18030;
    });
}

#[test]
fn xlsx_export_imports_back_as_the_same_members() {
    round_trip("members.xlsx", ExportFormat::Xlsx, |_| {});
}

#[test]
fn vcard_export_imports_back_with_contacts_tags_and_notes() {
    let db = open();
    community(&db);
    let path = export_to_n(&db, "members.vcf", ExportFormat::Vcard, |_| {}, 3);
    let fresh = open();
    let out = import::apply(
        &fresh.ctx,
        &ImportOptions {
            path: path.to_string_lossy().into_owned(),
            ..Default::default()
        },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!((out.counts.create, out.counts.invalid), (3, 0));
    let back = all(&fresh);
    let zw = back.iter().find(|m| m.display_name == "张伟").unwrap();
    let values: Vec<&str> = zw.identities.iter().map(|i| i.value.as_str()).collect();
    for want in [
        "+8613800138000",
        "+14155550100",
        "zw@example.com",
        "zhangwei_88",
    ] {
        assert!(values.contains(&want), "{want} in {values:?}");
    }
    assert_eq!(zw.city, "北京");
    assert_eq!(zw.birthday.as_deref(), Some("1990-05-17"));
    let mut tags = zw.tags.clone();
    tags.sort();
    assert_eq!(tags, ["志愿者", "读书会"]);
    let ln = back.iter().find(|m| m.display_name == "李娜").unwrap();
    assert_eq!(ln.notes, "第一行\n第二行, 有逗号和\"引号\"; 还有分号");
    assert_eq!(ln.birthday.as_deref(), Some("--03-14"));
    assert!(ln.identities.iter().any(|i| i.value == "10001234"));
    let tom = back
        .iter()
        .find(|m| m.display_name == "Tom O'Brien")
        .unwrap();
    assert_eq!(tom.city, "Berlin, Germany");
}
