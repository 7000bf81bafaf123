//! `hearth members import|export` and `hearth imports list|show|undo` as a script uses them:
//! the real binary, its JSON, its exit codes, a closed pipe, and a member list that is never
//! cut short.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::{hearth, hearth_bin};
use serde_json::Value;

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn members_import_json_names_the_batch_every_flag_and_every_invalid_row() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("reading-club-gbk.csv");
    let applied = json(&hearth(dir.path(), &["members", "import", &file, "--json"]));
    let batch = applied["batch_id"].as_i64().unwrap();
    assert_eq!(applied["counts"]["create"], 4);
    assert_eq!(applied["counts"]["invalid"], 1);
    assert_eq!(applied["counts"]["flagged"], 1);
    // 李娜 is imported; only her damaged phone is left out, and said so.
    let flags = applied["flags"].as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["line"], 5);
    assert_eq!(flags[0]["field"], "phone");
    assert_eq!(flags[0]["value"], "1.38001E+10");
    assert_eq!(flags[0]["reason"], "damaged_number");
    // The row whose columns shifted is the one refused, by line.
    let invalid = applied["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0]["line"], 8);
    assert_eq!(invalid[0]["error"]["code"], "ragged_row");
    assert_eq!(applied["invalid_truncated"], false);
    let li_na = json(&hearth(
        dir.path(),
        &["members", "list", "--json", "--search", "李娜"],
    ));
    assert_eq!(li_na.as_array().unwrap().len(), 1);

    // The history lists the batch with its counts, and `show` every flagged value.
    let listed = json(&hearth(dir.path(), &["imports", "list", "--json"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], batch);
    assert_eq!(listed[0]["created"], 4);
    assert_eq!(listed[0]["flagged"], 1);
    let shown = json(&hearth(
        dir.path(),
        &["imports", "show", &batch.to_string(), "--json"],
    ));
    assert_eq!(shown["id"], batch);
    assert_eq!(shown["file_name"], "reading-club-gbk.csv");
    assert_eq!(shown["flags"], applied["flags"]);
    let text = hearth(dir.path(), &["imports", "show", &batch.to_string()]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("1.38001E+10"), "{text}");

    // `members export` is the documented form of `export`.
    let out_csv = dir.path().join("out.csv");
    let out = hearth(
        dir.path(),
        &["members", "export", out_csv.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&std::fs::read(&out_csv).unwrap()).contains("李娜"));

    let undone = json(&hearth(
        dir.path(),
        &["imports", "undo", &batch.to_string(), "--json"],
    ));
    assert_eq!(undone["removed"], 4);
    let everyone = json(&hearth(dir.path(), &["members", "list", "--json"]));
    assert_eq!(everyone.as_array().unwrap().len(), 0);
    let listed = json(&hearth(dir.path(), &["imports", "list", "--json"]));
    assert!(listed[0]["undone_at"].is_string());
    // A second undo is refused with status 1 and a reason on stderr.
    let again = hearth(dir.path(), &["imports", "undo", &batch.to_string()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(!again.stderr.is_empty());
    let missing = hearth(dir.path(), &["imports", "show", "999"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn members_list_prints_everyone_unless_a_page_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth(dir.path(), &["demo", "--members", "1200", "--seed", "5"]);
    assert!(out.status.success());
    let everyone = json(&hearth(dir.path(), &["members", "list", "--json"]));
    let everyone = everyone.as_array().unwrap();
    // More than one page of the store (1,000), and no one twice.
    assert!(everyone.len() >= 1200, "{}", everyone.len());
    let mut ids: Vec<i64> = everyone.iter().map(|m| m["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), everyone.len());

    let page = json(&hearth(
        dir.path(),
        &[
            "members", "list", "--json", "--offset", "1000", "--limit", "150",
        ],
    ));
    let page = page.as_array().unwrap();
    assert_eq!(page.len(), 150);
    assert_eq!(page[0]["id"], everyone[1000]["id"]);
    assert_eq!(page[149]["id"], everyone[1149]["id"]);

    let text = hearth(dir.path(), &["members", "list"]);
    let text = String::from_utf8(text.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert_eq!(
        last,
        format!("{n} of {n} members (from position 0)", n = everyone.len())
    );
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth(dir.path(), &["demo", "--members", "1500", "--seed", "2"]);
    assert!(out.status.success());
    // As `hearth members list | head -c 100`: the reader stops early.
    let mut child = Command::new(hearth_bin())
        .arg("--data-dir")
        .arg(dir.path())
        .args(["members", "list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut start = [0u8; 100];
    stdout.read_exact(&mut start).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn help_documents_the_exit_codes_and_the_member_list_paging() {
    let dir = tempfile::tempdir().unwrap();
    let help = hearth(dir.path(), &["--help"]);
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("Exit status"), "{help}");
    assert!(help.contains("141"), "{help}");
    let list = hearth(dir.path(), &["members", "list", "--help"]);
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(
        list.contains("--offset") && list.contains("all of them"),
        "{list}"
    );
    let wrong = hearth(dir.path(), &["imports", "frobnicate"]);
    assert_eq!(wrong.status.code(), Some(2));
}
