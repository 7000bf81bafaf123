// The locked-down webview, checked in the built app: the Content-Security-Policy blocks an
// injected inline script and any remote request; the IPC refuses plugins the app does not grant
// (shell, fs, http, and even dialog and opener, which only Rust uses), made-up commands, and a
// file path the manager did not choose in the open dialog. (A second launch handing over to the
// running one is not checked here: the suite launches with HEARTH_DATA_DIR, where Hearth does not
// keep to one instance.) One launch.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDataDir, launch, settled, shot, startDriver, stopDriver } from "./harness.mjs";

let browser;

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

/** Calls the IPC the way a compromised page would; `{ ok }` or `{ error }` (the rejection, as a string or the core's error). */
// WebKitWebDriver reports Tauri's refusal of a plugin the capabilities do not grant as an
// error of the script itself (the message names the refusal), not as a rejected promise: either
// way it comes back here as `{ error }`.
const invoke = async (cmd, args) => {
  try {
    return await browser.executeAsync(
      (c, a, done) => {
        Promise.resolve()
          .then(() => window.__TAURI_INTERNALS__.invoke(c, a))
          .then(
            (ok) => done({ ok }),
            (e) => done({ error: typeof e === "string" ? e : JSON.parse(JSON.stringify(e ?? null)) }),
          );
      },
      cmd,
      args,
    );
  } catch (e) {
    return { error: String(e?.message ?? e) };
  }
};

test("the webview is locked down: plugins, unknown commands, unpicked paths and outside requests are refused", async () => {
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
    assert.ok(out.ok === undefined && /not allowed|not found/.test(JSON.stringify(out.error)), `${cmd} must be refused, got ${JSON.stringify(out)}`);
  }

  // A path the manager never chose in the open dialog is not read, even one that exists. (The
  // core's error arrives through the driver as "[object Object]", so only the refusal is checked.)
  for (const path of [secret, "/etc/passwd", join(dir, "..", "..", "etc", "passwd")]) {
    const out = await invoke("import_preview", { options: { path, utc_offset_minutes: 0 } });
    assert.ok(out.error !== undefined && out.ok === undefined, `import_preview(${path}) must be refused, got ${JSON.stringify(out)}`);
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

  // After all of that the app still answers.
  assert.ok((await invoke("app_status")).ok?.version);
});
