// Cold start and memory of the real desktop app on a big database (numbers for issue notes; not a
// test). Usage: node startup-bench.mjs DATA_DIR [runs]. Needs the same Xvfb/D-Bus as the e2e suite.
import { execSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { launch, startDriver, stopDriver } from "./harness.mjs";

const [dataDir, runsArg] = process.argv.slice(2);
if (!dataDir) {
  console.error("usage: node startup-bench.mjs DATA_DIR [runs]");
  process.exit(2);
}
const runs = Number(runsArg ?? 3);

/** RSS in MiB of hearth-desktop and every process under it (the WebKit web and network processes). */
function rssMiB() {
  const ps = execSync("ps -eo pid=,ppid=,rss=,comm=").toString().trim().split("\n");
  const rows = ps.map((l) => l.trim().split(/\s+/)).map(([pid, ppid, rss, comm]) => ({ pid, ppid, rss: Number(rss), comm }));
  const roots = rows.filter((r) => r.comm.startsWith("hearth-desktop"));
  const seen = new Set(roots.map((r) => r.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) if (!seen.has(r.pid) && seen.has(r.ppid)) { seen.add(r.pid); grew = true; }
  }
  // WebKit starts its helpers from the UI process on Linux; count them by name as well.
  for (const r of rows) if (/^WebKit(Web|Network)Pro/.test(r.comm)) seen.add(r.pid);
  return rows.filter((r) => seen.has(r.pid)).reduce((sum, r) => sum + r.rss, 0) / 1024;
}

/** RSS once it has stopped moving: two readings 250 ms apart within 2 MiB (or after 15 s). */
async function steadyRssMiB() {
  const deadline = Date.now() + 15000;
  let last = rssMiB();
  for (;;) {
    await sleep(250);
    const now = rssMiB();
    if (Math.abs(now - last) < 2 || Date.now() > deadline) return now;
    last = now;
  }
}

await startDriver({ HEARTH_DATA_DIR: dataDir });
const times = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const browser = await launch();
  const count = await browser.$("[data-testid=member-count]");
  await count.waitForDisplayed({ timeout: 60000 });
  await browser.waitUntil(async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length > 0, { timeout: 60000 });
  const ms = performance.now() - started;
  times.push(ms);
  console.log(`run ${i + 1}: members board interactive after ${ms.toFixed(0)} ms (${await count.getText()}), RSS of all app processes ${(await steadyRssMiB()).toFixed(0)} MiB`);
  // Scroll deep into the list, wait until the rows there are loaded, then measure memory again.
  await browser.execute(() => { const el = document.querySelector("[data-testid=member-rows]"); el.scrollTop = el.scrollHeight / 2; });
  await browser.waitUntil(
    () =>
      browser.execute(() => {
        const rows = [...document.querySelectorAll("[data-testid=member-rows] [role=row]")];
        const total = Number(document.querySelector("[data-testid=member-count]").dataset.total);
        return rows.length > 0 && rows.every((r) => r.hasAttribute("data-member-id")) && rows.some((r) => Number(r.getAttribute("aria-rowindex")) > total / 3);
      }),
    { timeout: 60000, interval: 100, timeoutMsg: "the rows in the middle did not load" },
  );
  console.log(`        after scrolling to the middle: RSS ${(await steadyRssMiB()).toFixed(0)} MiB`);
  await browser.deleteSession();
}
times.sort((a, b) => a - b);
console.log(`cold start to an interactive Members board: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms over ${runs} runs`);
stopDriver();
