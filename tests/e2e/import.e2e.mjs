// Importing and exporting on the real binary: a GBK CSV from Excel with a title row, a damaged
// phone, a shifted row, an in-file duplicate and a summary line is previewed row by row (the
// person with the damaged phone imported, the phone shown as left out and why), applied, undone
// with the toast's Undo, applied again, and exported to CSV and XLSX.
// The shell's test hooks stand in for the native dialogs WebDriver cannot click:
// HEARTH_TEST_OPEN_FILE is "picked" in the open dialog, HEARTH_TEST_SAVE_DIR receives exports.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDataDir, launch, root, shot, startDriver, stopDriver, until } from "./harness.mjs";

const file = join(root, "tests/fixtures/import/reading-club-gbk.csv");
const saveDir = mkdtempSync(join(tmpdir(), "hearth-e2e-export-"));
let browser;

before(async () => {
  await startDriver({
    HEARTH_DATA_DIR: freshDataDir(),
    LANG: "en_US.UTF-8",
    HEARTH_TEST_OPEN_FILE: file,
    HEARTH_TEST_SAVE_DIR: saveDir,
  });
  browser = await launch();
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const count = async (action) =>
  Number(await (await browser.$(`[data-testid=import-count-${action}]`)).getAttribute("data-count"));

const rowsBy = () =>
  browser.execute(() =>
    [...document.querySelectorAll("[data-testid=import-row]")].map((r) => ({
      line: Number(r.dataset.line),
      action: r.dataset.action,
      text: r.textContent.replace(/\s+/g, " ").trim(),
    })),
  );

const text = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);

async function openPreview(button) {
  await browser.execute((sel) => document.querySelector(sel).click(), `[data-testid=${button}]`);
  await (await browser.$("[data-testid=import-counts]")).waitForDisplayed({ timeout: 20000 });
}

test("a GBK list from Excel is previewed row by row before anything is saved", async () => {
  await openPreview("welcome-import");
  assert.match(await text("[data-testid=import-file]"), /reading-club-gbk\.csv/);
  const headerLine = await browser.execute(() => document.querySelector("[data-testid=import-header-line] input").value);
  assert.equal(headerLine, "3", "the title row and the blank line above the header are skipped");
  const encoding = await browser.execute(() => document.querySelector("[data-testid=import-encoding] option:checked").textContent);
  assert.match(encoding, /gb18030/i);
  assert.equal(await count("create"), 4, "李娜 is a person even though Excel damaged her phone");
  assert.equal(await count("merge"), 1);
  assert.equal(await count("invalid"), 1, "only the row whose columns shifted");
  assert.equal(await count("skip"), 1);
  assert.equal(await count("flagged"), 1);
  const rows = await rowsBy();
  const byLine = Object.fromEntries(rows.map((r) => [r.line, r]));
  assert.equal(byLine[4].action, "create");
  assert.match(byLine[4].text, /张伟/, "Chinese decoded from GBK");
  // 李娜 is imported; the phone Excel turned into 1.38001E+10 is left out, in the row, with why.
  assert.equal(byLine[5].action, "create");
  assert.match(byLine[5].text, /李娜/);
  assert.match(byLine[5].text, /Flagged/);
  const flags = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=import-row][data-line='5'] [data-testid=import-flag]")].map((f) => ({
      field: f.dataset.field,
      reason: f.dataset.reason,
      text: f.textContent.replace(/\s+/g, " ").trim(),
      shown: f.getBoundingClientRect().height > 0,
    })),
  );
  assert.equal(flags.length, 1, JSON.stringify(flags));
  assert.equal(flags[0].field, "phone");
  assert.equal(flags[0].reason, "damaged_number");
  assert.ok(flags[0].shown, "the flag is on screen, not in a tooltip");
  assert.match(flags[0].text, /Phone “1\.38001E\+10” left out/);
  assert.match(flags[0].text, /scientific notation/);
  assert.match(byLine[8].text, /shifted/);
  assert.match(byLine[7].text, /Same person as line 4/);
  assert.match(byLine[9].text, /Tom & Jerry/, "HTML entity decoded");
  assert.ok(await (await browser.$("[data-testid=import-ambiguous]")).isDisplayed(), "03/09/2024 is flagged");
  // The flagged filter shows just that row.
  await browser.execute(() => document.querySelector("[data-testid=import-count-flagged]").click());
  await until(browser, async () => (await rowsBy()).map((r) => r.line).join() === "5", "only line 5 under Flagged");
  await shot(browser, "import-preview-flagged");
  await browser.execute(() => document.querySelector("[data-testid=import-counts] button").click());
  await until(browser, async () => (await rowsBy()).length === rows.length, "every row again under All");
  await shot(browser, "import-preview");
  // Still nothing saved: the welcome screen is behind the dialog.
  assert.ok(await (await browser.$("[data-testid=welcome]")).isExisting());
});

test("apply imports every person, the flagged one too; Undo takes the whole import back", async () => {
  await browser.execute(() => document.querySelector("[data-testid=import-apply]").click());
  const counter = await browser.$("[data-testid=member-count]");
  await counter.waitForDisplayed({ timeout: 20000 });
  await until(browser, async () => (await counter.getAttribute("data-total")) === "4", "4 members after import");
  const names = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=member-rows] [data-member-id] .name strong")].map((e) => e.textContent.trim()),
  );
  assert.deepEqual([...names].sort(), ["Tom & Jerry", "张伟", "李娜", "王芳"].sort());
  await shot(browser, "imported");
  const undo = await browser.$("button*=Undo");
  await undo.waitForDisplayed({ timeout: 5000 });
  await browser.execute(() => [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Undo").click());
  await (await browser.$("[data-testid=welcome]")).waitForDisplayed({ timeout: 15000 });
});

test("import again from the toolbar, then export CSV and XLSX", async () => {
  await openPreview("welcome-import");
  await browser.execute(() => document.querySelector("[data-testid=import-apply]").click());
  const counter = await browser.$("[data-testid=member-count]");
  await counter.waitForDisplayed({ timeout: 20000 });
  await until(browser, async () => (await counter.getAttribute("data-total")) === "4", "4 members after import");

  await browser.execute(() => document.querySelector("[data-testid=open-export]").click());
  await (await browser.$("[data-testid=export-dialog]")).waitForExist({ timeout: 5000 });
  await shot(browser, "export-dialog");
  await browser.execute(() => document.querySelector("[data-testid=export-run]").click());
  await until(browser, () => readdirSync(saveDir).some((f) => f.endsWith(".csv")), "CSV written");
  const csvName = readdirSync(saveDir).find((f) => f.endsWith(".csv"));
  const csv = readFileSync(join(saveDir, csvName));
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM for Excel");
  const text = csv.toString("utf8");
  assert.match(text, /张伟/);
  assert.match(text, /'\+8613800138000/, "phone neutralised against formula injection");
  // The file lands a moment before the dialog closes; open the next export only after it has.
  await until(browser, async () => (await browser.$$("[data-testid=export-dialog]")).length === 0, "the first export dialog closed");

  await browser.execute(() => document.querySelector("[data-testid=open-export]").click());
  await (await browser.$("[data-testid=export-dialog]")).waitForExist({ timeout: 5000 });
  await browser.execute(() => document.querySelector("[data-testid=export-format-xlsx]").click());
  await browser.execute(() => document.querySelector("[data-testid=export-run]").click());
  await until(browser, () => readdirSync(saveDir).some((f) => f.endsWith(".xlsx")), "XLSX written");
  const xlsx = readFileSync(join(saveDir, readdirSync(saveDir).find((f) => f.endsWith(".xlsx"))));
  assert.equal(xlsx.subarray(0, 2).toString(), "PK", "an XLSX (zip) file");
  assert.ok(!existsSync(join(saveDir, `${csvName}.part`)));
});

test("a member's history names the file they were imported from", async () => {
  await browser.execute(() => {
    const row = [...document.querySelectorAll("[data-testid=member-rows] [data-member-id]")].find((r) => r.textContent.includes("张伟"));
    row.click();
  });
  await (await browser.$("[data-testid=timeline]")).waitForExist({ timeout: 10000 });
  await until(
    browser,
    async () => (await browser.execute(() => document.querySelector("[data-testid=timeline]").textContent)).includes("Added by importing reading-club-gbk.csv"),
    "the timeline names the import",
  );
  await shot(browser, "timeline");
});
