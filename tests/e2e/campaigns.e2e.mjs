// The Campaigns board on the real binary, one launch: the plan from the classic template shows
// each goal's value; a campaign with a task due today puts the task on Today; after the demo
// community arrives the goals count its members, the members behind one are listed by name and
// saved as a segment; on a campaign a budget line is edited, a partner deleted and brought back
// with Undo, and a member picked as a task's owner. Light and dark, Chinese and English
// screenshots.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chooseLanguage, chooseTheme, freshDataDir, launch, shot, startDriver, stopDriver, until } from "./harness.mjs";

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
const submit = (selector) => browser.execute((sel) => document.querySelector(sel).closest("form").requestSubmit(), selector);
const goalValues = () =>
  browser.execute(() =>
    [...document.querySelectorAll("[data-testid=plan-goals] [data-testid=goal]")].map((g) => ({
      metric: g.getAttribute("data-metric"),
      value: g.querySelector("[data-testid=goal-value]").textContent.trim(),
    })),
  );

test("the classic plan, a campaign with a task due today on Today, and the members behind a goal", async () => {
  browser = await launch();
  await (await browser.$("[data-board=campaigns]")).waitForDisplayed({ timeout: 15000 });
  await click("[data-board=campaigns]");
  await (await browser.$("[data-testid=plan-classic]")).waitForDisplayed({ timeout: 5000 });
  assert.match(await text("[data-testid=campaigns]"), /经典方案|classic plan/, "the empty plan teaches the template");
  await shot(browser, "campaigns-empty");

  // The plan from the template: four goals, each with a value measured from the (empty) data.
  await click("[data-testid=plan-classic]");
  await until(browser, async () => (await goalValues()).length === 4, "four goals");
  const goals = await goalValues();
  assert.deepEqual(
    goals.map((g) => g.metric),
    ["member_count", "interactions_per_active", "opinion_leaders", "retention_90d"],
  );
  for (const g of goals) assert.match(g.value, /^\d/, `${g.metric} shows a number: ${g.value}`);

  // A campaign with a task due today.
  await browser.keys(["n"]);
  await (await browser.$("[data-testid=campaign-name]")).waitForDisplayed({ timeout: 5000 });
  await type("[data-testid=campaign-name]", "冬季拉新月");
  await submit("[data-testid=campaign-name]");
  await (await browser.$("[data-testid=campaign-page]")).waitForDisplayed({ timeout: 5000 });
  await type("[data-testid=task-title]", "订咖啡馆场地");
  await submit("[data-testid=task-title]");
  await until(browser, async () => /订咖啡馆场地/.test(await text("[data-testid=campaign-tasks]")), "the task is listed");
  await shot(browser, "campaign-page");

  await click("[data-board=today]");
  await until(browser, async () => /订咖啡馆场地/.test(await text("[data-testid=today-tasks]")), "Today lists the task");
  assert.match(await text("[data-testid=today-tasks]"), /冬季拉新月/);
  // Tasks come first on Today.
  const firstCard = await browser.execute(() => document.querySelector(".grid .card")?.getAttribute("data-testid"));
  assert.equal(firstCard, "today-tasks");
  await shot(browser, "today-tasks");

  // The demo community arrives; the goals now count its members.
  await click("[data-board=members]");
  await (await browser.$("[data-testid=load-demo]")).waitForDisplayed({ timeout: 15000 });
  await click("[data-testid=load-demo]");
  await (await browser.$("[data-testid=member-count]")).waitForDisplayed({ timeout: 60000 });
  await click("[data-board=campaigns]");
  await click("[data-testid=tab-plan]");
  await until(browser, async () => (await goalValues()).some((g) => g.metric === "member_count" && g.value !== "0"), "members counted");
  const members = (await goalValues()).find((g) => g.metric === "member_count");
  assert.match(members.value, /2,000|2000/, `the demo's members: ${members.value}`);
  await shot(browser, "campaigns-plan-light");
  await chooseLanguage(browser, "zh-CN");
  await click("[data-board=campaigns]");
  await click("[data-testid=tab-plan]");
  await until(browser, async () => /社群定位/.test(await text("[data-testid=campaigns]")), "the plan in Chinese");
  await until(browser, async () => (await goalValues()).length === 4, "the goals again");
  await shot(browser, "campaigns-plan-zh");

  // The members behind a goal: listed by name, then saved as a segment.
  await click("[data-testid=plan-goals] [data-testid=goal-members]");
  await until(browser, async () => (await browser.$$("#segment-form")).length === 1, "the members dialog opens");
  await until(
    browser,
    async () => (await browser.$$("[data-testid=goal-behind-list] li")).length > 0,
    "the members behind the number are listed",
  );
  const volunteer = (await text("[data-testid=goal-behind-list] li button")).trim();
  assert.ok(volunteer.length > 0, "a member's name is listed");
  await shot(browser, "goal-members-behind");
  await submit("#segment-form input");
  await until(
    browser,
    async () => /存为|Saved/.test(await browser.execute(() => [...document.querySelectorAll("[data-testid=toast]")].map((t) => t.textContent).join(" | "))),
    "the segment is saved",
  );

  // The campaigns list, in English and dark.
  await chooseLanguage(browser, "en");
  await chooseTheme(browser, "dark");
  await click("[data-board=campaigns]");
  await click("[data-testid=tab-campaigns]");
  await until(browser, async () => (await browser.$$("[data-testid=campaign-item]")).length >= 3, "three campaigns");
  await browser.execute(() => [...document.querySelectorAll("[data-testid=campaign-item]")].find((b) => b.textContent.includes("秋季"))?.click());
  await until(browser, async () => /Retrospective/.test(await text("[data-testid=campaign-page]")), "the finished campaign opens");
  await shot(browser, "campaign-finished-dark-en");

  // Edit a budget line: the actual spend becomes 123.45, kept as 12,345 fen.
  await click("[data-testid=budget-line] [data-testid=line-edit]");
  await (await browser.$("[data-testid=line-actual]")).waitForDisplayed({ timeout: 5000 });
  await type("[data-testid=line-actual]", "123.45");
  await submit("[data-testid=line-actual]");
  await until(browser, async () => /CNY 123\.45/.test(await text("[data-testid=budget-lines]")), "the edited line shows 123.45");

  // Delete a partner, then Undo: it is back on the campaign.
  await until(browser, async () => /街角咖啡/.test(await text("[data-testid=campaign-partners]")), "the café is a partner");
  await click("[data-testid=campaign-partners] [data-testid=partner-delete]");
  await until(browser, async () => !/街角咖啡/.test(await text("[data-testid=campaign-page]")), "the partner is gone");
  await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=toast]")].find((t) => /街角咖啡/.test(t.textContent))?.querySelector(".action")?.click(),
  );
  await until(browser, async () => /街角咖啡/.test(await text("[data-testid=campaign-partners]")), "Undo brings the partner back");

  // A member volunteers: picked by name as the owner of a task.
  await click("[data-testid=campaign-tasks] [data-testid=task-edit]");
  await (await browser.$("[data-testid=task-edit-owner-kind]")).waitForDisplayed({ timeout: 5000 });
  await browser.execute(() => {
    const kind = document.querySelector("[data-testid=task-edit-owner-kind]");
    kind.value = "member";
    kind.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await (await browser.$("[data-testid=task-edit-owner-member-search]")).waitForDisplayed({ timeout: 5000 });
  await type("[data-testid=task-edit-owner-member-search]", volunteer);
  await until(browser, async () => (await browser.$$("[data-testid=task-edit-owner-member-option]")).length > 0, "the picker finds the member");
  await shot(browser, "task-owner-picker");
  await browser.execute(() =>
    document.querySelector("[data-testid=task-edit-owner-member-option]").dispatchEvent(new MouseEvent("mousedown", { bubbles: true })),
  );
  await until(browser, async () => (await text("[data-testid=task-edit-owner-member-picked]")).includes(volunteer), "the member is picked");
  await submit("[data-testid=task-edit-title]");
  await until(
    browser,
    async () => (await text("[data-testid=campaign-tasks] li")).includes(volunteer),
    "the task shows its new owner",
  );
  await shot(browser, "campaign-edited-dark-en");
  await click("[data-testid=tab-plan]");
  await shot(browser, "campaigns-plan-dark-en");
});
