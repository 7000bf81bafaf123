//! `hearth bench --import ROWS`: the import benchmark, side by side with sqlite3.
//!
//! Two GBK CSV files of ROWS rows and 12 columns, written here from a fixed pattern (fictional
//! people): the first fills an empty database; the second starts halfway through the first, so
//! half of its rows update existing members (matched by phone) and half are new. Each step is
//! timed, and `sqlite3 :memory: '.import'` of the same file is timed beside it (when the
//! `sqlite3` command is installed), so the ratio the issue asks for (≤ 10×) can be read off.
//! Numbers go in issue notes, never into test assertions.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use hearth_core::domain::MemberSort;
use hearth_core::ops::import::{self, ImportOptions};
use hearth_core::ops::members::{self, ListMembers};
use hearth_core::{Ctx, Error, ErrorCode, SystemClock};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "晨", "宇", "欣", "浩", "婷", "雪", "博", "思远",
];
const CITIES: &[&str] = &[
    "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州",
];

/// Line `i` of the benchmark's files: 12 columns, every value valid, no two people sharing a
/// contact. `round` changes the city, tag and note, so a second file really updates.
fn person(i: u32, round: u32) -> String {
    let name = format!(
        "{}{}{}",
        SURNAMES[(i as usize) % SURNAMES.len()],
        GIVEN[(i as usize / SURNAMES.len()) % GIVEN.len()],
        if i.is_multiple_of(3) {
            GIVEN[(i as usize / 7) % GIVEN.len()]
        } else {
            ""
        }
    );
    let city = CITIES[((i + round) as usize) % CITIES.len()];
    format!(
        "{name},139{i:08},m{i}@example.com,wx_bench_{i},{qq},{gender},{city},{year}-{month:02}-{day:02},2024-{jm:02}-{jd:02} 10:{min:02},第{round}期;{tag},第{round}次导入的备注 {i},{role}\r\n",
        qq = 100_000 + u64::from(i),
        gender = if i.is_multiple_of(2) { "女" } else { "男" },
        year = 1970 + i % 35,
        month = 1 + i % 12,
        day = 1 + i % 28,
        jm = 1 + i % 12,
        jd = 1 + (i / 12) % 28,
        min = i % 60,
        tag = ["读书会", "志愿者", "讲者", "新人"][(i % 4) as usize],
        role = if i.is_multiple_of(50) { "群管理" } else { "" },
    )
}

/// Writes people `from..from + rows` in GBK (as Excel on Chinese Windows saves CSV).
fn write_gbk(path: &Path, from: u32, rows: u32, round: u32) -> Result<(), Error> {
    let mut text =
        String::from("姓名,手机,邮箱,微信号,QQ,性别,城市,生日,加入时间,标签,备注,角色\r\n");
    for i in from..from + rows {
        text.push_str(&person(i, round));
    }
    let (bytes, _, lossy) = encoding_rs::GBK.encode(&text);
    if lossy {
        return Err(Error::new(
            ErrorCode::Io,
            "the benchmark's names must all exist in GBK",
        ));
    }
    std::fs::write(path, bytes)?;
    Ok(())
}

/// Seconds `sqlite3 :memory: '.import --csv FILE t'` takes, or `None` without the command.
fn sqlite3_import(path: &Path) -> Option<f64> {
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg(":memory:")
        .arg(format!(".import --csv {} t", path.display()))
        .status()
        .ok()?;
    status.success().then(|| started.elapsed().as_secs_f64())
}

fn beside(hearth: f64, sqlite: Option<f64>) -> String {
    match sqlite {
        Some(s) if s > 0.0 => format!(
            "{hearth:.2} s   (sqlite3 .import {s:.2} s, {:.1}×)",
            hearth / s
        ),
        _ => format!("{hearth:.2} s   (sqlite3 not installed)"),
    }
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn search_ms(ctx: &Ctx, query: &str) -> Result<(f64, u32), Error> {
    let started = Instant::now();
    let page = members::list(
        ctx,
        ListMembers {
            search: Some(query.to_owned()),
            sort: MemberSort::Name,
            descending: false,
            offset: 0,
            limit: 50,
            filter: None,
            segment: None,
        },
    )?;
    Ok((started.elapsed().as_secs_f64() * 1e3, page.total))
}

pub fn run(rows: u32) -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let first = dir.path().join("first-gbk.csv");
    let second = dir.path().join("second-gbk.csv");
    write_gbk(&first, 0, rows, 1)?;
    write_gbk(&second, rows / 2, rows, 2)?;
    println!(
        "files: {rows} rows × 12 columns in GBK ({:.1} MB each); the second updates {} members and adds {}",
        std::fs::metadata(&second)?.len() as f64 / 1e6,
        rows - rows / 2,
        rows / 2
    );
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(SystemClock))?;
    let cancel = AtomicBool::new(false);
    let options = |path: &Path| ImportOptions {
        path: path.display().to_string(),
        ..Default::default()
    };

    let started = Instant::now();
    let out = import::apply(&ctx, &options(&first), &|_| {}, &cancel)?;
    println!(
        "apply {} rows into an empty database: {}   ({} new, {} flagged)",
        out.counts.rows,
        beside(started.elapsed().as_secs_f64(), sqlite3_import(&first)),
        out.counts.create,
        out.counts.flagged
    );
    let sqlite = sqlite3_import(&second);
    let started = Instant::now();
    let plan = import::preview(&ctx, &options(&second))?;
    println!(
        "preview {} rows ({} updates, {} new): {}",
        plan.counts.rows,
        plan.counts.update,
        plan.counts.create,
        beside(started.elapsed().as_secs_f64(), sqlite)
    );
    let started = Instant::now();
    let out = import::apply(&ctx, &options(&second), &|_| {}, &cancel)?;
    println!(
        "apply {} rows ({} updates, {} new): {}",
        out.counts.rows,
        out.counts.update,
        out.counts.create,
        beside(started.elapsed().as_secs_f64(), sqlite)
    );
    let (first_ms, found) = search_ms(&ctx, "139000")?;
    let (next_ms, _) = search_ms(&ctx, "139001")?;
    println!(
        "the first search after the import: {first_ms:.1} ms ({found} found); the next: {next_ms:.1} ms"
    );
    let started = Instant::now();
    let undone = import::undo(&ctx, out.batch_id)?;
    println!(
        "undo it ({} removed, {} restored): {:.2} s",
        undone.removed,
        undone.restored,
        started.elapsed().as_secs_f64()
    );
    let (after_undo_ms, _) = search_ms(&ctx, "139002")?;
    println!("the first search after the undo: {after_undo_ms:.1} ms");
    println!("peak resident memory of the whole run: {}", peak_memory());
    Ok(())
}
