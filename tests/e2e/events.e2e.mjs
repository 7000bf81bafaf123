// Events end to end on the real binary: the demo's events are listed → create an event → register
// demo members → at the door, check in three of them by pinyin initials (with an Undo and a
// walk-in) → paste a 接龙 whose bad line is listed, not dropped → print the sign-in sheet, read
// the PDF back with poppler and render its first page to PNG → export the event as .ics.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseLanguage, freshDataDir, launch, shot, shots, startDriver, stopDriver, until } from "./harness.mjs";

const dataDir = freshDataDir();
const saveDir = mkdtempSync(join(tmpdir(), "hearth-e2e-events-"));
let browser;

before(async () => {
  await startDriver({ HEARTH_DATA_DIR: dataDir, HEARTH_TEST_SAVE_DIR: saveDir, LANG: "zh_CN.UTF-8", LANGUAGE: "zh_CN:zh" });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const text = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
const click = (selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);
const count = (selector) => browser.execute((sel) => document.querySelectorAll(sel).length, selector);

async function type(selector, value) {
  const input = await browser.$(selector);
  await input.waitForDisplayed({ timeout: 10000 });
  await input.click();
  await input.clearValue();
  await input.setValue(value);
}

/** The door's counter: [checked in, expected]. */
async function doorCount() {
  const t = await text("[data-testid=door-count] strong");
  const m = /(\d+)\s*\/\s*(\d+)/.exec(t);
  return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
}

test("the demo community comes with past and upcoming events", async () => {
  browser = await launch();
  await (await browser.$("[data-testid=load-demo]")).waitForDisplayed({ timeout: 15000 });
  await click("[data-testid=load-demo]");
  await (await browser.$("[data-testid=member-count]")).waitForDisplayed({ timeout: 30000 });
  await click("[data-board=events]");
  await (await browser.$("[data-testid=events-board]")).waitForDisplayed({ timeout: 10000 });
  await until(browser, async () => (await count("[data-testid=event-item]")) >= 2, "upcoming demo events are listed");
  // The soonest upcoming event is open, and its detail shows its registrations.
  await until(browser, async () => (await count("[data-testid=registration-row]")) > 0, "the first event shows its registrations");
  await shot(browser, "events-board");
});

test("create an event and register demo members", async () => {
  await browser.keys(["n"]);
  await (await browser.$("[data-testid=event-form]")).waitForDisplayed({ timeout: 5000 });
  await type("[data-testid=event-title]", "十二月读书会");
  await type("[data-testid=event-capacity]", "30");
  await click("[data-testid=event-save]");
  await until(browser, async () => (await text("[data-testid=event-detail-title]")) === "十二月读书会", "the new event is shown");
  assert.ok(await browser.$("[data-testid=registrations-empty]").isDisplayed(), "a new event teaches how to add people");

  await click("[data-testid=register-open]");
  await type("[data-testid=register-search]", "张");
  await until(browser, async () => (await count("[data-testid=register-result]")) >= 8, "members called 张 are found");
  await browser.execute(() => {
    const boxes = [...document.querySelectorAll("[data-testid=register-result] input")].slice(0, 10);
    for (const box of boxes) box.click();
  });
  await shot(browser, "register-dialog");
  await click("[data-testid=register-apply]");
  await until(browser, async () => (await count("[data-testid=registration-row]")) === 10, "ten registrations");
  assert.match(await text("[data-testid=event-seats]"), /10\s*\/\s*30/);
});

test("at the door, three people check in by their pinyin initials", async () => {
  await click("[data-testid=door-open]");
  await (await browser.$("[data-testid=door]")).waitForDisplayed({ timeout: 5000 });
  assert.deepEqual(await doorCount(), [0, 10]);
  // People and the initials of their pinyin (张伟 → zw), as the door lists them.
  const people = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=door-row]")].map((row) => ({
      name: row.querySelector(".name").textContent.trim(),
      initials: row.querySelector(".muted").textContent.trim().split(/\s+/).map((s) => s[0]).join(""),
    })),
  );
  const chosen = people.filter((p) => p.initials.length >= 2).slice(0, 3);
  assert.equal(chosen.length, 3, `three people with pinyin among ${JSON.stringify(people)}`);
  let here = 0;
  for (const person of chosen) {
    await type("[data-testid=door-search]", person.initials);
    await until(browser, async () => {
      const names = await browser.execute(() => [...document.querySelectorAll("[data-testid=door-row] .name")].map((n) => n.textContent.trim()));
      return names.includes(person.name);
    }, `${person.initials} finds ${person.name}`);
    const index = await browser.execute(
      (name) => [...document.querySelectorAll("[data-testid=door-row] .name")].findIndex((n) => n.textContent.trim() === name),
      person.name,
    );
    for (let i = 0; i < index; i++) await browser.keys(["ArrowDown"]);
    await browser.keys(["Enter"]);
    here += 1;
    await until(browser, async () => (await doorCount())[0] === here, `${person.name} is counted as here`);
    assert.ok((await text("[data-testid=door-flash]")).includes(person.name), "the door says who checked in");
  }
  await shot(browser, "door-three-in");

  // A second check-in of the same person is refused, not counted twice.
  await type("[data-testid=door-search]", chosen[0].initials);
  await until(browser, async () => (await count("[data-testid=door-row]")) > 0, "found again");
  const again = await browser.execute(
    (name) => [...document.querySelectorAll("[data-testid=door-row] .name")].findIndex((n) => n.textContent.trim() === name),
    chosen[0].name,
  );
  for (let i = 0; i < again; i++) await browser.keys(["ArrowDown"]);
  await browser.keys(["Enter"]);
  await until(browser, async () => (await text("[data-testid=door-flash]")).includes(chosen[0].name), "the door answers");
  assert.equal((await doorCount())[0], 3, "still three");

  // Undo the last check-in, then check them in again.
  await browser.keys(["Escape"]);
  await type("[data-testid=door-search]", chosen[2].initials);
  await click("[data-testid=door-undo]");
  await until(browser, async () => (await doorCount())[0] === 2, "undo takes the last check-in back");
  await until(browser, async () => (await count("[data-testid=door-row]")) > 0, "found for the second time");
  const back = await browser.execute(
    (name) => [...document.querySelectorAll("[data-testid=door-row] .name")].findIndex((n) => n.textContent.trim() === name),
    chosen[2].name,
  );
  for (let i = 0; i < back; i++) await browser.keys(["ArrowDown"]);
  await browser.keys(["Enter"]);
  await until(browser, async () => (await doorCount())[0] === 3, "checked in again");

  // Someone nobody knows walks in.
  await type("[data-testid=door-search]", "路人甲乙");
  await (await browser.$("[data-testid=door-new]")).waitForDisplayed({ timeout: 5000 });
  await browser.execute(() => {
    const input = document.querySelector("[data-testid=door-new] input");
    input.value = "路人甲乙";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await browser.execute(() => document.querySelector("[data-testid=door-new] button[type=submit]").click());
  await until(browser, async () => /1/.test(await text("[data-testid=door-walk-ins]")), "the walk-in is counted");
  assert.equal((await doorCount())[0], 3, "walk-ins are counted apart from the registered");
  await shot(browser, "door-walk-in");
  await browser.keys(["Escape"]);
  await browser.keys(["Escape"]);
  await until(browser, async () => (await count("[data-testid=door]")) === 0, "Esc leaves the door");
  assert.equal(await count("[data-testid=registration-row][data-status=attended]"), 3);
  assert.equal(await count("[data-testid=registration-row][data-status=walk_in]"), 1);
});

test("a pasted 接龙 registers people and lists the line it cannot read", async () => {
  await click("[data-testid=jielong-open]");
  await (await browser.$("[data-testid=jielong-text]")).waitForDisplayed({ timeout: 5000 });
  await browser.execute(() => {
    const area = document.querySelector("[data-testid=jielong-text]");
    area.value = "#接龙\n十二月读书会 周六下午\n例 张三 公司\n\n1. 诸葛青云 设计师\n2、Zebulon Quark +1\n3. \n4．上官明月 13900001111";
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await until(browser, async () => (await count("[data-testid=jielong-rows] li")) === 3, "three people read");
  const problems = await text("[data-testid=jielong-problems]");
  assert.match(problems, /7/, `the empty line 7 is listed: ${problems}`);
  await shot(browser, "jielong-preview");
  await click("[data-testid=jielong-apply]");
  await until(browser, async () => (await count("[data-testid=registration-row]")) === 14, "three more registrations");
});

test("the sign-in sheet prints with the Chinese font and its first page looks right", async () => {
  await click("[data-testid=print-open]");
  await (await browser.$("[data-testid=print-preview] svg")).waitForDisplayed({ timeout: 15000 });
  // Chinese headers (the UI may be in English): 序号 | 姓名 | … | 签名.
  await click("[data-testid=print-lang-zh]");
  await until(browser, async () => (await text("[data-testid=print-preview]")).includes("签名"), "the preview is the Chinese sign-in sheet");
  await shot(browser, "print-dialog");
  await click("[data-testid=print-save]");
  let pdf;
  await until(browser, async () => {
    pdf = readdirSync(saveDir).find((f) => f.endsWith(".pdf"));
    return !!pdf;
  }, "the PDF is written");
  const path = join(saveDir, pdf);
  const words = execFileSync("pdftotext", ["-layout", path, "-"]).toString();
  assert.ok(words.includes("签名") && words.includes("十二月读书会"), "pdftotext reads the header and the title");
  assert.ok(words.includes("诸葛青云"), "a registered name is on the sheet");
  const fonts = execFileSync("pdffonts", [path]).toString();
  assert.match(fonts, /NotoSansCJK\S*\s.*yes\s+yes/, `the CJK font is embedded and subset:\n${fonts}`);
  const png = join(shots, "events-signin-page1");
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, png]);
  assert.ok(existsSync(`${png}.png`), "page 1 rendered to PNG");
});

test("the event exports as an .ics calendar file", async () => {
  await click("[data-testid=export-ics]");
  let ics;
  await until(browser, async () => {
    ics = readdirSync(saveDir).find((f) => f.endsWith(".ics"));
    return !!ics;
  }, "the .ics file is written");
  const body = readFileSync(join(saveDir, ics), "utf8");
  assert.match(body, /BEGIN:VCALENDAR/);
  assert.match(body, /SUMMARY:十二月读书会/);
  await shot(browser, "event-detail-after");
});

test("in Chinese the board and the door speak Chinese, and the profile's history shows the event", async () => {
  await chooseLanguage(browser, "zh-CN");
  await click("[data-board=events]");
  await until(browser, async () => (await text("[data-testid=door-open]")).includes("签到台"), "the door button is in Chinese");
  await shot(browser, "events-zh");
  await click("[data-testid=door-open]");
  await (await browser.$("[data-testid=door]")).waitForDisplayed({ timeout: 5000 });
  assert.match(await text("[data-testid=door-count]"), /已签到 3 \/ 13/, "three of the 13 registered (10 + the 接龙) are in");
  await shot(browser, "door-zh");
  await browser.keys(["Escape"]);
  // The walk-in's profile tells they walked in to this event.
  await click("[data-board=members]");
  const search = await browser.$("[data-testid=member-search]");
  await search.click();
  await search.setValue("路人甲乙");
  await until(browser, async () => (await count("[data-testid=member-rows] [data-member-id]")) === 1, "the walk-in is a member now");
  await click("[data-testid=member-rows] [data-member-id]");
  await until(browser, async () => (await text("[data-testid=timeline]")).includes("现场参加了「十二月读书会」"), "the history shows the walk-in");
  await shot(browser, "walk-in-profile-zh");
});
