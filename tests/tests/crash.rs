//! The crash test: the real `hearth` binary runs a large import, its undo, or a merge of two busy
//! members in a child process and is killed with SIGKILL at a random (seeded) moment. Reopened,
//! the database must pass `integrity_check` and `foreign_key_check`, and hold exactly the state
//! before the operation or exactly the state after it, never anything between.
//!
//! 20 kills in the normal run; `HEARTH_CRASH_KILLS=1000 cargo test -p hearth-tests --test crash
//! -- --nocapture` for the long run (`HEARTH_CRASH_SEED` picks another sequence of moments).

#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::types::Value;

const NOW: &str = "2026-11-25T09:30:00Z";

/// Per table: its name, row count and a hash of every row in rowid order. Every operation here
/// is deterministic (fixed clock, same input), so the same data gets the same rowids.
type Contents = Vec<(String, usize, u64)>;

fn contents(db: &Path) -> Contents {
    use std::hash::{Hash, Hasher};
    let conn = rusqlite::Connection::open(db).unwrap();
    hearth_core::store::dump::table_names(&conn)
        .unwrap()
        .into_iter()
        .map(|name| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{name}\" ORDER BY rowid"))
                .or_else(|_| {
                    // A WITHOUT ROWID table: order by every column, however many it has.
                    let width = conn
                        .prepare(&format!("SELECT * FROM \"{name}\" LIMIT 0"))?
                        .column_count();
                    let all = (1..=width).map(|i| i.to_string()).collect::<Vec<_>>();
                    conn.prepare(&format!(
                        "SELECT * FROM \"{name}\" ORDER BY {}",
                        all.join(", ")
                    ))
                })
                .unwrap();
            let width = stmt.column_count();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            let mut count = 0;
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                count += 1;
                for i in 0..width {
                    match row.get::<_, Value>(i).unwrap() {
                        Value::Null => 0u8.hash(&mut hasher),
                        Value::Integer(v) => (1u8, v).hash(&mut hasher),
                        Value::Real(v) => (2u8, v.to_bits()).hash(&mut hasher),
                        Value::Text(v) => (3u8, v).hash(&mut hasher),
                        Value::Blob(v) => (4u8, v).hash(&mut hasher),
                    }
                }
            }
            (name, count, hasher.finish())
        })
        .collect()
}

/// `integrity_check` and `foreign_key_check` after a kill (opening read-write replays the WAL,
/// as the app does).
fn healthy(db: &Path) -> Result<(), String> {
    let conn = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if integrity != "ok" {
        return Err(integrity);
    }
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| e.to_string())?;
    if dangling > 0 {
        return Err(format!("{dangling} broken references"));
    }
    Ok(())
}

/// The binary under test, copied out of the shared target folder (another build may replace
/// the original while the test runs).
fn binary(work: &Path) -> PathBuf {
    let copy = work.join("hearth-under-test");
    fs::copy(common::hearth_bin(), &copy).unwrap();
    copy
}

fn hearth(bin: &Path, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("HEARTH_FIXED_NOW", NOW)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn run_ok(bin: &Path, dir: &Path, args: &[&str]) {
    let out = hearth(bin, dir, args)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hearth {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A copy of the data folder `from` (the database, and its WAL if one was left).
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for name in ["hearth.db", "hearth.db-wal", "hearth.db-shm"] {
        if from.join(name).exists() {
            fs::copy(from.join(name), to.join(name)).unwrap();
        }
    }
}

/// One operation to interrupt: the folder it starts from, its arguments, the contents before and
/// after, and how long it takes when left alone.
struct Operation {
    name: &'static str,
    start: PathBuf,
    args: Vec<String>,
    before: Contents,
    after: Contents,
    takes: Duration,
}

fn operation(
    bin: &Path,
    work: &Path,
    name: &'static str,
    start: &Path,
    args: Vec<String>,
) -> (Operation, PathBuf) {
    let done = work.join(format!("{name}-done"));
    copy_dir(start, &done);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let began = Instant::now();
    run_ok(bin, &done, &argv);
    let takes = began.elapsed();
    let op = Operation {
        name,
        start: start.to_owned(),
        before: contents(&start.join("hearth.db")),
        after: contents(&done.join("hearth.db")),
        args,
        takes,
    };
    assert!(op.before != op.after, "{name} changes something");
    (op, done)
}

/// xorshift64*: the kill moments, reproducible from the seed.
struct Moments(u64);

impl Moments {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn a_killed_import_undo_or_merge_leaves_the_state_before_or_after() {
    let kills = env_number("HEARTH_CRASH_KILLS", 20);
    let seed = env_number("HEARTH_CRASH_SEED", 15).max(1);
    let work = tempfile::tempdir().unwrap();
    let work = work.path();
    let bin = binary(work);

    // The community, and a list of 3,000 people to import (every tenth already a member).
    let base = work.join("base");
    run_ok(&bin, &base, &["demo", "--members", "300", "--seed", "5"]);
    let list = work.join("people.csv");
    let mut csv = String::from("姓名,手机,标签\n");
    for i in 0..3000 {
        csv.push_str(&format!("导入成员{i},1390000{i:04},crash-test\n"));
    }
    fs::write(&list, csv).unwrap();

    let (import, imported) = operation(
        &bin,
        work,
        "import",
        &base,
        vec!["import".into(), list.display().to_string()],
    );
    let batch: i64 = rusqlite::Connection::open(imported.join("hearth.db"))
        .unwrap()
        .query_row("SELECT max(id) FROM import_batches", [], |r| r.get(0))
        .unwrap();
    let (undo, _) = operation(
        &bin,
        work,
        "undo",
        &imported,
        vec!["import".into(), "--undo".into(), batch.to_string()],
    );
    // The two members with the most activities: merging them moves the most rows.
    let busiest: Vec<i64> = rusqlite::Connection::open(base.join("hearth.db"))
        .unwrap()
        .prepare(
            "SELECT member_id FROM activities GROUP BY member_id ORDER BY count(*) DESC, member_id
             LIMIT 2",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (merge, _) = operation(
        &bin,
        work,
        "merge",
        &base,
        vec![
            "members".into(),
            "merge".into(),
            busiest[0].to_string(),
            busiest[1].to_string(),
        ],
    );
    let operations = [import, undo, merge];

    let mut moments = Moments(seed);
    // Per operation: killed with the state before, killed with the state after, finished first.
    let mut tally = [[0u32; 3]; 3];
    for trial in 0..kills {
        let which = (trial % 3) as usize;
        let op = &operations[which];
        let dir = work.join("trial");
        let _ = fs::remove_dir_all(&dir);
        copy_dir(&op.start, &dir);
        // Anywhere from the start of the process to a little past its usual end.
        let window = op.takes.as_micros() as u64 * 11 / 10;
        let wait = Duration::from_micros(moments.next() % window.max(1));
        let args: Vec<&str> = op.args.iter().map(String::as_str).collect();
        let mut child = hearth(&bin, &dir, &args).spawn().unwrap();
        std::thread::sleep(wait);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        let db = dir.join("hearth.db");
        if let Err(e) = healthy(&db) {
            panic!("trial {trial} ({}, killed after {wait:?}): {e}", op.name);
        }
        let now = contents(&db);
        let outcome = if finished {
            assert!(
                now == op.after,
                "trial {trial}: {} finished but differs",
                op.name
            );
            2
        } else if now == op.before {
            0
        } else if now == op.after {
            1
        } else {
            let differs: Vec<&str> = now
                .iter()
                .zip(&op.before)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| a.0.as_str())
                .collect();
            panic!(
                "trial {trial} ({}, killed after {wait:?}): neither before nor after; tables {differs:?}",
                op.name
            );
        };
        tally[which][outcome] += 1;
        if (trial + 1) % 100 == 0 {
            eprintln!(
                "crash test: {} kills, all before or after: {tally:?}",
                trial + 1
            );
        }
    }
    for (op, t) in operations.iter().zip(tally) {
        eprintln!(
            "crash test {:<6} ({:>5} ms alone): {:>4} killed before it landed, {:>4} killed after, {:>4} finished first",
            op.name,
            op.takes.as_millis(),
            t[0],
            t[1],
            t[2]
        );
    }
    let landed_either_way: u32 = tally.iter().map(|t| t[0] + t[1] + t[2]).sum();
    assert_eq!(u64::from(landed_either_way), kills);
}
