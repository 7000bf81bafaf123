//! The real `hearth` binary, run as a user would.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

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

#[test]
fn demo_then_list_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth(dir.path(), &["demo", "--members", "120", "--seed", "3"]);
    assert!(out.status.success());
    let list = json(&hearth(
        dir.path(),
        &["members", "list", "--json", "--limit", "500"],
    ));
    let members = list.as_array().unwrap();
    assert_eq!(members.len(), 120);
    for m in members {
        assert!(m["id"].is_i64());
        assert!(!m["display_name"].as_str().unwrap().is_empty());
        assert!(m["tags"].is_array());
        let joined = m["joined_at"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(joined).is_ok(),
            "{joined}"
        );
        for id in m["identities"].as_array().unwrap() {
            let kind = id["kind"].as_str().unwrap();
            assert!(["phone", "email", "wechat", "qq"].contains(&kind));
            if kind == "phone" {
                let v = id["value"].as_str().unwrap();
                assert!(
                    v.starts_with('+') && v[1..].chars().all(|c| c.is_ascii_digit()),
                    "{v}"
                );
            }
        }
    }
    let limited = json(&hearth(
        dir.path(),
        &["members", "list", "--json", "--limit", "5"],
    ));
    assert_eq!(limited.as_array().unwrap().len(), 5);
}

#[test]
fn add_then_find_by_search() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth(
        dir.path(),
        &[
            "members",
            "add",
            "--name",
            "张伟",
            "--phone",
            "138 0013 8000",
            "--email",
            "ZW@example.com",
            "--wechat",
            "zhangwei_88",
            "--tag",
            "讲者",
            "--tag",
            "北京",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = json(&hearth(
        dir.path(),
        &["members", "list", "--json", "--search", "zw"],
    ));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1);
    let m = &found[0];
    assert_eq!(m["display_name"], "张伟");
    assert_eq!(m["tags"], serde_json::json!(["北京", "讲者"]));
    assert_eq!(
        m["identities"],
        serde_json::json!([
            { "kind": "phone", "value": "+8613800138000" },
            { "kind": "email", "value": "zw@example.com" },
            { "kind": "wechat", "value": "zhangwei_88" }
        ])
    );
    assert!(m["joined_at"].is_null());
}

#[test]
fn bad_input_exits_non_zero_with_a_message_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth(
        dir.path(),
        &["members", "add", "--name", "张伟", "--phone", "12345"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("12345") && err.contains("phone"), "{err}");

    let zh = Command::new(hearth_bin())
        .arg("--data-dir")
        .arg(dir.path())
        .args(["members", "add", "--name", "  "])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(!zh.status.success());
    assert!(String::from_utf8_lossy(&zh.stderr).contains("姓名不能为空"));

    // Nothing was saved by either attempt.
    let list = json(&hearth(dir.path(), &["members", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn a_data_dir_that_is_a_file_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("occupied");
    std::fs::write(&file, "x").unwrap();
    let out = hearth(&file, &["members", "list"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used"));
}

#[test]
fn duplicates_json_lists_pairs_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    for email in ["zw@example.com", "zw@example.net"] {
        let out = hearth(
            dir.path(),
            &["members", "add", "--name", "张伟", "--email", email],
        );
        assert!(out.status.success());
    }
    hearth(dir.path(), &["members", "add", "--name", "李娜"]);
    let pairs = json(&hearth(dir.path(), &["members", "duplicates", "--json"]));
    let pairs = pairs.as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0]["a"]["display_name"], "张伟");
    assert_eq!(
        pairs[0]["reasons"],
        serde_json::json!(["same_name", "same_email_user"])
    );
    assert!(pairs[0]["score"].as_u64().unwrap() >= 60);
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn import_dry_run_writes_nothing_then_import_export_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture("reading-club-gbk.csv");
    let plan = json(&hearth(
        dir.path(),
        &["import", &file, "--dry-run", "--json"],
    ));
    assert_eq!(plan["encoding"], "gb18030");
    assert_eq!(plan["header_line"], 3);
    // Issue 14: 李娜's damaged phone is left out and flagged, 李娜 imported; only the row whose
    // columns shifted (陈,静) is refused.
    assert_eq!(plan["counts"]["create"], 4);
    assert_eq!(plan["counts"]["invalid"], 1);
    assert_eq!(plan["counts"]["flagged"], 1);
    let bad = plan["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == 5)
        .unwrap();
    assert_eq!(bad["flags"][0]["reason"], "damaged_number");
    assert_eq!(bad["flags"][0]["field"], "phone");
    assert_eq!(bad["flags"][0]["value"], "1.38001E+10");
    let listed = json(&hearth(dir.path(), &["members", "list", "--json"]));
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );

    let applied = json(&hearth(dir.path(), &["import", &file, "--json"]));
    assert_eq!(applied["counts"]["create"], 4);
    let members = json(&hearth(
        dir.path(),
        &["members", "list", "--json", "--search", "zw"],
    ));
    assert_eq!(members[0]["display_name"], "张伟");

    let out_csv = dir.path().join("out.csv");
    let out = hearth(
        dir.path(),
        &["export", out_csv.to_str().unwrap(), "--chinese"],
    );
    assert!(out.status.success());
    let bytes = std::fs::read(&out_csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    assert!(String::from_utf8_lossy(&bytes).contains("姓名,拼音,手机号"));

    let batch = applied["batch_id"].as_i64().unwrap().to_string();
    let out = hearth(dir.path(), &["import", "--undo", &batch]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = json(&hearth(dir.path(), &["members", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

#[test]
fn import_errors_are_localised_in_chinese_terminals() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let out = Command::new(hearth_bin())
        .arg("--data-dir")
        .arg(dir.path())
        .args(["import", missing.to_str().unwrap()])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("无法读取文件") && err.contains("nope.csv"),
        "{err}"
    );
}

/// The events commands of the issue, end to end on one database: add an event, register people,
/// check one in (twice: the second is refused), paste a 接龙 as a dry run and for real, import a
/// registration list, print the sign-in sheet and read it back with poppler, list as JSON.
#[test]
fn events_commands_work_from_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hearth(
        dir.path(),
        &["members", "add", "--name", "张伟", "--phone", "13800138000"]
    )
    .status
    .success());
    assert!(hearth(dir.path(), &["members", "add", "--name", "李娜"])
        .status
        .success());
    let event = json(&hearth(
        dir.path(),
        &[
            "events",
            "add",
            "--title",
            "周六读书会",
            "--start",
            "2026-11-28 14:00",
            "--end",
            "2026-11-28 17:00",
            "--venue",
            "静安区图书馆",
            "--capacity",
            "30",
            "--json",
        ],
    ));
    assert_eq!(event["starts_at"], "2026-11-28T06:00:00Z");
    let id = event["id"].as_i64().unwrap().to_string();
    let out = hearth(
        dir.path(),
        &["events", "register", &id, "--member", "1", "--member", "2"],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2 registered"));

    let checked = json(&hearth(
        dir.path(),
        &["events", "checkin", &id, "--member", "1", "--json"],
    ));
    assert_eq!(checked["registration"]["status"], "attended");
    assert_eq!(checked["counts"]["attended"], 1);
    let again = hearth(dir.path(), &["events", "checkin", &id, "--member", "1"]);
    assert!(!again.status.success(), "a second check-in is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already checked in"));

    let chain = dir.path().join("jielong.txt");
    std::fs::write(
        &chain,
        "#接龙\n周六读书会\n1. 张伟\n2. 王芳 13912345678\n3. \n",
    )
    .unwrap();
    let chain = chain.display().to_string();
    let dry = json(&hearth(
        dir.path(),
        &[
            "events",
            "parse-jielong",
            &id,
            &chain,
            "--dry-run",
            "--json",
        ],
    ));
    assert_eq!(dry["rows"][0]["action"], "already");
    assert_eq!(dry["rows"][1]["action"], "create");
    assert_eq!(
        dry["parse"]["problems"][0]["line"], 5,
        "the empty entry is listed by line"
    );
    let list = json(&hearth(dir.path(), &["events", "list", "--json"]));
    assert_eq!(
        list[0]["counts"]["registered"], 1,
        "the dry run wrote nothing"
    );
    let applied = json(&hearth(
        dir.path(),
        &["events", "parse-jielong", &id, &chain, "--json"],
    ));
    assert_eq!(applied["created"], 1);

    let csv = dir.path().join("signups.csv");
    std::fs::write(&csv, "姓名,手机号\n张伟,138 0013 8000\n赵磊,13600002222\n").unwrap();
    let imported = json(&hearth(
        dir.path(),
        &[
            "events",
            "import-registrations",
            &id,
            &csv.display().to_string(),
            "--json",
        ],
    ));
    assert_eq!(
        imported["outcome"]["registered"], 1,
        "赵磊 is new; 张伟 (matched by phone) was registered"
    );
    assert_eq!(imported["outcome"]["already"], 1);

    let pdf = dir.path().join("签到表.pdf");
    let out = hearth(
        dir.path(),
        &[
            "events",
            "roster",
            &id,
            "--kind",
            "signin",
            "--out",
            &pdf.display().to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in ["签名", "张伟", "王芳", "赵磊", "周六读书会"] {
        assert!(
            text.contains(needle),
            "{needle} in the sign-in sheet:\n{text}"
        );
    }
    assert!(
        !text.contains("13800138000"),
        "phones are masked by default"
    );

    let list = json(&hearth(dir.path(), &["events", "list", "--json"]));
    let counts = &list[0]["counts"];
    assert_eq!(counts["attended"], 1);
    assert_eq!(counts["registered"], 3, "李娜, 王芳, 赵磊");
}

/// A 问卷星 sign-up export uses the questions as headers (`1、您的姓名：`): they are mapped, the
/// good rows registered, and the row Excel damaged is reported by line.
#[test]
fn survey_sign_up_export_registers_people() {
    let dir = tempfile::tempdir().unwrap();
    let event = json(&hearth(
        dir.path(),
        &[
            "events",
            "add",
            "--title",
            "Demo Day",
            "--start",
            "2026-12-05 14:00",
            "--end",
            "2026-12-05 17:00",
            "--json",
        ],
    ));
    let id = event["id"].as_i64().unwrap().to_string();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/wjx-signup.csv");
    let out = json(&hearth(
        dir.path(),
        &[
            "events",
            "import-registrations",
            &id,
            &fixture.display().to_string(),
            "--json",
        ],
    ));
    // Issue 14: the 1.37001E+10 phone is left out and flagged; 周小舟 registers all the same.
    assert_eq!(out["counts"]["create"], 3);
    assert_eq!(out["counts"]["invalid"], 0);
    assert_eq!(out["counts"]["flagged"], 1, "the 1.37001E+10 phone");
    assert_eq!(out["outcome"]["registered"], 3);
    let people = json(&hearth(dir.path(), &["members", "list", "--json"]));
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["韩梅梅", "Li Lei", "周小舟"]);
}
