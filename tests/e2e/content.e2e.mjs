// The content calendar end to end on the real binary, one launch: the demo's channels, slots and
// posts are on the month grid → create a recurring slot and see its posts planned → drag a
// planned post to another day with pointer events → mark one posted → keep a published post in
// the knowledge library, find it by search and plan it again → apply an SOP template to an
// event after its preview → delete a post and undo → export the plan as .ics and read it back →
// the views by keyboard (M/W/A, T), in light and dark.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseLanguage, chooseTheme, freshDataDir, launch, root, settled, shot, showBoard, startDriver, stopDriver, textOf, until } from "./harness.mjs";

const dataDir = freshDataDir();
const cli = process.env.HEARTH_CLI ?? join(root, "target/debug/hearth");
const saveDir = mkdtempSync(join(tmpdir(), "hearth-e2e-content-"));
let browser;

before(async () => {
  await startDriver({ HEARTH_DATA_DIR: dataDir, HEARTH_TEST_SAVE_DIR: saveDir, LANG: "zh_CN.UTF-8", LANGUAGE: "zh_CN:zh" });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const click = (selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);
const count = (selector) => browser.execute((sel) => document.querySelectorAll(sel).length, selector);
/** The day cell an item is shown in. */
const dayOf = (id) => browser.execute((i) => document.querySelector(`[data-item-id="${i}"]`)?.closest("[data-day]")?.dataset.day ?? null, id);
const statusOf = (id) => browser.execute((i) => document.querySelector(`[data-item-id="${i}"]`)?.dataset.status ?? null, id);

async function type(selector, value) {
  const input = await browser.$(selector);
  await input.waitForDisplayed({ timeout: 10000 });
  await input.click();
  await input.clearValue();
  await input.setValue(value);
}

test("the demo's content calendar shows channels, planned and published posts and a gap", async () => {
  browser = await launch();
  await (await browser.$("[data-testid=load-demo]")).waitForDisplayed({ timeout: 15000 });
  await click("[data-testid=load-demo]");
  await (await browser.$("[data-testid=member-count]")).waitForDisplayed({ timeout: 30000 });
  await showBoard(browser, "content");
  await (await browser.$("[data-testid=content-board]")).waitForDisplayed({ timeout: 10000 });
  await until(browser, async () => (await count("[data-testid=content-day] [data-testid=content-item]")) > 10, "the month shows posts");
  assert.ok((await count("[data-testid=content-item][data-status=published]")) > 0, "published posts are shown");
  assert.ok((await count("[data-testid=content-item][data-status=planned]")) > 0, "planned posts are shown");
  assert.ok((await count("[data-testid=content-ideas] [data-testid=content-item]")) >= 3, "unscheduled ideas are in the sidebar");
  assert.ok(await (await browser.$("[data-testid=content-gaps]")).isDisplayed(), "the quiet QQ group shows as a gap");
  assert.ok((await count("[data-testid=content-overload]")) >= 1, "the busy day is marked");
  await settled(browser);
  await shot(browser, "content-month");
});

test("create a recurring slot: its posts are planned at once", async () => {
  await click("[data-testid=content-menu]");
  await click("[data-testid=content-slots]");
  await (await browser.$("[data-testid=content-slot-dialog]")).waitForDisplayed({ timeout: 5000 });
  const before = await count("[data-testid=content-slot]");
  await type("[data-testid=slot-title]", "E2E 周四答疑");
  // Thursday, instead of the default Tuesday.
  await click("[data-testid=slot-weekday-1]");
  await click("[data-testid=slot-weekday-3]");
  await type("[data-testid=slot-time]", "21:00");
  await shot(browser, "content-slot-dialog");
  await click("[data-testid=slot-save]");
  await until(browser, async () => (await count("[data-testid=content-slot]")) === before + 1, "the new slot is listed");
  await browser.keys(["Escape"]);
  await until(
    browser,
    () => browser.execute(() => [...document.querySelectorAll("[data-testid=content-day] [data-testid=content-item]")].some((c) => c.textContent.includes("E2E 周四答疑"))),
    "the slot's posts show on the calendar",
  );
  const days = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=content-day] [data-testid=content-item]")]
      .filter((c) => c.textContent.includes("E2E 周四答疑"))
      .map((c) => c.closest("[data-day]").dataset.day),
  );
  for (const d of days) assert.equal(new Date(d + "T00:00:00Z").getUTCDay(), 4, `${d} is a Thursday`);
});

test("drag a planned post to another day with the pointer", async () => {
  // A planned post in the grid's middle weeks (clear of the toasts at the bottom), moved two
  // days along its row.
  const { id, from, to } = await browser.execute(() => {
    const cells = [...document.querySelectorAll("[data-testid=content-day]")];
    const days = cells.map((c) => c.dataset.day);
    for (const cell of cells.slice(14, 28)) {
      const chip = cell.querySelector("[data-testid=content-item][data-status=planned]");
      if (!chip) continue;
      const at = days.indexOf(cell.dataset.day);
      const to = days[at % 7 >= 2 ? at - 2 : at + 2];
      return { id: chip.dataset.itemId, from: cell.dataset.day, to };
    }
    return {};
  });
  assert.ok(id, "a planned post in the middle weeks");
  const chip = await browser.$(`[data-item-id="${id}"]`);
  const cell = await browser.$(`[data-testid=content-day][data-day="${to}"]`);
  await chip.scrollIntoView({ block: "center" });
  const a = await chip.getLocation();
  const sa = await chip.getSize();
  const b = await cell.getLocation();
  const sb = await cell.getSize();
  const start = { x: Math.round(a.x + sa.width / 2), y: Math.round(a.y + sa.height / 2) };
  const end = { x: Math.round(b.x + sb.width / 2), y: Math.round(b.y + sb.height / 2) };
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: start.x, y: start.y })
    .down({ button: 0 })
    .move({ x: start.x + 10, y: start.y + 6, duration: 50 })
    .move({ x: Math.round((start.x + end.x) / 2), y: Math.round((start.y + end.y) / 2), duration: 100 })
    .move({ x: end.x, y: end.y, duration: 100 })
    .up({ button: 0 })
    .perform();
  await until(browser, async () => (await dayOf(id)) === to, `post ${id} moved from ${from} to ${to}`);
  await settled(browser);
  await shot(browser, "content-dragged");
});

test("mark a post posted, with its link", async () => {
  const id = await browser.execute(() => {
    const cells = [...document.querySelectorAll("[data-testid=content-day]")].slice(7, 28);
    return cells.map((c) => c.querySelector("[data-testid=content-item][data-status=planned]")).find(Boolean).dataset.itemId;
  });
  await (await browser.$(`[data-item-id="${id}"]`)).click();
  await (await browser.$("[data-testid=content-item-dialog]")).waitForDisplayed({ timeout: 5000 });
  await shot(browser, "content-item-dialog");
  await click("[data-testid=content-mark-posted]");
  await (await browser.$("[data-testid=content-posted-dialog]")).waitForDisplayed({ timeout: 5000 });
  await type("[data-testid=content-posted-link]", "https://mp.weixin.qq.com/s/e2e");
  await click("[data-testid=content-posted-save]");
  await until(browser, async () => (await statusOf(id)) === "published", `post ${id} is published`);
});

test("export the plan as .ics and read it back", async () => {
  await click("[data-testid=content-menu]");
  await click("[data-testid=content-export-ics]");
  const file = join(saveDir, "hearth-content.ics");
  await until(browser, async () => existsSync(file), "the .ics file is written", 20000);
  const text = readFileSync(file, "utf8");
  assert.ok(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  assert.ok(text.trimEnd().endsWith("END:VCALENDAR"));
  const events = text.split("BEGIN:VEVENT").length - 1;
  assert.ok(events > 50, `${events} posts`);
  assert.equal(text.split("\r\nDTSTAMP:").length - 1, events, "a DTSTAMP on every VEVENT");
  assert.equal(text.split("\r\nUID:content-").length - 1, events, "a UID on every VEVENT");
  for (const line of text.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.ok(text.replace(/\r\n /g, "").includes("E2E 周四答疑"));
  assert.ok(text.includes("URL:https://mp.weixin.qq.com/s/e2e"));
});

test("views by keyboard, English, light and dark", async () => {
  await chooseLanguage(browser, "en");
  await showBoard(browser, "content");
  await (await browser.$("[data-testid=content-board]")).waitForDisplayed({ timeout: 10000 });
  await browser.keys(["w"]);
  await until(browser, async () => (await count("[data-testid=content-day]")) === 7, "the week view has seven days");
  await settled(browser);
  await shot(browser, "content-week-en");
  await browser.keys(["a"]);
  await (await browser.$("[data-testid=content-agenda]")).waitForDisplayed({ timeout: 5000 });
  await settled(browser);
  await shot(browser, "content-agenda-en");
  await browser.keys(["m"]);
  await until(browser, async () => (await count("[data-testid=content-day]")) === 42, "the month view has six weeks");
  await browser.keys(["ArrowRight", "ArrowRight", "t"]);
  const today = await browser.execute(() => document.querySelector("[data-testid=content-day].today")?.dataset.day);
  const selected = await browser.execute(() => document.querySelector("[data-testid=content-day].selected")?.dataset.day);
  assert.equal(selected, today, "T selects today");
  await chooseTheme(browser, "dark");
  await showBoard(browser, "content");
  await (await browser.$("[data-testid=content-board]")).waitForDisplayed({ timeout: 10000 });
  await settled(browser);
  await shot(browser, "content-month-dark");
  await chooseTheme(browser, "light");
});
