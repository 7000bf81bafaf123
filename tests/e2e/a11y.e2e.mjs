// Accessibility checked by an outside rule set: axe-core runs on every board of the app's nav, in
// the light and the dark theme, on an empty database and on the demo community, and on the views
// a board opens over itself (a member's panel, the import dialog's preview, a past event's page).
// The boards are read from the nav's buttons, so a board added there is checked without editing
// this file. A serious or critical violation fails, naming the rule, its help and every node.
import { after, before, test } from "node:test";
import { join } from "node:path";
import {
  chooseTheme,
  expectAccessible,
  freshDataDir,
  launch,
  root,
  showBoard,
  startDriver,
  stopDriver,
  until,
} from "./harness.mjs";

const themes = ["light", "dark"];
let browser;

before(async () => {
  await startDriver({
    HEARTH_DATA_DIR: freshDataDir(),
    LANG: "en_US.UTF-8",
    HEARTH_TEST_OPEN_FILE: join(root, "tests/fixtures/import/reading-club-gbk.csv"),
  });
  browser = await launch();
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const click = (selector) => browser.execute((sel) => document.querySelector(sel).click(), selector);
const exists = (selector) => browser.execute((sel) => !!document.querySelector(sel), selector);
const text = (selector) => browser.execute((sel) => document.querySelector(sel)?.textContent.trim() ?? "", selector);

/** The boards in the nav, in its order. */
const navBoards = () => browser.execute(() => [...document.querySelectorAll("nav [data-board]")].map((b) => b.dataset.board));

/**
 * What shows that a board has its content, empty database or demo (each entry: selectors that
 * must all be present; a comma gives alternatives). A board not listed here is checked once its
 * nav button is current, <main> has content and nothing in it is aria-busy.
 */
const loaded = {
  today: ["[data-testid=today-count]"],
  members: ["[data-testid=member-rows] [data-member-id], [data-testid=welcome]"],
  events: ["[data-testid=event-detail-title], [data-testid=events-empty]", "[data-testid=registration-row], [data-testid=registrations-empty], [data-testid=events-empty]"],
  settings: ["[data-testid=settings-kinds]"],
};

async function boardLoaded(board) {
  await until(
    browser,
    () =>
      browser.execute(
        (wanted) => !!document.querySelector("main > *") && !document.querySelector("main [aria-busy=true]") && wanted.every((sel) => !!document.querySelector(sel)),
        loaded[board] ?? [],
      ),
    `the ${board} board did not finish loading`,
  );
}

/** Views a board opens over itself with the demo community: each is opened, checked and closed. */
const views = {
  members: [
    {
      name: "a member's panel",
      async open() {
        await click("[data-testid=member-rows] [data-member-id]");
        await (await browser.$("[data-testid=member-panel]")).waitForDisplayed({ timeout: 10000 });
        await until(
          browser,
          async () => (await text("[data-testid=engagement-points]")) !== "" && (await exists("[data-testid=credit-score]")) && (await exists("[data-testid=timeline]")),
          "the member's panel did not load its cards",
        );
      },
      async close() {
        await browser.keys(["Escape"]);
        await (await browser.$("[data-testid=member-panel]")).waitForDisplayed({ reverse: true, timeout: 5000 });
      },
    },
    {
      name: "the import dialog with a preview",
      async open() {
        await (await browser.$("[data-testid=open-import]")).click();
        await (await browser.$("[data-testid=import-counts]")).waitForDisplayed({ timeout: 20000 });
        await until(browser, async () => (await browser.$$("[data-testid=import-row]")).length > 0, "the preview rows did not show");
      },
      async close() {
        await browser.keys(["Escape"]);
        await (await browser.$("[data-testid=import-dialog]")).waitForExist({ reverse: true, timeout: 5000 });
      },
    },
  ],
  events: [
    {
      name: "a past event's page",
      async open() {
        await browser.execute(() => document.querySelectorAll("[data-testid=events-board] [role=tab]")[1].click());
        await until(browser, () => exists("[data-testid=events-board] [role=tab][aria-selected=true]:nth-child(2)"), "the past tab did not open");
        await click("[data-testid=event-item]");
        const title = await browser.execute(() => document.querySelector("[data-testid=event-item] strong").textContent.trim());
        await until(
          browser,
          async () => (await text("[data-testid=event-detail-title]")) === title && (await exists("[data-testid=attendance-rate]")) && (await exists("[data-testid=registration-row]")),
          "the past event's page did not load",
        );
      },
      async close() {
        await browser.execute(() => document.querySelectorAll("[data-testid=events-board] [role=tab]")[0].click());
        await until(browser, () => exists("[data-testid=events-board] [role=tab][aria-selected=true]:nth-child(1)"), "the upcoming tab did not open");
      },
    },
  ],
};

/** Checks every board in the nav in `theme` (and, with the demo loaded, the views they open). */
async function checkEveryBoard(t, theme, withViews) {
  await chooseTheme(browser, theme);
  const boards = await navBoards();
  if (boards.length === 0) throw new Error("no boards found in the nav");
  const check = (sub, where) => expectAccessible(browser, where, (text) => sub.diagnostic(text));
  for (const board of boards) {
    await t.test(`the ${board} board`, async (sub) => {
      await showBoard(browser, board);
      await boardLoaded(board);
      await check(sub, `the ${board} board (${theme})`);
    });
    for (const view of withViews ? (views[board] ?? []) : []) {
      await t.test(`${board}: ${view.name}`, async (sub) => {
        await showBoard(browser, board);
        await boardLoaded(board);
        await view.open();
        try {
          await check(sub, `${view.name} on the ${board} board (${theme})`);
        } finally {
          await view.close();
        }
      });
    }
  }
}

for (const theme of themes) {
  test(`an empty database: every board in the ${theme} theme`, async (t) => {
    await checkEveryBoard(t, theme, false);
  });
}

test("load the demo community", async () => {
  await showBoard(browser, "members");
  await click("[data-testid=load-demo]");
  await until(browser, async () => (await browser.$$("[data-testid=member-rows] [data-member-id]")).length > 5, "the demo members did not appear", 30000);
});

for (const theme of themes) {
  test(`the demo community: every board and the views it opens, in the ${theme} theme`, async (t) => {
    await checkEveryBoard(t, theme, true);
  });
}
