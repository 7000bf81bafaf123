//! Printed event paper: sign-in sheets, rosters and badges as real PDFs, checked with the poppler
//! tools a user's machine would have (`pdftotext`, `pdffonts`, `pdfinfo`), plus the SVG preview.
//! Needs a Chinese font (Debian: fonts-noto-cjk) and poppler-utils.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use hearth_core::print::{
    page_count, render_pdf, render_svg_page, CjkFont, PrintDoc, PrintKind, PrintLang, PrintOptions,
    PrintPerson, BADGES_PER_PAGE, ROSTER_ROWS_PER_PAGE, SIGN_IN_ROWS_PER_PAGE,
};
use hearth_core::ErrorCode;
use tempfile::TempDir;

fn font() -> &'static CjkFont {
    static FONT: OnceLock<CjkFont> = OnceLock::new();
    FONT.get_or_init(|| {
        CjkFont::locate(None).expect("a CJK font (Debian: apt-get install fonts-noto-cjk)")
    })
}

fn person(seq: u32, name: &str, note: &str, phone: Option<&str>) -> PrintPerson {
    PrintPerson {
        seq,
        name: name.into(),
        note: note.into(),
        phone: phone.map(Into::into),
        status: "已报名".into(),
        checked_in_at: None,
    }
}

fn doc(kind: PrintKind, people: Vec<PrintPerson>) -> PrintDoc {
    PrintDoc {
        title: "读书会 · 三月共读《活着》".into(),
        when: "2026-03-14 14:00–16:30 (UTC+8)".into(),
        place: "北京市朝阳区建国路 88 号 3 层".into(),
        printed_at: "2026-03-14 13:02".into(),
        people,
        options: PrintOptions {
            kind,
            ..PrintOptions::default()
        },
    }
}

fn many(n: u32) -> Vec<PrintPerson> {
    (1..=n)
        .map(|i| {
            person(
                i,
                &format!("成员{i:04}"),
                "读书会",
                Some(&format!("+86139{i:08}")),
            )
        })
        .collect()
}

/// Runs a poppler tool; its stdout.
fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{program} (apt-get install poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write_pdf(dir: &TempDir, name: &str, doc: &PrintDoc) -> PathBuf {
    let pdf = render_pdf(doc, font()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = dir.path().join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

fn text_of(path: &Path) -> String {
    tool("pdftotext", &["-layout"], path)
}

/// pdftotext guesses spaces from gaps and drops some between Chinese and digits (`第1/1页`):
/// compare without white space where that matters.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

fn pages_of(path: &Path) -> usize {
    let info = tool("pdfinfo", &[], path);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

#[test]
fn sign_in_sheet_has_the_names_headers_and_only_the_last_four_phone_digits() {
    let dir = TempDir::new().unwrap();
    let mut people = vec![
        person(1, "张伟", "北京大学", Some("+8613800138000")),
        person(2, "李娜", "自由职业", Some("+8613912345678")),
        person(3, "欧阳娜娜", "", None),
    ];
    people[1].checked_in_at = Some("14:05".into());
    people[2].note = "中国科学院计算技术研究所软件工程与分布式系统研究方向博士后工作站".into();
    let sheet = doc(PrintKind::SignIn, people);
    let path = write_pdf(&dir, "sign-in.pdf", &sheet);
    let text = text_of(&path);

    for expected in [
        "张伟",
        "李娜",
        "欧阳娜娜",
        "北京大学",
        "签名",
        "序号",
        "姓名",
        "手机尾号",
        "签到时间",
        "三月共读",
        "第1/1页",
        "共3人",
        "14:05",
        "8000",
        "5678",
    ] {
        assert!(
            squeezed(&text).contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // A note longer than its column is cut with an ellipsis, not spilled into the next cell.
    assert!(squeezed(&text).contains("中国科学院计算技术研…"), "{text}");
    assert!(!text.contains("工作站"), "{text}");
    for leaked in ["13800138000", "13912345678", "0013"] {
        assert!(
            !squeezed(&text).contains(leaked),
            "full number printed:\n{text}"
        );
    }

    // Unmasked, the number prints in full and grouped.
    let mut open = sheet.clone();
    open.options.mask_phones = false;
    let text = text_of(&write_pdf(&dir, "sign-in-open.pdf", &open));
    assert!(text.contains("+86 138 0013 8000"), "{text}");
}

#[test]
fn the_chinese_font_is_embedded_as_a_subset() {
    let dir = TempDir::new().unwrap();
    let sheet = doc(
        PrintKind::SignIn,
        vec![person(1, "张伟", "Acme Ltd.", Some("+8613800138000"))],
    );
    let fonts = tool("pdffonts", &[], &write_pdf(&dir, "fonts.pdf", &sheet));
    // name  type  encoding  emb sub uni  object ID
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts:\n{fonts}");
    let cjk = rows
        .iter()
        .find(|r| r.contains("CJK") || r.contains("SC") || r.contains("Hei"))
        .unwrap_or_else(|| panic!("no CJK font listed:\n{fonts}"));
    assert!(cjk.contains("yes yes"), "not embedded + subset:\n{fonts}");
    // The subset's name carries the six-letter tag, e.g. `ABCDEF+NotoSansCJKsc-Regular`.
    assert!(
        cjk.split_whitespace().next().unwrap().contains('+'),
        "{fonts}"
    );
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "a font is not embedded:\n{fonts}");
    }
}

#[test]
fn a_thousand_registrants_paginate_and_the_last_page_is_padded_for_walk_ins() {
    let dir = TempDir::new().unwrap();
    let sheet = doc(PrintKind::SignIn, many(1000));
    let expected_pages = 1000_usize.div_ceil(SIGN_IN_ROWS_PER_PAGE);
    assert_eq!(SIGN_IN_ROWS_PER_PAGE, 21, "the documented layout");
    assert_eq!(page_count(&sheet), expected_pages);

    let started = Instant::now();
    let pdf = render_pdf(&sheet, font()).unwrap();
    let elapsed = started.elapsed();
    println!(
        "sign-in sheet, 1,000 people: {} pages, {} KiB, rendered in {elapsed:?}",
        expected_pages,
        pdf.len() / 1024
    );
    let path = dir.path().join("thousand.pdf");
    std::fs::write(&path, &pdf).unwrap();
    assert_eq!(pages_of(&path), expected_pages);

    let last = expected_pages.to_string();
    let last_page = tool("pdftotext", &["-layout", "-f", &last, "-l", &last], &path);
    let last_number = expected_pages * SIGN_IN_ROWS_PER_PAGE;
    assert!(last_page.contains("成员1000"), "{last_page}");
    assert!(
        last_page.contains("1001"),
        "first blank row missing:\n{last_page}"
    );
    assert!(last_page.contains(&last_number.to_string()), "{last_page}");
    assert!(
        !last_page.contains(&(last_number + 1).to_string()),
        "{last_page}"
    );
    assert!(squeezed(&last_page).contains(&format!("第{last}/{last}页")));

    // Without padding the sheet ends with the last person; extra rows still come.
    let mut unpadded = sheet.clone();
    unpadded.options.pad_last_page = false;
    unpadded.options.extra_blank_rows = 2;
    let path = write_pdf(&dir, "unpadded.pdf", &unpadded);
    let last_page = tool("pdftotext", &["-layout", "-f", &last, "-l", &last], &path);
    assert!(last_page.contains("1002"), "{last_page}");
    assert!(!last_page.contains("1003"), "{last_page}");

    // The roster is denser.
    let roster = doc(PrintKind::Roster, many(1000));
    assert_eq!(
        page_count(&roster),
        1000_usize.div_ceil(ROSTER_ROWS_PER_PAGE)
    );
}

#[test]
fn ten_badges_take_two_sheets() {
    let dir = TempDir::new().unwrap();
    let mut people: Vec<PrintPerson> = (1..=9)
        .map(|i| person(i, &format!("参会者{i}"), "志愿者", None))
        .collect();
    people.push(person(
        10,
        "Maximilian Alexander Konstantinopoulos-Wetherby",
        "Speaker",
        None,
    ));
    let badges = doc(PrintKind::Badges, people);
    assert_eq!(BADGES_PER_PAGE, 8);
    assert_eq!(page_count(&badges), 2);
    let path = write_pdf(&dir, "badges.pdf", &badges);
    assert_eq!(pages_of(&path), 2);
    let text = text_of(&path);
    for expected in ["参会者1", "参会者9", "志愿者", "Speaker", "三月共读"] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    // The long name goes onto two lines rather than being cut.
    assert!(text.contains("Konstantinopoulos-Wetherby"), "{text}");
    assert!(!text.contains('…'), "{text}");

    let mut plain = badges.clone();
    plain.options.badge_subtitle = false;
    let text = text_of(&write_pdf(&dir, "badges-plain.pdf", &plain));
    assert!(!text.contains("志愿者"), "{text}");
}

#[test]
fn characters_the_font_lacks_print_as_boxes_without_failing() {
    let dir = TempDir::new().unwrap();
    let people = vec![
        person(1, "张伟🎉", "🎉🎉 party", None),
        person(2, "𪚥 测试", "𠀀", None),
        person(3, "Zoë O'Brien", "", None),
        person(4, "王\u{0007}芳", "第一行\n第二行", None),
        person(5, "👩\u{200D}💻 Dev", "\u{FEFF}", None),
    ];
    for kind in [PrintKind::SignIn, PrintKind::Roster, PrintKind::Badges] {
        let d = doc(kind, people.clone());
        let text = text_of(&write_pdf(&dir, &format!("{kind:?}.pdf"), &d));
        for expected in ["张伟", "测试", "Zoë O'Brien", "王", "芳", "Dev"] {
            assert!(
                text.contains(expected),
                "{kind:?}: {expected:?} missing:\n{text}"
            );
        }
        assert!(!text.contains('\u{0007}'), "{text}");
        let svg = render_svg_page(&d, font(), 0).unwrap();
        assert!(!svg.contains('\u{0007}'), "control character in the SVG");
        assert!(svg.contains("王□芳"), "the bell becomes a box");
        assert!(svg.contains("张伟□"), "the emoji becomes a box");
    }
}

#[test]
fn english_sheets_have_english_headers() {
    let dir = TempDir::new().unwrap();
    let mut sheet = doc(
        PrintKind::SignIn,
        vec![person(1, "Tom O'Brien", "Acme", Some("+14155550100"))],
    );
    sheet.options.lang = PrintLang::En;
    let text = text_of(&write_pdf(&dir, "en.pdf", &sheet));
    for expected in [
        "No.",
        "Name",
        "Signature",
        "Checked in",
        "Page 1 of 1",
        "Tom O'Brien",
        "0100",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    assert!(!text.contains("签名"), "{text}");

    let mut roster = sheet.clone();
    roster.options.kind = PrintKind::Roster;
    roster.people[0].status = "Checked in".into();
    roster.people[0].checked_in_at = Some("14:05".into());
    let text = text_of(&write_pdf(&dir, "en-roster.pdf", &roster));
    for expected in ["Status", "Checked in", "14:05", "****0100"] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
}

#[test]
fn the_svg_preview_has_the_escaped_names_and_refuses_missing_pages() {
    let people = vec![
        person(1, "Li & Wu <Co>", "R&D", None),
        person(2, "李娜", "", None),
    ];
    for kind in [PrintKind::SignIn, PrintKind::Roster, PrintKind::Badges] {
        let d = doc(kind, people.clone());
        let svg = render_svg_page(&d, font(), 0).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("Li &amp; Wu &lt;Co&gt;"), "{kind:?}");
        assert!(!svg.contains("Wu <Co>"), "{kind:?}");
        assert!(svg.contains("李娜"));
        assert!(svg.contains("Noto Sans CJK SC"));
        let err = render_svg_page(&d, font(), page_count(&d)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
    let sheet = doc(PrintKind::SignIn, many(50));
    assert_eq!(page_count(&sheet), 3);
    let third = render_svg_page(&sheet, font(), 2).unwrap();
    assert!(third.contains("成员0050") && third.contains("第 3 / 3 页"));
    assert!(!third.contains("成员0042") && third.contains("成员0043"));
    assert!(!third.contains("成员0001"));
}

#[test]
fn the_simplified_chinese_face_is_found_and_a_bad_explicit_path_falls_back() {
    let found = font();
    assert!(found.family().ends_with("SC"), "{found:?}");
    if found
        .source()
        .is_some_and(|p| p.ends_with("opentype/noto/NotoSansCJK-Regular.ttc"))
    {
        // Debian's collection holds JP, KR, SC, TC, HK: SC is face 2.
        assert_eq!(found.face_index(), 2);
        assert_eq!(found.family(), "Noto Sans CJK SC");
        let again = CjkFont::locate(found.source()).unwrap();
        assert_eq!(again.face_index(), 2);
    }

    let dir = TempDir::new().unwrap();
    let bogus = dir.path().join("not-a-font.ttf");
    std::fs::write(&bogus, b"definitely not a font").unwrap();
    let fallback = CjkFont::locate(Some(&bogus)).unwrap();
    assert_eq!(fallback.family(), found.family());

    let err = CjkFont::from_bytes(b"nope".to_vec(), 0).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    // The app may keep the font in its shared state.
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<CjkFont>();
}
