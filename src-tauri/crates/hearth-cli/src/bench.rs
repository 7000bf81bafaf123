//! `hearth bench`: the store's speed on a fresh temporary database, as medians and p95 over
//! repeated runs. Numbers go in issue notes, never into test assertions.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hearth_core::demo::{self, LoadDemo};
use hearth_core::domain::MemberSort;
use hearth_core::io::export::{CsvEncoding, ExportFormat};
use hearth_core::ops::export::{export_members, ExportMembers, ExportScope};
use hearth_core::ops::import::{self, ImportOptions};
use hearth_core::ops::members::{self, BulkTag, FindDuplicates, ListMembers};
use hearth_core::{Ctx, Error, SystemClock};

/// Import and export of a member list of `rows` rows: export a demo community to CSV and XLSX,
/// preview and apply the CSV into an empty database, then again into the full one (every row an
/// update), with the process's peak memory.
pub fn run_files(rows: u32) -> Result<(), Error> {
    let source_dir = tempfile::tempdir()?;
    let source = Ctx::open_in_dir(source_dir.path(), Arc::new(SystemClock))?;
    demo::load(
        &source,
        LoadDemo {
            members: rows,
            seed: 42,
        },
    )?;
    let csv = source_dir.path().join("members.csv");
    let xlsx = source_dir.path().join("members.xlsx");
    for (path, format) in [(&csv, ExportFormat::Csv), (&xlsx, ExportFormat::Xlsx)] {
        let started = Instant::now();
        let out = export_members(
            &source,
            &ExportMembers {
                path: path.display().to_string(),
                format,
                scope: ExportScope::All,
                columns: Vec::new(),
                csv_encoding: CsvEncoding::Utf8Bom,
                chinese_headers: true,
                neutralise_formulas: true,
                include_custom: true,
            },
            &|_, _| {},
            &AtomicBool::new(false),
        )?;
        println!(
            "export {} members to {:?}: {:.2} s ({:.1} MB)",
            out.members,
            format,
            started.elapsed().as_secs_f64(),
            std::fs::metadata(path)?.len() as f64 / 1e6
        );
    }
    let target_dir = tempfile::tempdir()?;
    let target = Ctx::open_in_dir(target_dir.path(), Arc::new(SystemClock))?;
    let options = ImportOptions {
        path: csv.display().to_string(),
        ..Default::default()
    };
    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let plan = import::preview(&target, &options)?;
    println!(
        "preview (dry run) {} rows into an empty database: {:.2} s ({} new, {} invalid)",
        plan.counts.rows,
        started.elapsed().as_secs_f64(),
        plan.counts.create,
        plan.counts.invalid
    );
    let started = Instant::now();
    let out = import::apply(&target, &options, &|_| {}, &cancel)?;
    println!(
        "apply {} rows (one transaction): {:.2} s ({} new, {} merged)",
        out.counts.rows,
        started.elapsed().as_secs_f64(),
        out.counts.create,
        out.counts.merge
    );
    let started = Instant::now();
    let again = import::apply(&target, &options, &|_| {}, &cancel)?;
    println!(
        "apply the same file again (every row matched, fill empty): {:.2} s ({} updated)",
        started.elapsed().as_secs_f64(),
        again.counts.update
    );
    let started = Instant::now();
    let undone = import::undo(&target, again.batch_id)?;
    println!(
        "undo that import ({} members restored): {:.2} s",
        undone.restored,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let undone = import::undo(&target, out.batch_id)?;
    println!(
        "undo the first import ({} members removed): {:.2} s",
        undone.removed,
        started.elapsed().as_secs_f64()
    );
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "peak resident memory of the whole run: {}",
                peak.trim_start_matches("VmHWM:").trim()
            );
        }
    }
    Ok(())
}

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
    // Searches scan an in-memory copy of the haystacks that any commit invalidates: the first
    // search after a write (an edit, a check-in) rereads it. Only the search is timed.
    let mut after_write = Vec::new();
    for i in 0..runs.clamp(1, 20) {
        let tag = vec!["bench-touch".to_owned()];
        let (add, remove) = if i % 2 == 0 {
            (tag, vec![])
        } else {
            (vec![], tag)
        };
        members::bulk_tag(
            &ctx,
            BulkTag {
                ids: vec![1],
                add,
                remove,
                expires_on: None,
            },
        )?;
        let t = Instant::now();
        members::list(&ctx, query(Some(needles[i % needles.len()]), 0))?;
        after_write.push(t.elapsed());
    }
    after_write.sort();
    println!(
        "first search after a write (copy reread): median {:.2} ms, max {:.2} ms ({} runs)",
        after_write[after_write.len() / 2].as_secs_f64() * 1e3,
        after_write[after_write.len() - 1].as_secs_f64() * 1e3,
        after_write.len()
    );
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
            expires_on: None,
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
        ..Default::default()
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

/// Events at scale: `members` demo members, 1,000 of them registered for one event; the door's
/// search + check-in per person, the door's walk-in lookup, and the printed sheets for 1,000.
pub fn run_events(members: u32, runs: usize) -> Result<(), Error> {
    use hearth_core::domain::{EventDraft, EventMode, EventStatus};
    use hearth_core::ops::events::{self, door, print, registrations};
    use hearth_core::print::{CjkFont, PrintKind, PrintOptions};

    let dir = tempfile::tempdir()?;
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(SystemClock))?;
    let started = Instant::now();
    demo::load(&ctx, LoadDemo { members, seed: 42 })?;
    println!(
        "demo community of {members} members: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let event = events::create(
        &ctx,
        EventDraft {
            title: "年终社群聚会 2026".into(),
            mode: EventMode::Offline,
            starts_local: "2026-12-19T18:00".into(),
            ends_local: "2026-12-19T22:00".into(),
            time_zone: "Asia/Shanghai".into(),
            venue: "徐汇滨江 西岸艺术中心 A 厅".into(),
            link: String::new(),
            capacity: Some(1000),
            notes: String::new(),
            campaign: String::new(),
            status: EventStatus::Open,
        },
    )?;
    let step = (members / 1000).max(1);
    let ids: Vec<i64> = (0..1000.min(members))
        .map(|i| i64::from(1 + i * step))
        .collect();
    let started = Instant::now();
    let out = registrations::register(
        &ctx,
        registrations::Register {
            event_id: event.id,
            member_ids: ids,
            companions: 0,
            note: String::new(),
        },
    )?;
    println!(
        "register {} members for one event (one transaction): {:.0} ms",
        out.registered,
        started.elapsed().as_secs_f64() * 1e3
    );
    let font = CjkFont::locate(None)?;
    for kind in [PrintKind::SignIn, PrintKind::Roster, PrintKind::Badges] {
        let path = dir.path().join(format!("{kind:?}.pdf"));
        let request = print::PrintRequest {
            event_id: event.id,
            options: PrintOptions {
                kind,
                ..PrintOptions::default()
            },
            order: registrations::RosterOrder::Pinyin,
        };
        let started = Instant::now();
        let printed = print::render(&ctx, &request, &font, &path)?;
        println!(
            "{kind:?} PDF for {} registrants: {:.0} ms ({} pages, {} KB)",
            printed.people,
            started.elapsed().as_secs_f64() * 1e3,
            printed.pages,
            printed.bytes / 1024
        );
    }
    let regs = registrations::list(&ctx, event.id, None, registrations::RosterOrder::Registered)?;
    let with_phone: Vec<_> = regs.iter().filter(|r| r.phone.is_some()).collect();
    report(
        "door: search by phone last four + check in",
        runs.min(with_phone.len()),
        |i| {
            let r = with_phone[i];
            let phone = r.phone.as_deref().unwrap_or_default();
            let found = door::search(&ctx, event.id, &phone[phone.len() - 4..])?;
            let hit = found
                .registrations
                .iter()
                .find(|x| x.id == r.id)
                .map(|x| x.member_id)
                .unwrap_or(r.member_id);
            door::check_in(
                &ctx,
                door::CheckIn {
                    event_id: event.id,
                    member_id: hit,
                    walk_in: false,
                    reinstate: false,
                    over_capacity: false,
                },
            )
            .map(|_| ())
        },
    )?;
    report("door: search by pinyin initials \"zw\"", runs, |_| {
        door::search(&ctx, event.id, "zw").map(|_| ())
    })?;
    report(
        "door: walk-in lookup of an unregistered member's phone tail",
        runs,
        |i| {
            let digits = format!("{:04}", (i * 7919) % 10_000);
            door::others(&ctx, event.id, &digits).map(|_| ())
        },
    )?;
    Ok(())
}

/// The engagement engine at scale: `members` demo members, then `activities` activities spread
/// over the last year, logged in bulk with `log_many` (batches of 100,000 rows, one transaction
/// each: caps, points, and the lifecycle refresh of every member touched), one quick log of a
/// single activity (with its lifecycle refresh), a member's points/level/stage, stage counts, the
/// slipping list, the 30-day leaderboard, and the full lifecycle recompute: right after (nothing
/// to change) and as if run 30 days later (stages move, rows are rewritten).
pub fn run_engagement(
    members: u32,
    activities: u32,
    runs: usize,
    keep: Option<&std::path::Path>,
) -> Result<(), Error> {
    use chrono::Duration as Days;
    use hearth_core::ops::engagement::{self, LogActivities, NewLog, Window};
    use hearth_core::ops::lifecycle::{self, Slipping};
    use hearth_core::store::Store;
    use hearth_core::{Clock, FixedClock};

    let dir = tempfile::tempdir()?;
    let ctx = Ctx::open_in_dir(keep.unwrap_or(dir.path()), Arc::new(SystemClock))?;
    let started = Instant::now();
    demo::load(&ctx, LoadDemo { members, seed: 42 })?;
    println!(
        "demo community of {members} members (a year of activity for the first 5,000): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let kinds: Vec<&str> = [
        ("spoke", 10),
        ("checkin", 6),
        ("answered", 3),
        ("shared", 2),
        ("invited", 1),
    ]
    .into_iter()
    .flat_map(|(k, n)| std::iter::repeat_n(k, n))
    .collect();
    let now = SystemClock.now();
    // SplitMix64, as the demo: the same activities every run.
    let mut state = 42u64;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let members = members.max(1);
    let (each, extra) = (activities / members, activities % members);
    let mut batch: Vec<NewLog> = Vec::with_capacity(100_000);
    let mut logged = 0u64;
    let mut in_log_many = std::time::Duration::ZERO;
    let mut flush = |batch: &mut Vec<NewLog>| -> Result<(), Error> {
        let t = Instant::now();
        engagement::log_many(&ctx, std::mem::take(batch))?;
        in_log_many += t.elapsed();
        Ok(())
    };
    for m in 1..=members {
        let n = each + u32::from(m <= extra);
        for _ in 0..n {
            let r = next();
            batch.push(NewLog {
                member_id: i64::from(m),
                kind: kinds[(r % kinds.len() as u64) as usize].to_owned(),
                occurred_at: now - Days::minutes(((r >> 16) % (365 * 24 * 60)) as i64),
                note: String::new(),
                source: "bench".into(),
                reference: String::new(),
            });
        }
        logged += u64::from(n);
        if batch.len() >= 100_000 {
            flush(&mut batch)?;
        }
    }
    if !batch.is_empty() {
        flush(&mut batch)?;
    }
    let secs = in_log_many.as_secs_f64();
    println!(
        "log_many {logged} activities over a year, batches of 100,000 (caps, points, lifecycle \
         refresh): {secs:.1} s ({:.0} rows/s)",
        logged as f64 / secs
    );
    report(
        "quick log of one activity (caps, points, lifecycle refresh)",
        runs,
        |i| {
            engagement::log(
                &ctx,
                LogActivities {
                    member_ids: vec![1 + (i as i64 * 7919) % i64::from(members)],
                    kind: "spoke".into(),
                    occurred_at: None,
                    note: String::new(),
                },
            )
            .map(|_| ())
        },
    )?;
    report("a member's points, level and stage", runs, |i| {
        engagement::of_member(&ctx, 1 + (i as i64 * 104_729) % i64::from(members)).map(|_| ())
    })?;
    report("members per stage", runs.min(20), |_| {
        lifecycle::counts(&ctx).map(|_| ())
    })?;
    report("slipping members (top 20)", runs.min(20), |_| {
        lifecycle::slipping(
            &ctx,
            Slipping {
                days: 14,
                limit: 20,
            },
        )
        .map(|_| ())
    })?;
    for (name, window) in [
        ("7-day leaderboard (top 20)", Window::Days7),
        ("30-day leaderboard (top 20)", Window::Days30),
        ("all-time leaderboard (top 20)", Window::AllTime),
    ] {
        report(name, runs.min(20), |_| {
            engagement::leaderboard(&ctx, window, 20).map(|_| ())
        })?;
    }
    let recompute = |ctx: &Ctx, what: &str| -> Result<(), Error> {
        let started = Instant::now();
        let r = lifecycle::recompute(ctx)?;
        println!(
            "full recompute {what}: {:.2} s ({} members, {} activities, {} rows written, {} promoted, {} demoted)",
            started.elapsed().as_secs_f64(),
            r.members,
            r.activities,
            r.written,
            r.promoted,
            r.demoted
        );
        Ok(())
    };
    campaigns(&ctx, runs)?;
    recompute(&ctx, "right after (nothing to change)")?;
    let month_later = Ctx::new(
        Store::open(ctx.store.path())?,
        Arc::new(FixedClock(now + Days::days(30))),
    );
    recompute(&month_later, "30 days later (stages move)")?;
    recompute(&month_later, "again the same day")?;
    run_dashboards(&ctx, runs.min(20))?;
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "peak resident memory of the whole run: {}",
                peak.trim_start_matches("VmHWM:").trim()
            );
        }
    }
    Ok(())
}

/// Snapshots and checks on a large database: `members` demo members and `activities` more
/// activities spread over them. Times the verified snapshot (copy + integrity_check), the
/// start-up quick_check, opening as the app does, the full check and a full export.
pub fn run_snapshots(members: u32, activities: u32) -> Result<(), Error> {
    use hearth_core::ops::engagement::{self, NewLog};
    use hearth_core::ops::{archive, opening, snapshots};
    use hearth_core::{domain::SnapshotReason, Clock};

    let dir = tempfile::tempdir()?;
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(SystemClock))?;
    let started = Instant::now();
    demo::load(&ctx, LoadDemo { members, seed: 42 })?;
    let kinds = ["spoke", "checkin", "answered", "shared"];
    let now = SystemClock.now();
    let mut state = 7u64;
    let mut batch: Vec<NewLog> = Vec::with_capacity(100_000);
    for i in 0..activities {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let r = state >> 16;
        batch.push(NewLog {
            member_id: i64::from(i % members.max(1)) + 1,
            kind: kinds[(r % 4) as usize].to_owned(),
            occurred_at: now - chrono::Duration::minutes((r % (365 * 24 * 60)) as i64),
            note: String::new(),
            source: "bench".into(),
            reference: String::new(),
        });
        if batch.len() == 100_000 {
            engagement::log_many(&ctx, std::mem::take(&mut batch))?;
        }
    }
    engagement::log_many(&ctx, batch)?;
    ctx.store.checkpoint()?;
    let size = std::fs::metadata(ctx.store.path())?.len() as i64;
    println!(
        "built {members} members + {activities} activities ({}) in {:.1} s",
        crate::backup::human_size(size),
        started.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let problems = ctx.store.quick_check()?;
    println!(
        "quick_check (start-up): {:.2} s ({} problems)",
        t.elapsed().as_secs_f64(),
        problems.len()
    );
    let t = Instant::now();
    let taken = snapshots::create(&ctx, SnapshotReason::Manual)?;
    println!(
        "verified snapshot (VACUUM INTO + integrity_check): {:.2} s, {} ({})",
        t.elapsed().as_secs_f64(),
        crate::backup::human_size(taken.snapshot.size_bytes),
        if taken.snapshot.verified {
            "verified"
        } else {
            "DAMAGED"
        }
    );
    let t = Instant::now();
    let report = snapshots::check(&ctx)?;
    println!(
        "full check (integrity_check + foreign_key_check): {:.2} s (ok: {})",
        t.elapsed().as_secs_f64(),
        report.ok
    );
    drop(ctx);
    let t = Instant::now();
    let reopened = opening::open(
        dir.path(),
        Arc::new(SystemClock),
        &opening::StartChoice::Ask,
    )?;
    println!(
        "open with the full check first (the CLI; quick_check, pragmas): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(reopened);
    let t = Instant::now();
    let deferred = opening::open_deferring(
        dir.path(),
        Arc::new(SystemClock),
        &opening::StartChoice::Ask,
        opening::CHECK_FIRST_MAX_BYTES,
    )?;
    println!(
        "open as the app does before its window ({}): {:.3} s",
        if deferred.check_pending {
            "header and schema; quick_check deferred"
        } else {
            "quick_check first: under the size limit"
        },
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let late = opening::check_open(&deferred.ctx)?;
    println!(
        "the deferred check after the window (quick_check on its own connection): {:.2} s ({})",
        t.elapsed().as_secs_f64(),
        if late.is_none() { "sound" } else { "DAMAGED" }
    );
    let reopened = deferred.ctx;
    let zip = dir.path().join("everything.zip");
    let t = Instant::now();
    let manifest = archive::export_all(&reopened, &zip)?;
    println!(
        "export-all ({} tables): {:.2} s, {}",
        manifest.tables.len(),
        t.elapsed().as_secs_f64(),
        crate::backup::human_size(std::fs::metadata(&zip)?.len() as i64)
    );
    Ok(())
}

/// The content calendar: the month view (items, overload, gaps, the ideas sidebar) over 50,000
/// items in 30 channels across two years; the .ics text of 10,000 items; a year of weekly slots
/// for 30 channels, expanded (pure) and planned into the database.
pub fn run_content(runs: usize) -> Result<(), Error> {
    use chrono::{Duration as Days, NaiveDate};
    use hearth_core::domain::{ChannelDraft, ChannelKind, ContentDraft, Recurrence, SlotDraft};
    use hearth_core::ops::content::{self, export, slots, CalendarQuery, ContentQuery};

    let dir = tempfile::tempdir()?;
    let ctx = Ctx::open_in_dir(dir.path(), Arc::new(SystemClock))?;
    let channels: Vec<i64> = (0..30)
        .map(|i| {
            content::create_channel(
                &ctx,
                ChannelDraft {
                    name: format!("读书会 {i} 群"),
                    kind: ChannelKind::WechatGroup,
                    colour: String::new(),
                    audience: 300,
                    rules: String::new(),
                    daily_limit: Some(3),
                },
            )
            .map(|c| c.id)
        })
        .collect::<Result<_, _>>()?;
    let start = content::today(&ctx) - Days::days(365);
    let drafts: Vec<ContentDraft> = (0..50_000u32)
        .map(|i| {
            let day = start + Days::days(i64::from(i % 730));
            ContentDraft {
                title: format!("第 {i} 篇：本周共读《三体》进度与讨论"),
                body: "大家好，本周我们读到第三部……".repeat(4),
                channel_ids: vec![channels[(i as usize * 7) % 30]],
                planned_local: format!("{day} {:02}:{:02}", 8 + i % 12, (i * 7) % 60),
                ..Default::default()
            }
        })
        .collect();
    let started = Instant::now();
    content::create_many(&ctx, &drafts)?;
    println!(
        "50,000 content items in one transaction: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let today = content::today(&ctx);
    let first = NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
        1,
    )
    .expect("a month's first day");
    // A month grid: six weeks from the Monday on or before the 1st.
    let monday = first
        - Days::days(i64::from(
            chrono::Datelike::weekday(&first).num_days_from_monday(),
        ));
    let month = CalendarQuery {
        query: ContentQuery {
            from: Some(monday.to_string()),
            to: Some((monday + Days::days(41)).to_string()),
            ..Default::default()
        },
        gap_days: None,
    };
    let shown = content::calendar(&ctx, &month)?.items.len();
    report(
        &format!("month view (6 weeks, {shown} of 50,000 items, overload, gaps, ideas)"),
        runs,
        |_| content::calendar(&ctx, &month).map(|_| ()),
    )?;
    let one_channel = CalendarQuery {
        query: ContentQuery {
            channel_ids: vec![channels[0]],
            ..month.query.clone()
        },
        gap_days: None,
    };
    report("month view filtered to one channel", runs, |_| {
        content::calendar(&ctx, &one_channel).map(|_| ())
    })?;

    // The knowledge library: 2,000 entries (a big library is a few hundred), searched the way
    // the panel does on every keystroke.
    {
        use hearth_core::domain::{LibraryDraft, LibraryKind};
        use hearth_core::ops::content::library::{self, LibraryQuery};
        for i in 0..2_000u32 {
            library::create(
                &ctx,
                LibraryDraft {
                    kind: if i % 3 == 0 {
                        LibraryKind::Faq
                    } else {
                        LibraryKind::Evergreen
                    },
                    title: format!("第 {i} 条：活动怎么报名？积分怎么算？"),
                    body: "在群里接龙报名；签到 1 分，线下活动 10 分。".repeat(6),
                    tags: vec![format!("标签{}", i % 40), "群规".into()],
                    channel_id: Some(channels[i as usize % 30]),
                },
            )?;
        }
        for text in ["", "报名", "标签7 接龙", "不存在的词"] {
            let query = LibraryQuery {
                text: text.into(),
                kind: None,
            };
            let n = library::list(&ctx, &query)?.len();
            report(
                &format!("library search “{text}” over 2,000 entries ({n} found)"),
                runs,
                |_| library::list(&ctx, &query).map(|_| ()),
            )?;
        }
    }

    let items = content::list(
        &ctx,
        &ContentQuery {
            from: Some(start.to_string()),
            to: Some((start + Days::days(145)).to_string()),
            ..Default::default()
        },
    )?;
    let ten_k: Vec<_> = items.iter().take(10_000).collect();
    let mut bytes = 0;
    report(
        &format!(".ics text of {} items", ten_k.len()),
        runs.min(20),
        |_| {
            bytes = export::ics_text(&ctx, &ten_k)?.len();
            Ok(())
        },
    )?;
    println!("  ({:.1} MB)", bytes as f64 / 1e6);
    let ics = dir.path().join("plan.ics");
    let query = ContentQuery {
        from: Some(start.to_string()),
        to: Some((start + Days::days(145)).to_string()),
        ..Default::default()
    };
    report(
        ".ics file of the same 10,000 (query + write)",
        runs.min(20),
        |_| {
            export::export(
                &ctx,
                &export::ExportContent {
                    path: ics.display().to_string(),
                    query: query.clone(),
                },
            )
            .map(|_| ())
        },
    )?;

    let slot_list: Vec<hearth_core::domain::ContentSlot> = channels
        .iter()
        .enumerate()
        .map(|(i, c)| hearth_core::domain::ContentSlot {
            id: i as i64,
            channel_id: *c,
            title: "每周分享".into(),
            recurrence: Recurrence::Weekly {
                weekdays: vec![(i % 7) as u8, ((i + 3) % 7) as u8],
            },
            time: "20:00".into(),
            time_zone: "Asia/Shanghai".into(),
            starts_on: today.to_string(),
            ends_on: None,
        })
        .collect();
    let year_end = today + Days::days(364);
    let mut n = 0;
    report(
        "expand a year of weekly slots (2 days a week) for 30 channels",
        runs,
        |_| {
            n = slot_list
                .iter()
                .map(|s| slots::occurrences(s, today, year_end).len())
                .sum();
            Ok(())
        },
    )?;
    println!("  ({n} occurrences)");
    for s in &slot_list {
        slots::create(
            &ctx,
            SlotDraft {
                channel_id: s.channel_id,
                title: s.title.clone(),
                recurrence: s.recurrence.clone(),
                time: s.time.clone(),
                time_zone: s.time_zone.clone(),
                starts_on: s.starts_on.clone(),
                ends_on: None,
            },
        )?;
    }
    let started = Instant::now();
    let planned = slots::plan_ahead(&ctx, slots::PlanAhead { days: Some(365) })?;
    println!(
        "plan a year of those slots into the database: {:.0} ms ({planned} new items)",
        started.elapsed().as_secs_f64() * 1e3
    );
    let started = Instant::now();
    let again = slots::plan_ahead(&ctx, slots::PlanAhead { days: Some(365) })?;
    println!(
        "plan the same year again (nothing new): {:.0} ms ({again} new items)",
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// The plan's goals (the demo's classic four) evaluated together and one by one, and the report
/// of the running demo campaign as a PDF.
fn campaigns(ctx: &Ctx, runs: usize) -> Result<(), Error> {
    use hearth_core::ops::campaigns;
    use hearth_core::print::{CjkFont, PrintLang};

    let runs = runs.min(20);
    let plan = campaigns::plan(ctx)?;
    report(
        &format!(
            "the plan: all {} goals evaluated together",
            plan.goals.len()
        ),
        runs,
        |_| campaigns::plan(ctx).map(|_| ()),
    )?;
    for g in &plan.goals {
        report(
            &format!("goal #{} ({})", g.goal.id, g.goal.metric.key()),
            runs,
            |_| campaigns::goal(ctx, g.goal.id).map(|_| ()),
        )?;
    }
    for g in &plan.goals {
        report(
            &format!(
                "members behind goal #{} ({}), first 50 of {}",
                g.goal.id,
                g.goal.metric.key(),
                g.members
            ),
            runs,
            |_| campaigns::goal_members_page(ctx, g.goal.id, 0, 50).map(|_| ()),
        )?;
    }
    if let (Ok(font), Some(c)) = (CjkFont::locate(None), campaigns::list(ctx)?.first()) {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("report.pdf");
        report("campaign report PDF", runs.min(5), |_| {
            campaigns::report::render(ctx, c.id, PrintLang::Zh, &font, &out).map(|_| ())
        })?;
    }
    Ok(())
}

/// The dashboards over the community `run_engagement` built (or any, `--dashboards`): each
/// tile alone and the whole dashboard for the last 30 days and the last year, the members behind
/// a month's active number, the leaderboards, each chart, last month's report as a PDF, and a
/// rebuild of the rollups from the ledger.
pub fn run_dashboards(ctx: &Ctx, runs: usize) -> Result<(), Error> {
    use chrono::Datelike;
    use hearth_core::domain::Drill;
    use hearth_core::ops::dashboard::{self, ChartRequest, MetricsQuery, Tile};
    use hearth_core::ops::engagement::{self, Window};
    use hearth_core::print::chart::ChartTheme;
    use hearth_core::print::{CjkFont, PrintLang};
    use hearth_core::Clock;

    let today = SystemClock.today();
    let year = MetricsQuery {
        from: Some((today - chrono::Duration::days(364)).to_string()),
        to: Some(today.to_string()),
        ..MetricsQuery::default()
    };
    for (label, query) in [("30 days", MetricsQuery::default()), ("a year", year)] {
        for tile in Tile::ALL {
            report(&format!("dashboard tile {tile:?} ({label})"), runs, |_| {
                dashboard::metrics_of(ctx, query.clone(), &[tile]).map(|_| ())
            })?;
        }
        report(
            &format!("whole dashboard with the previous period ({label})"),
            runs,
            |_| {
                dashboard::metrics(
                    ctx,
                    MetricsQuery {
                        compare: true,
                        ..query.clone()
                    },
                )
                .map(|_| ())
            },
        )?;
    }
    let month = Drill::Active {
        from: (today - chrono::Duration::days(29)).to_string(),
        to: today.to_string(),
    };
    report("members behind the 30-day active number", runs, |_| {
        dashboard::members_behind(ctx, month.clone()).map(|_| ())
    })?;
    for (name, window) in [
        ("7-day leaderboard (top 20)", Window::Days7),
        ("30-day leaderboard (top 20)", Window::Days30),
        ("all-time leaderboard (top 20)", Window::AllTime),
    ] {
        report(name, runs, |_| {
            engagement::leaderboard(ctx, window, 20).map(|_| ())
        })?;
    }
    match CjkFont::locate(None) {
        Ok(font) => {
            for name in dashboard::CHARTS {
                report(&format!("chart {name} (30 days, SVG)"), runs, |_| {
                    dashboard::chart(
                        ctx,
                        &ChartRequest {
                            name: name.to_owned(),
                            from: None,
                            to: None,
                            theme: ChartTheme::Light,
                            lang: PrintLang::Zh,
                            segment: None,
                        },
                        &font,
                    )
                    .map(|_| ())
                })?;
            }
            let dir = tempfile::tempdir()?;
            let out = dir.path().join("monthly.pdf");
            let last_month = (today.with_day(1).unwrap_or(today) - chrono::Duration::days(1))
                .format("%Y-%m")
                .to_string();
            report(
                &format!("monthly report PDF ({last_month})"),
                runs.min(5),
                |_| {
                    dashboard::monthly_report(ctx, &last_month, PrintLang::Zh, &font, &out)
                        .map(|_| ())
                },
            )?;
        }
        Err(e) => println!("charts and the report not measured: {}", e.message),
    }
    let started = Instant::now();
    let rebuilt = dashboard::rebuild(ctx)?;
    println!(
        "rollups rebuilt from the ledger: {:.2} s ({} member-days, {} days, {} rows were off)",
        started.elapsed().as_secs_f64(),
        rebuilt.member_days,
        rebuilt.days,
        rebuilt.rows_off
    );
    Ok(())
}
