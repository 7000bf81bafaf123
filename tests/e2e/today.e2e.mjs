// The Today list and activity imports on the real binary: a follow-up added on a member shows on
// Today on its day, X ticks it off and the toast's Undo brings it back; a 签到 sheet imported from
// a file logs points (a bad line is named by its number) and its Undo takes them back.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freshDataDir, launch, settled, shot, startDriver, stopDriver, until } from "./harness.mjs";

const dataDir = freshDataDir();
const sheet = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-signin-")), "签到表.csv");
let browser;

const pad = (n) => String(n).padStart(2, "0");
const day = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const today = day(new Date());
const yesterday = day(new Date(Date.now() - 86_400_000));

before(async () => {
  fs.writeFileSync(
    sheet,
    `姓名,手机,签到时间\n王小明,13912345678,${yesterday} 09:00\n李梅,13912345679,明天早上\n陈晨,13912345670,${yesterday} 10:30\n`,
  );
  await startDriver({ HEARTH_DATA_DIR: dataDir, HEARTH_TEST_OPEN_FILE: sheet, LANG: "zh_CN.UTF-8", LANGUAGE: "zh_CN:zh" });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const text = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
const click = (selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);
const type = (selector, value) =>
  browser.execute(
    (sel, v) => {
      const el = document.querySelector(sel);
      el.value = v;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    selector,
    value,
  );

test("a follow-up shows on Today on its day; X ticks it off and Undo brings it back", async () => {
  browser = await launch();
  await (await browser.$("[data-testid=load-demo]")).waitForDisplayed({ timeout: 15000 });
  await click("[data-testid=load-demo]");
  await (await browser.$("[data-testid=member-count]")).waitForDisplayed({ timeout: 30000 });
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length > 5, "rows appear");

  await click("[data-board=today]");
  await (await browser.$("[data-testid=today-followups]")).waitForDisplayed({ timeout: 5000 });
  // The demo community's manager promised things: one is two days late.
  const demo = await text("[data-testid=today-followups]");
  assert.match(demo, /寄读书会结业证书/, demo);
  assert.match(demo, /2 days late|逾期 2 天/, `the late one says so: ${demo}`);
  assert.doesNotMatch(demo, /请教她做下期分享嘉宾/, "one due in three days is not on today's list");

  await click("[data-board=members]");
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length > 5, "rows again");
  const first = await browser.execute(() => {
    const row = document.querySelector("[data-testid=member-rows] [data-member-id]");
    return { id: row.getAttribute("data-member-id"), name: row.querySelector(".name strong").textContent.trim() };
  });
  await click(`[data-testid=member-rows] [data-member-id="${first.id}"]`);
  await (await browser.$("[data-testid=followup-add]")).waitForDisplayed({ timeout: 5000 });
  await click("[data-testid=followup-add]");
  await type("[data-testid=followups] input[type=date]", today);
  await type("[data-testid=followup-note]", "寄活动证书");
  await browser.execute(() => document.querySelector("[data-testid=followups] form").requestSubmit());
  await until(browser, async () => /寄活动证书/.test(await text("[data-testid=followups]")), "the panel lists it");

  await click("[data-board=today]");
  await until(browser, async () => /寄活动证书/.test(await text("[data-testid=today-followups]")), "Today lists it");
  assert.match(await text("[data-testid=today-followups]"), new RegExp(first.name));
  await shot(browser, "today");

  // Keyboard: move down to it (the late one comes first), X ticks it off.
  const index = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=today-followups] li")].findIndex((li) => li.textContent.includes("寄活动证书")),
  );
  assert.ok(index > 0, `after the demo's late one: ${index}`);
  // Campaign tasks due today or overdue come first on the list (issue 17).
  const tasks = await browser.execute(() => document.querySelectorAll("[data-testid=today-tasks] li").length);
  for (let i = 0; i < tasks + index; i++) await browser.keys(["ArrowDown"]);
  await browser.keys(["x"]);
  await until(browser, async () => !/寄活动证书/.test(await text("[data-testid=today-followups]")), "ticked off");
  await browser.execute(() => {
    const undo = [...document.querySelectorAll("[data-testid=toast]")].reverse().map((t) => t.querySelector("button.action")).find(Boolean);
    undo.click();
  });
  await until(browser, async () => /寄活动证书/.test(await text("[data-testid=today-followups]")), "Undo brings it back");

  // Enter opens the member on the Members board.
  await browser.keys(["Enter"]);
  await until(browser, async () => /寄活动证书/.test(await text("[data-testid=followups]")), "the member's panel opens");
  await shot(browser, "member-panel");
});

test("a 签到 sheet from a file logs points, names its bad line, and Undo takes them back", async () => {
  await click("[data-board=members]");
  await click("[data-testid=open-activity-import]");
  await (await browser.$("[data-testid=activity-import]")).waitForDisplayed({ timeout: 5000 });
  await until(browser, async () => /2/.test(await text("[data-testid=activity-import-plan]")), "the plan counts two sign-ins");
  const invalid = await text("[data-testid=activity-import-invalid]");
  assert.match(invalid, /3/, `line 3 (明天早上) is named: ${invalid}`);
  assert.match(invalid, /明天早上/);
  await shot(browser, "activity-import");
  await click("[data-testid=activity-import-apply]");
  await until(browser, async () => (await browser.$$("[data-testid=activity-import]")).length === 0, "the dialog closes");
  const toast = await text("[data-testid=toast]:last-child");
  assert.match(toast, /2/, `the toast counts two: ${toast}`);
  await shot(browser, "activity-imported");

  // 王小明 is a new member with one point for his 签到.
  await type("[data-testid=member-search]", "13912345678");
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length === 1, "found by phone");
  await browser.execute(() => document.querySelector("[data-testid=member-rows] [data-member-id]").click());
  await until(browser, async () => (await text("[data-testid=engagement-points]")) === "1", "one point for 签到");

  await browser.execute(() => {
    const undo = [...document.querySelectorAll("[data-testid=toast]")].reverse().map((t) => t.querySelector("button.action")).find(Boolean);
    undo.click();
  });
  await until(
    browser,
    async () => /Took back|撤销/.test(await browser.execute(() => [...document.querySelectorAll("[data-testid=toast]")].map((t) => t.textContent).join(" | "))),
    "the undo is confirmed",
  ).catch(async (e) => {
    const all = await browser.execute(() => [...document.querySelectorAll("[data-testid=toast]")].map((t) => t.textContent).join(" | "));
    throw new Error(`${e.message}; toasts: ${all}`);
  });
  await type("[data-testid=member-search]", "13912345678");
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length === 0, "the new member is gone again");
});

test("a deduction needs evidence, lowers the credit score into a tier, and an appeal overturned on Today restores it", async () => {
  await click("[data-board=members]");
  await type("[data-testid=member-search]", "");
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length > 5, "rows");
  const member = await browser.execute(() => {
    const row = document.querySelectorAll("[data-testid=member-rows] [data-member-id]")[2];
    return { id: row.getAttribute("data-member-id"), name: row.querySelector(".name strong").textContent.trim() };
  });
  await click(`[data-testid=member-rows] [data-member-id="${member.id}"]`);
  await until(browser, async () => (await text("[data-testid=credit-score]")) !== "", "the credit card shows");
  const start = Number(await text("[data-testid=credit-score]"));

  await click("[data-testid=credit-deduct]");
  await (await browser.$("[data-testid=credit-form]")).waitForDisplayed({ timeout: 5000 });
  // No evidence: refused, nothing changes.
  await browser.execute(() => {
    document.querySelector("[data-testid=credit-evidence]").required = false;
    document.querySelector("[data-testid=credit-form]").requestSubmit();
  });
  await until(browser, async () => /evidence|证据/i.test(await browser.execute(() => [...document.querySelectorAll("[data-testid=toast]")].map((t) => t.textContent).join(" | "))), "the refusal names the evidence");
  assert.equal(Number(await text("[data-testid=credit-score]")), start);

  await browser.execute(() => {
    const select = document.querySelector("[data-testid=credit-rule]");
    select.value = "spam";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await type("[data-testid=credit-evidence]", "11月20日 在1群连发三条广告链接（截图 ad-1120.png）");
  await browser.execute(() => document.querySelector("[data-testid=credit-form]").requestSubmit());
  await until(browser, async () => Number(await text("[data-testid=credit-score]")) === start - 10, "spam takes 10");
  if (start === 100) assert.match(await text("[data-testid=credit-tier]"), /warning|word|提醒/i, "90 is in the warning tier");
  await shot(browser, "credit-deducted");

  // The member appeals; the appeal waits on Today, where the manager overturns it.
  await click("[data-testid=appeal-open]");
  await type("[data-testid=appeal-reason]", "那是活动报名链接，不是广告");
  await click("[data-testid=appeal-submit]");
  await until(browser, async () => /appeal|申诉/i.test(await text("[data-testid=credit]")), "the appeal shows on the entry");
  await click("[data-board=today]");
  await until(browser, async () => new RegExp(member.name).test(await text("[data-testid=today-appeals]")), "Today lists the appeal");
  await shot(browser, "today-appeal");
  // The newest appeal is the last line; overturn that one.
  await browser.execute(() => [...document.querySelectorAll("[data-testid=today-overturn]")].at(-1).click());
  await until(browser, async () => (await text("[data-testid=today-appeals]")).split(member.name).length === 1, "decided");
  await click("[data-board=members]");
  await until(browser, async () => (await browser.$$(`[data-testid=member-rows] [data-member-id="${member.id}"]`)).length === 1, "the row is back");
  await click(`[data-testid=member-rows] [data-member-id="${member.id}"]`);
  await until(browser, async () => Number(await text("[data-testid=credit-score]")) === start, "overturning gives the 10 back");
  assert.match(await text("[data-testid=timeline]"), /appeal|申诉/i, "the history keeps the appeal");
});

test("switching leaderboards off in Settings hides the leaderboard", async () => {
  await click("[data-board=settings]");
  await (await browser.$("[data-testid=leaderboards-enabled]")).waitForDisplayed({ timeout: 5000 });
  await shot(browser, "settings-rules");
  await click("[data-testid=leaderboards-enabled]");
  await click("[data-board=members]");
  await until(browser, async () => (await browser.$$("[data-testid=open-leaderboard]")).length === 0, "the leaderboard button is gone");
  await click("[data-board=settings]");
  await (await browser.$("[data-testid=leaderboards-enabled]")).waitForDisplayed({ timeout: 5000 });
  await click("[data-testid=leaderboards-enabled]");
  await click("[data-board=members]");
  await until(browser, async () => (await browser.$$("[data-testid=open-leaderboard]")).length === 1, "and back");
});

test("in Chinese, Today and the member's credit read in Chinese", async () => {
  await click("[data-board=settings]");
  await (await browser.$("[data-testid=locale-select]")).waitForDisplayed({ timeout: 5000 });
  await browser.execute(() => {
    const select = document.querySelector("[data-testid=locale-select]");
    select.value = "zh-CN";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await click("[data-board=today]");
  await until(browser, async () => /今日待办/.test(await text("[data-testid=today]")), "Today in Chinese");
  const page = await text("[data-testid=today]");
  for (const heading of ["到期的跟进", "待处理的申诉", "信用分需要处理", "可能流失", "本周生日"]) {
    assert.match(page, new RegExp(heading), `${heading} is there`);
  }
  assert.match(page, /逾期 2 天/);
  await settled(browser);
  await shot(browser, "today-zh");
  // The member far down the credit ladder: open them from Today.
  await browser.execute(() => document.querySelector("[data-testid=today-credit] button.link").click());
  await until(browser, async () => /信用分/.test(await text("[data-testid=credit]")), "the credit card in Chinese");
  const credit = await text("[data-testid=credit]");
  assert.match(credit, /移出群/, `the tier says what to do: ${credit}`);
  await browser.execute(() => document.querySelector("[data-testid=engagement]").scrollIntoView({ block: "start" }));
  await until(
    browser,
    () =>
      browser.execute(() => {
        const top = document.querySelector("[data-testid=engagement]").getBoundingClientRect().top;
        return top >= 0 && top < window.innerHeight && (document.querySelector("[data-testid=engagement-points]")?.textContent.trim() ?? "") !== "";
      }),
    "the engagement card is in view with its points",
  );
  await settled(browser);
  await shot(browser, "member-credit-zh");
});
