//! Hostile input: whatever bytes arrive as a member list, and whatever text reaches the core's
//! operations from a command, nothing panics; a file over the size limit is refused unread and a
//! cell over the cell limit is left out and reported with its line and field.
//!
//! `HOSTILE_CASES` sets the number of cases per property (a few hundred by default; the long run
//! in the issue note used more).

mod common;

use std::fs;

use common::{open, open_demo};
use hearth_core::io::read::{Table, MAX_CELL_BYTES};
use hearth_core::ops::import::{self, ImportOptions, RowAction};
use hearth_core::ops::members::{self, ListMembers};
use hearth_core::ErrorCode;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// Pieces a hostile CSV is made of: delimiters, quotes (balanced or not), line ends of every
/// kind, CJK, BOMs, NULs, formulas, very long runs.
fn csv_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just("\t".to_owned()),
        Just("|".to_owned()),
        Just("\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\0".to_owned()),
        Just("姓名".to_owned()),
        Just("手机".to_owned()),
        Just("name".to_owned()),
        Just("phone".to_owned()),
        Just("email".to_owned()),
        Just("=HYPERLINK(\"x\")".to_owned()),
        Just("13800138000".to_owned()),
        Just("1.38001E+10".to_owned()),
        Just("a@b.cn".to_owned()),
        Just("1990/13/45".to_owned()),
        "[a-z张李王0-9 @.+-]{0,12}",
        (1usize..5000).prop_map(|n| "长".repeat(n)),
    ]
}

fn hostile_csv() -> impl Strategy<Value = String> {
    prop::collection::vec(csv_piece(), 0..80).prop_map(|p| p.concat())
}

/// Reads every row of `path` (errors are fine; panics are not).
fn read_all(path: &std::path::Path) {
    if let Ok(mut table) = Table::open(path, None, None) {
        while let Some(row) = table.next_row() {
            if row.is_err() {
                break;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_under_any_name_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        magic in prop_oneof![
            Just(&b""[..]),
            Just(&b"PK\x03\x04"[..]),
            Just(&b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..]),
            Just(&b"\xFF\xFE"[..]),
            Just(&b"\xEF\xBB\xBF"[..]),
            Just(&b"BEGIN:VCARD\r\n"[..]),
        ],
        ext in prop_oneof![Just("csv"), Just("tsv"), Just("txt"), Just("xlsx"), Just("xls"), Just("ods"), Just("vcf")],
    ) {
        let db = open();
        let path = db.dir.path().join(format!("in.{ext}"));
        fs::write(&path, [magic, &bytes[..]].concat()).unwrap();
        read_all(&path);
        let _ = import::preview(&db.ctx, &ImportOptions { path: path.display().to_string(), ..Default::default() });
    }

    #[test]
    fn hostile_csv_never_panics_and_a_refused_row_says_why(text in hostile_csv()) {
        let db = open();
        let path = db.dir.path().join("in.csv");
        fs::write(&path, &text).unwrap();
        read_all(&path);
        if let Ok(preview) = import::preview(&db.ctx, &ImportOptions { path: path.display().to_string(), ..Default::default() }) {
            // A row left out always says why.
            for row in &preview.rows {
                prop_assert!(row.action != RowAction::Invalid || row.error.is_some(), "{row:?}");
            }
        }
    }

    #[test]
    fn any_text_into_search_and_the_member_list_never_panics(q in any::<String>(), offset in 0u32..5000, limit in 0u32..2000) {
        let db = open_demo_once();
        let _ = members::list(db, ListMembers { search: Some(q), offset, limit, ..Default::default() });
    }

    #[test]
    fn any_text_as_a_date_phone_or_tag_never_panics(s in any::<String>()) {
        use hearth_core::io::cells;
        let rules = cells::DateRules { day_first: false, utc_offset_minutes: 480, excel_1904: false };
        let _ = cells::parse_instant(&s, rules);
        let _ = cells::parse_birthday(&s, true);
        let _ = cells::split_tags(&s);
        let _ = cells::split_values(&s, true);
        let _ = hearth_core::text::normalize_phone(&s, hearth_core::text::Region::Cn);
        let _ = hearth_core::paths::safe_file_name(&s);
    }
}

/// One demo database shared by the search property (building one per case would dominate).
fn open_demo_once() -> &'static hearth_core::Ctx {
    static DB: std::sync::OnceLock<common::TestDb> = std::sync::OnceLock::new();
    &DB.get_or_init(open_demo).ctx
}

#[test]
fn a_cell_over_the_limit_is_left_out_and_reported_with_its_line_and_field() {
    let db = open();
    let path = db.dir.path().join("big-cell.csv");
    let huge = "备".repeat(10 * 1024 * 1024 / 3 + 1);
    fs::write(
        &path,
        format!("姓名,手机,备注\n张三,13800138000,{huge}\n李四,13900139000,VIP\n"),
    )
    .unwrap();
    let preview = import::preview(
        &db.ctx,
        &ImportOptions {
            path: path.display().to_string(),
            ..Default::default()
        },
    )
    .unwrap();
    let first = preview.rows.iter().find(|r| r.line == 2).unwrap();
    assert_eq!(
        first.action,
        RowAction::Create,
        "the rest of the row imports"
    );
    let flag = first
        .flags
        .iter()
        .find(|f| f.reason == ErrorCode::CellTooLarge)
        .expect("the oversized cell is reported");
    assert_eq!(flag.field, "notes");
    assert_eq!(flag.line, 2);
    assert!(flag.params["size_kb"].parse::<usize>().unwrap() > MAX_CELL_BYTES / 1024);
    assert!(preview
        .rows
        .iter()
        .any(|r| r.line == 3 && r.flags.is_empty()));
}
