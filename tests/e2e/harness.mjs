// Drives the real desktop binary: tauri-driver (WebDriver on a free port) launches
// target/debug/hearth-desktop through WebKitWebDriver, inside the Xvfb display and D-Bus session
// that `./dev e2e` provides. Every wait here is on a condition with a timeout, never a fixed sleep.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { remote } from "webdriverio";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../..");
export const app = process.env.HEARTH_APP ?? join(root, "target/debug/hearth-desktop");
export const shots = join(root, "target/e2e");
mkdirSync(shots, { recursive: true });

/** A fresh data folder for one test run: the app never sees the developer's real data. */
export function freshDataDir() {
  return mkdtempSync(join(tmpdir(), "hearth-e2e-"));
}

let driver;
let port = 4444;

/** Whether nothing listens on `p` (so a driver answering there later is ours). */
function free(p) {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(p, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** Starts tauri-driver on a free port pair and waits until it answers, or throws. */
export async function startDriver(env, timeout = 20000) {
  // A test that failed before stopping its driver must not leave it running: the file would never end.
  stopDriver();
  do {
    port = 4444 + Math.floor(Math.random() * 500);
  } while (!(await free(port)) || !(await free(port + 1000)));
  driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1000)], {
    // The app's and the drivers' chatter goes to a log next to the screenshots.
    stdio: ["ignore", openSync(join(shots, "driver.log"), "a"), openSync(join(shots, "driver.log"), "a")],
    env: { ...process.env, ...env },
  });
  let exited = null;
  driver.once("exit", (code, signal) => (exited = signal ?? `code ${code}`));
  const deadline = Date.now() + timeout;
  for (;;) {
    if (exited) throw new Error(`tauri-driver exited (${exited}) before it answered; see ${join(shots, "driver.log")}`);
    try {
      await fetch(`http://127.0.0.1:${port}/status`);
      return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`tauri-driver did not answer on port ${port} within ${timeout} ms`);
    await sleep(50);
  }
}

export function stopDriver() {
  driver?.kill();
  driver = undefined;
}
process.on("exit", stopDriver);

/** Launches the app (a new WebDriver session) and waits for the first board. */
export async function launch() {
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true },
  });
  await browser.setTimeout({ implicit: 0 });
  await browser.$("main, [data-testid=startup-error]").waitForExist({ timeout: 30000 });
  return browser;
}

let step = 0;
const suite = basename(process.argv[1] ?? "e2e").replace(/\.e2e\.mjs$/, "");
export async function shot(browser, name) {
  step += 1;
  const file = join(shots, `${suite}-${String(step).padStart(2, "0")}-${name}.png`);
  await browser.saveScreenshot(file);
  return file;
}

export async function textOf(browser, selector) {
  return (await browser.$(selector)).getText();
}

/** Waits until `fn()` returns a truthy value, or throws with `message`. */
export async function until(browser, fn, message, timeout = 15000) {
  await browser.waitUntil(fn, { timeout, interval: 100, timeoutMsg: message });
}

/** Waits until web fonts are in and no finite animation or transition runs (before a screenshot). */
export async function settled(browser) {
  await until(
    browser,
    () =>
      browser.execute(
        () =>
          document.fonts.status === "loaded" &&
          document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().endTime === Infinity),
      ),
    "the page did not settle",
    5000,
  );
}

/** Shows the board whose nav button is `[data-board=id]`. */
export async function showBoard(browser, id) {
  await (await browser.$(`[data-board=${id}]`)).click();
  await until(browser, () => browser.execute((b) => document.querySelector(`[data-board=${b}]`)?.getAttribute("aria-current") === "page", id), `the ${id} board did not open`);
}

/**
 * Chooses the UI language in Settings ("zh-CN" or "en") and waits until the app has saved and
 * applied it (the document's `lang` changes only then). Stays on the Settings board.
 */
export async function chooseLanguage(browser, locale) {
  await showBoard(browser, "settings");
  const select = await browser.$("[data-testid=locale-select]");
  await select.waitForDisplayed({ timeout: 5000 });
  await select.selectByAttribute("value", locale);
  await until(browser, async () => (await browser.execute(() => document.documentElement.lang)) === locale, `the language did not become ${locale}`);
}

/** Chooses the theme ("light", "dark") in Settings and waits until it is saved and applied. */
export async function chooseTheme(browser, theme) {
  await showBoard(browser, "settings");
  const option = await browser.$(`[data-theme-option=${theme}]`);
  await option.waitForClickable({ timeout: 5000 });
  await option.click();
  await until(
    browser,
    () =>
      browser.execute(
        (th) => document.documentElement.dataset.theme === th && document.querySelector(`[data-theme-option=${th}]`)?.getAttribute("aria-checked") === "true",
        theme,
      ),
    `the ${theme} theme was not applied`,
  );
}

const NOBODY = "e2e-nobody-qxqxqx";

/** Puts `value` in the member search box as one input event (typing it would fire one per key). */
function setSearch(browser, value) {
  return browser.execute((v) => {
    const input = document.querySelector("[data-testid=member-search]");
    input.focus();
    input.value = v;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

/**
 * Searches the Members board and waits until the rows shown are this search's; returns its total.
 * The count's `data-query` changes when the debounce fires, before the rows arrive, so the search
 * passes through one that finds nobody: rows (or the no-match note) seen after it are fresh. Each
 * value goes in as one input event, so no half-typed search can run in between and leave its rows.
 */
export async function searchMembers(browser, query) {
  const state = () =>
    browser.execute(() => ({
      query: document.querySelector("[data-testid=member-count]")?.dataset.query,
      noMatch: !!document.querySelector("[data-testid=no-match]"),
      rows: document.querySelectorAll("[data-testid=member-rows] [data-member-id]").length,
    }));
  await setSearch(browser, NOBODY);
  await until(browser, async () => {
    const s = await state();
    return s.query === NOBODY && s.noMatch;
  }, "a search for nobody did not come back empty");
  await setSearch(browser, query);
  await until(browser, async () => {
    const s = await state();
    return s.query === query && (s.rows > 0 || s.noMatch);
  }, `search for ${query} did not run`);
  return Number(await (await browser.$("[data-testid=member-count]")).getAttribute("data-total"));
}

// ---- Accessibility: axe-core, the rule set the e2e suite checks every board against. ----

const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const failing = new Set(["serious", "critical"]);

/** Runs axe-core on the whole document; returns its violations, reduced to what a report needs. */
export async function axeViolations(browser) {
  if (!(await browser.execute(() => typeof window.axe === "object"))) {
    // The source is the WebDriver script itself: scripts the driver runs are not subject to the CSP.
    await browser.execute(`${axeSource}\n;return typeof window.axe;`);
  }
  const out = await browser.execute(async () => {
    try {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return {
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.map(String), impact: n.impact, summary: n.failureSummary })),
        })),
      };
    } catch (e) {
      return { error: String(e?.stack ?? e) };
    }
  });
  if (out.error) throw new Error(`axe-core failed: ${out.error}`);
  return out.violations;
}

export function describeViolations(violations) {
  return violations
    .map((v) => `  ${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `    at ${n.target.join(" ")}${n.summary ? `\n      ${n.summary.replace(/\n\s*/g, "; ")}` : ""}`).join("\n")}`)
    .join("\n");
}

/**
 * Fails on any serious or critical axe-core violation on the page as it is now, naming the rule,
 * its impact and help, and every offending node. Milder findings go to `note` (not failing).
 */
export async function expectAccessible(browser, where, note = () => {}) {
  const violations = await axeViolations(browser);
  const milder = violations.filter((v) => !failing.has(v.impact));
  if (milder.length > 0) note(`milder axe-core findings on ${where} (not failing):\n${describeViolations(milder)}`);
  const bad = violations.filter((v) => failing.has(v.impact));
  if (bad.length > 0) {
    const error = new Error(`axe-core: ${bad.length} serious or critical violation(s) on ${where}:\n${describeViolations(bad)}`);
    error.stack = error.message; // the nodes are the useful trace, not this file's lines
    throw error;
  }
}
