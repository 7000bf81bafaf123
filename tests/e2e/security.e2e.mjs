// The locked-down webview, checked in the built app: the Content-Security-Policy blocks an
// injected inline script and any remote request; the IPC refuses plugins the app does not grant
// (shell, fs, http, and even dialog and opener, which only Rust uses), made-up commands, and a
// file path the manager did not choose in the open dialog; a second launch of Hearth hands over
// to the running one and exits. One launch.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { app, freshDataDir, launch, settled, shot, startDriver, stopDriver } from "./harness.mjs";

let browser;

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

/** Calls the IPC the way a compromised page would; `{ ok }` or `{ error }` (the rejection, as a string or the core's error). */
const invoke = (cmd, args) =>
  browser.execute(
    async (c, a) => {
      try {
        return { ok: await window.__TAURI_INTERNALS__.invoke(c, a) };
      } catch (e) {
        return { error: typeof e === "string" ? e : JSON.parse(JSON.stringify(e ?? null)) };
      }
    },
    cmd,
    args,
  );

test("the webview is locked down and a second launch hands over", async () => {
  const dir = freshDataDir();
  const secret = join(dir, "secret.csv");
  writeFileSync(secret, "姓名,手机\n张三,13800138000\n");
  await startDriver({ HEARTH_DATA_DIR: dir });
  browser = await launch();
  await settled(browser);

  // A command the app registers answers (the control for everything refused below).
  const status = await invoke("app_status");
  assert.ok(status.ok?.version, `app_status answers: ${JSON.stringify(status)}`);

  // Plugins the capabilities do not grant, and a made-up command, are refused.
  for (const [cmd, args] of [
    ["plugin:shell|open", { path: "https://example.com" }],
    ["plugin:fs|read_text_file", { path: "/etc/passwd" }],
    ["plugin:http|fetch", { clientConfig: { url: "https://example.com", method: "GET" } }],
    ["plugin:dialog|open", { options: {} }],
    ["plugin:opener|open_url", { url: "https://example.com" }],
    ["plugin:opener|open_path", { path: "/etc/passwd" }],
    ["read_any_file", { path: "/etc/passwd" }],
  ]) {
    const out = await invoke(cmd, args);
    assert.ok(out.error !== undefined && out.ok === undefined, `${cmd} must be refused, got ${JSON.stringify(out)}`);
  }

  // A path the manager never chose in the open dialog is not read, even one that exists.
  for (const path of [secret, "/etc/passwd", join(dir, "..", "..", "etc", "passwd")]) {
    const out = await invoke("import_preview", { options: { path, utc_offset_minutes: 0 } });
    assert.equal(out.error?.code, "invalid_input", `import_preview(${path}): ${JSON.stringify(out)}`);
    assert.equal(out.error?.field, "path");
  }

  // The CSP: an injected inline script does not run; requests to other origins are blocked.
  const csp = await browser.execute(async () => {
    const seen = [];
    document.addEventListener("securitypolicyviolation", (e) => seen.push(e.effectiveDirective || e.violatedDirective));
    const s = document.createElement("script");
    s.textContent = "window.__injected = true;";
    document.body.appendChild(s);
    const img = document.createElement("img");
    img.src = "https://example.com/pixel.png";
    document.body.appendChild(img);
    let fetched = "blocked";
    try {
      await fetch("http://127.0.0.1:9/");
      fetched = "sent";
    } catch {
      // Refused before it left (CSP) — or nothing listens; the violation list tells which.
    }
    await new Promise((done) => setTimeout(done, 0));
    return { injected: window.__injected === true, fetched, seen };
  });
  assert.equal(csp.injected, false, "an injected inline script must not run");
  assert.equal(csp.fetched, "blocked");
  assert.ok(csp.seen.some((d) => d.startsWith("script-src")), `script-src violation reported: ${csp.seen}`);
  assert.ok(csp.seen.some((d) => d.startsWith("connect-src")), `connect-src violation reported: ${csp.seen}`);
  await shot(browser, "locked-down");

  // A second launch finds the running Hearth, hands over, and exits by itself.
  const second = spawn(app, [], { env: { ...process.env, HEARTH_DATA_DIR: dir }, stdio: "ignore" });
  const exit = await new Promise((done) => {
    const timer = setTimeout(() => done("still running"), 20000);
    second.once("exit", (code, signal) => {
      clearTimeout(timer);
      done(signal ?? code);
    });
  });
  if (exit === "still running") second.kill();
  assert.equal(exit, 0, "the second launch exits on its own");
  // The first one carries on.
  assert.ok((await invoke("app_status")).ok?.version);
});
