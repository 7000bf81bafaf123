//! `hearth bench`: the store's speed on a fresh temporary database, as medians and p95 over
//! repeated runs. Numbers go in issue notes, never into test assertions.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::demo::{self, LoadDemo};
use hearth_core::domain::MemberSort;
use hearth_core::ops::members::{self, BulkTag, FindDuplicates, ListMembers};
use hearth_core::{Ctx, Error, SystemClock};

pub fn run(members: u32, runs: usize) -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(SystemClock))?;
    let started = Instant::now();
    demo::load(&ctx, LoadDemo { members, seed: 42 })?;
    println!(
        "insert {members} demo members (one transaction): {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let page_count = (members / 200).max(1);
    report("page of 200 rows sorted by name", runs, |i| {
        let offset = (i as u32 * 7919 % page_count) * 200;
        members::list(&ctx, query(None, offset)).map(|_| ())
    })?;
    let needles = ["张伟", "李娜", "王芳", "陈静", "刘洋", "晓东"];
    report(
        "search 2-character Chinese substring (first 200 + total)",
        runs,
        |i| members::list(&ctx, query(Some(needles[i % needles.len()]), 0)).map(|_| ()),
    )?;
    report("search pinyin initials \"zw\"", runs, |_| {
        members::list(&ctx, query(Some("zw"), 0)).map(|_| ())
    })?;
    report("search phone last four digits", runs, |i| {
        let digits = format!("{:04}", (i * 37) % 10_000);
        members::list(&ctx, query(Some(&digits), 0)).map(|_| ())
    })?;
    let started = Instant::now();
    let report_dups = members::find_duplicates(&ctx, FindDuplicates { limit: Some(200) })?;
    println!(
        "duplicate finder over {members} members: {:.2} s ({} pairs)",
        started.elapsed().as_secs_f64(),
        report_dups.total
    );
    let ids: Vec<i64> = (1..=i64::from(members.min(100_000))).collect();
    let started = Instant::now();
    let tagged = members::bulk_tag(
        &ctx,
        BulkTag {
            ids: ids.clone(),
            add: vec!["bench".into()],
            remove: vec![],
        },
    )?;
    println!(
        "bulk-tag {} members (one transaction): {:.2} s",
        tagged.added,
        started.elapsed().as_secs_f64()
    );
    report("full count", runs, |_| {
        members::list(
            &ctx,
            ListMembers {
                limit: 0,
                ..query(None, 0)
            },
        )
        .map(|_| ())
    })?;
    Ok(())
}

fn query(search: Option<&str>, offset: u32) -> ListMembers {
    ListMembers {
        search: search.map(str::to_owned),
        sort: MemberSort::Name,
        descending: false,
        offset,
        limit: 200,
    }
}

fn report(
    what: &str,
    runs: usize,
    mut f: impl FnMut(usize) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for i in 0..runs.max(1) {
        let t = Instant::now();
        f(i)?;
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{what}: median {:.2} ms, p95 {:.2} ms ({} runs)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        times.len()
    );
    Ok(())
}
