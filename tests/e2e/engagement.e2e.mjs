// The engagement engine on the real binary: select three demo members, quick-log 签到 for them
// with the keyboard (L, 1, Enter) and see a member's points go up by one; quick-log a hosted
// event (+30) and see all three on the 7-day leaderboard; Undo from the toast takes it back.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { freshDataDir, launch, shot, startDriver, stopDriver, until } from "./harness.mjs";

const dataDir = freshDataDir();
let browser;

before(async () => {
  await startDriver({ HEARTH_DATA_DIR: dataDir, LANG: "zh_CN.UTF-8", LANGUAGE: "zh_CN:zh" });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const text = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
const click = (selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);

let chosen = [];

async function pointsOfOpenMember() {
  await until(browser, async () => (await text("[data-testid=engagement-points]")) !== "", "the panel shows points");
  return Number(await text("[data-testid=engagement-points]"));
}

test("quick-log 签到 for three members with the keyboard", async () => {
  browser = await launch();
  await (await browser.$("[data-testid=load-demo]")).waitForDisplayed({ timeout: 15000 });
  await click("[data-testid=load-demo]");
  await (await browser.$("[data-testid=member-count]")).waitForDisplayed({ timeout: 30000 });
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length > 5, "rows appear");

  // Open the first member to read their points before.
  chosen = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=member-rows] [data-member-id]")].slice(0, 3).map((r) => ({
      id: r.getAttribute("data-member-id"),
      name: r.querySelector(".name strong").textContent.trim(),
    })),
  );
  await click(`[data-testid=member-rows] [data-member-id="${chosen[0].id}"]`);
  const before = await pointsOfOpenMember();

  for (const c of chosen) await click(`[data-testid=member-rows] [data-member-id="${c.id}"] input[type=checkbox]`);
  await until(browser, async () => /3/.test(await text("[data-testid=selection-count]")), "three selected");
  await click("[data-testid=bulk-log]");
  await (await browser.$("[data-testid=quicklog]")).waitForDisplayed({ timeout: 5000 });
  await browser.keys(["1"]); // 签到
  await shot(browser, "quicklog");
  await browser.keys(["Enter"]);
  await until(browser, async () => (await browser.$$("[data-testid=quicklog]")).length === 0, "the dialog closes");
  const toast = await text("[data-testid=toast]:last-child");
  assert.match(toast, /3/, `the toast names the three: ${toast}`);
  await until(browser, async () => (await pointsOfOpenMember()) === before + 1, "签到 earns one point");
});

test("hosting events puts all three on the 7-day leaderboard, and Undo takes the last back", async () => {
  // Three talks this week (+30 each) lift them above the demo's most active members.
  for (let i = 0; i < 3; i++) {
    await click("[data-testid=bulk-log]");
    await (await browser.$("[data-testid=quicklog]")).waitForDisplayed({ timeout: 5000 });
    await click("[data-testid=quicklog] [data-kind=hosted_event]");
    await click("[data-testid=quicklog-submit]");
    await until(browser, async () => (await browser.$$("[data-testid=quicklog]")).length === 0, "logged");
  }
  await click("[data-testid=open-leaderboard]");
  await (await browser.$("[data-testid=leaderboard]")).waitForDisplayed({ timeout: 5000 });
  await click("[data-testid=leaderboard] [data-window=days7]");
  await until(
    browser,
    async () => (await browser.execute(() => document.querySelector("[data-window=days7]").getAttribute("aria-selected"))) === "true",
    "the 7-day board is chosen",
  );
  const onBoard = async () =>
    browser.execute(
      (ids) => ids.filter((id) => document.querySelector(`[data-testid=leaderboard-rows] [data-member-id="${id}"]`)).length,
      chosen.map((c) => c.id),
    );
  await until(browser, async () => (await onBoard()) === 3, "all three are on the 7-day board");
  const pointsOf = (id) =>
    browser.execute((id) => document.querySelector(`[data-testid=leaderboard-rows] [data-member-id="${id}"]`)?.textContent ?? "", id);
  const withHosting = Number(await pointsOf(chosen[0].id));
  assert.ok(withHosting >= 91, `3 × 30 for hosting + 1 for 签到: ${withHosting}`);
  await shot(browser, "leaderboard");
  await browser.keys(["Escape"]);
  // Undo the hosted event from its toast.
  await browser.execute(() => {
    const toasts = [...document.querySelectorAll("[data-testid=toast]")];
    const undo = toasts.reverse().map((t) => t.querySelector("button.action")).find(Boolean);
    undo.click();
  });
  await click("[data-testid=open-leaderboard]");
  await click("[data-testid=leaderboard] [data-window=days7]");
  await until(browser, async () => {
    const now = await pointsOf(chosen[0].id);
    return now === "" || Number(now) === withHosting - 30;
  }, "undo takes the 30 points back");
  await shot(browser, "leaderboard-after-undo");
});
