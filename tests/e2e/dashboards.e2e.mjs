// The Dashboards board on the real binary, one launch: the empty board teaches the demo; with the
// demo community the tiles show numbers; a bar of the stages chart opens exactly the members the
// stage's number says, saved as a segment; that segment as the board's filter leaves only its
// stage in the stages tile; the content tile's channel opens the owners of its items; a chart is
// exported as PNG; the monthly report PDF is written; the chart is drawn again for the dark theme
// and in Chinese.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chooseLanguage, chooseTheme, freshDataDir, launch, settled, shot, showBoard, startDriver, stopDriver, until } from "./harness.mjs";

const dataDir = freshDataDir();
const saveDir = mkdtempSync(join(tmpdir(), "hearth-dash-save-"));
let browser;

before(async () => {
  await startDriver({ HEARTH_DATA_DIR: dataDir, HEARTH_TEST_SAVE_DIR: saveDir, LANG: "en_US.UTF-8", LANGUAGE: "en" });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
  rmSync(saveDir, { recursive: true, force: true });
});

const text = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
const click = (selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);
const count = (selector) => browser.execute((sel) => document.querySelectorAll(sel).length, selector);
const digits = (s) => Number(s.replace(/[^\d]/g, ""));

test("tiles on the demo community, a bar's members saved as a segment, the report, the dark chart", async () => {
  browser = await launch();
  await (await browser.$("[data-board=dashboards]")).waitForDisplayed({ timeout: 15000 });
  await showBoard(browser, "dashboards");

  // Empty community: the board teaches the demo and the import.
  await (await browser.$("[data-testid=dashboards-demo]")).waitForDisplayed({ timeout: 10000 });
  await shot(browser, "dashboards-empty");
  await click("[data-testid=dashboards-demo]");

  // Tiles with numbers.
  await until(browser, async () => digits(await text("[data-testid=tile-new]")) > 0 || (await count("[data-stage]")) > 0, "the tiles show numbers", 60000);
  await until(browser, async () => (await count("[data-testid=chart-stages] [data-bar]")) > 0, "the stages chart is drawn", 30000);
  const stages = await browser.execute(() =>
    [...document.querySelectorAll("[data-stage]")].map((b) => ({ stage: b.getAttribute("data-stage"), n: Number(b.textContent.replace(/[^\d]/g, "")) })),
  );
  assert.ok(stages.length >= 4, `stage tiles: ${JSON.stringify(stages)}`);
  const total = stages.reduce((a, s) => a + s.n, 0);
  assert.ok(total > 0, "the demo's members are in stages");
  await settled(browser);
  await shot(browser, "dashboards-tiles");

  // The content tile: the demo's channels, planned against published; a channel's number opens
  // the owners of its items.
  await until(browser, async () => (await count("[data-testid=tile-content] tbody tr")) > 0, "the content tile shows the channels");
  const channels = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=tile-content] tbody tr")].map((r) => ({
      name: r.querySelector("th").textContent.trim(),
      planned: Number(r.querySelectorAll("td")[0].textContent.replace(/[^\d]/g, "")),
      id: r.querySelector("button").getAttribute("data-testid"),
    })),
  );
  const busiest = channels.reduce((a, c) => (c.planned > a.planned ? c : a));
  assert.ok(busiest.planned > 0, `the demo plans content: ${JSON.stringify(channels)}`);
  await click(`[data-testid=${busiest.id}]`);
  await (await browser.$("[data-testid=dashboards-panel]")).waitForDisplayed({ timeout: 10000 });
  assert.ok((await text("[data-testid=dashboards-panel]")).includes(busiest.name), "the panel names the channel");
  const owners = digits(await text("[data-testid=panel-total]"));
  await until(browser, async () => (await count("[data-testid=panel-members] li")) === Math.min(owners, 200), "the owners are listed");
  await shot(browser, "dashboards-content-owners");
  await browser.keys("Escape");
  await until(browser, async () => (await count("[data-testid=dashboards-panel]")) === 0, "Esc closes the panel");

  // A bar of the stages chart (the first stage with members; bars are in the stages' order).
  const index = stages.findIndex((s) => s.n > 0);
  const expected = stages[index].n;
  await browser.execute((i) => {
    document.querySelector(`[data-testid=chart-stages] [data-bar="${i}"]`).dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }, index);
  await (await browser.$("[data-testid=dashboards-panel]")).waitForDisplayed({ timeout: 10000 });
  assert.equal(digits(await text("[data-testid=panel-total]")), expected, "the panel's count is the bar's number");
  // Every member is listed, page after page.
  for (;;) {
    const listed = await count("[data-testid=panel-members] li");
    if (listed >= expected) break;
    await browser.execute(() => [...document.querySelectorAll("[data-testid=dashboards-panel] button")].find((b) => /more/i.test(b.textContent)).click());
    await until(browser, async () => (await count("[data-testid=panel-members] li")) > listed, "more members are listed");
  }
  assert.equal(await count("[data-testid=panel-members] li"), expected, "the panel lists exactly the bar's members");
  await shot(browser, "dashboards-panel");

  // Saved as a segment.
  await browser.execute(() => document.querySelector("[data-testid=dashboards-panel] form").requestSubmit());
  await until(browser, async () => /saved with/.test(await browser.execute(() => document.body.textContent)), "the segment is saved");
  assert.match(await browser.execute(() => document.body.textContent), new RegExp(`saved with ${expected.toLocaleString("en")} members`));

  // Esc closes the panel.
  await browser.keys("Escape");
  await until(browser, async () => (await count("[data-testid=dashboards-panel]")) === 0, "Esc closes the panel");


  // A chart as PNG: the same SVG rendered in Rust, written where the manager chose.
  await click("[data-testid=export-png-stages]");
  await until(browser, () => readdirSync(saveDir).some((f) => /^hearth-stages-.*\.png$/.test(f)), "the PNG is written", 30000);
  const png = readFileSync(join(saveDir, readdirSync(saveDir).find((f) => /^hearth-stages-.*\.png$/.test(f))));
  assert.equal(png.subarray(1, 4).toString(), "PNG", "a PNG file");
  assert.equal(png.readUInt32BE(16), 1440, "twice the chart's width");
  assert.ok(png.length > 5000, `not blank (${png.length} bytes)`);

  // The monthly report PDF.
  await click("[data-testid=dashboards-report]");
  await until(browser, () => browser.execute(() => /Report for \d{4}-\d{2} saved/.test(document.body.textContent)), "the report is written", 30000);
  // The range ends today: the report is of the last whole month.
  const now = new Date();
  const month = new Date(now.getFullYear(), now.getMonth(), 0);
  const name = `hearth-report-${month.getFullYear()}-${String(month.getMonth() + 1).padStart(2, "0")}.pdf`;
  assert.ok(existsSync(join(saveDir, name)) && statSync(join(saveDir, name)).size > 1000, `${name} written`);

  // Dark theme: the chart is drawn again with the dark palette.
  const lightSvg = await browser.execute(() => document.querySelector("[data-testid=chart-stages] svg").outerHTML);
  await chooseTheme(browser, "dark");
  await showBoard(browser, "dashboards");
  await until(
    browser,
    async () => {
      const svg = await browser.execute(() => document.querySelector("[data-testid=chart-stages] svg")?.outerHTML ?? "");
      return svg !== "" && svg !== lightSvg && /#111827/i.test(svg);
    },
    "the chart is redrawn for the dark theme",
  );
  await browser.execute(() => document.querySelector("[data-testid=chart-stages]").scrollIntoView());
  await settled(browser);
  await shot(browser, "dashboards-dark-chart");

  // Chinese: the charts are drawn again with Chinese labels.
  await chooseLanguage(browser, "zh-CN");
  await showBoard(browser, "dashboards");
  await until(
    browser,
    () => browser.execute(() => /各生命周期阶段成员/.test(document.querySelector("[data-testid=chart-stages] svg")?.outerHTML ?? "")),
    "the chart is redrawn in Chinese",
  );
  await browser.execute(() => document.querySelector("[data-testid=chart-stages]").scrollIntoView());
  await settled(browser);
  await shot(browser, "dashboards-dark-zh");
});
