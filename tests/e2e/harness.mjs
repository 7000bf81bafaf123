// Drives the real desktop binary: tauri-driver (WebDriver on :4444) launches target/debug/hearth-desktop
// through WebKitWebDriver, inside the Xvfb display and D-Bus session that `./dev e2e` provides.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync } from "node:fs";
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

export async function startDriver(env) {
  port = 4444 + Math.floor(Math.random() * 500);
  driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1000)], {
    // The app's and the drivers' chatter goes to a log next to the screenshots.
    stdio: ["ignore", openSync(join(shots, "driver.log"), "a"), openSync(join(shots, "driver.log"), "a")],
    env: { ...process.env, ...env },
  });
  // Wait until it accepts connections.
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok || res.status) return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error("tauri-driver did not start");
}

export function stopDriver() {
  driver?.kill();
}

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
