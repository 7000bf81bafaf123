// Snapshots end to end: a damaged database at start-up is moved aside and the newest verified
// snapshot restored from the start-up screen; then Settings → Snapshots takes one now, verifies
// and restores another after a confirm. One launch.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chooseLanguage, freshDataDir, launch, root, settled, shot, showBoard, startDriver, stopDriver, until } from "./harness.mjs";

const cli = process.env.HEARTH_CLI ?? join(root, "target/debug/hearth");
let browser;

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

/** Scrolls the Snapshots section into view inside the settings board. */
const toSection = () =>
  browser.execute(() => {
    const section = document.querySelector("[data-testid=snapshots]");
    const board = section?.closest(".settings");
    if (section && board) board.scrollTop = section.offsetTop - board.offsetTop - 8;
  });

const hearth = (dir, ...args) => execFileSync(cli, ["--data-dir", dir, ...args], { encoding: "utf8", env: { ...process.env, LANG: "en_US.UTF-8" } });

test("a damaged database is moved aside, a snapshot restored, and snapshots managed in Settings", async () => {
  const dir = freshDataDir();
  hearth(dir, "demo", "--members", "120");
  const snapshot = JSON.parse(hearth(dir, "backup", "create", "--json")).snapshot;
  // Damage pages 2–5 of the database.
  const db = join(dir, "hearth.db");
  const bytes = readFileSync(db);
  bytes.fill(0xa5, 2 * 8192, 6 * 8192);
  writeFileSync(db, bytes);

  await startDriver({ HEARTH_DATA_DIR: dir, HEARTH_TEST_SAVE_DIR: join(dir, "exports") });
  browser = await launch();
  const screen = await browser.$("[data-testid=startup-error]");
  await screen.waitForDisplayed({ timeout: 15000 });
  assert.match(await screen.getText(), /damaged|已损坏/);
  // Moved aside, not overwritten.
  const aside = readdirSync(dir).filter((n) => n.startsWith("hearth.db.damaged-") && !/-(wal|shm)$/.test(n));
  assert.equal(aside.length, 1);
  assert.deepEqual(readFileSync(join(dir, aside[0])), bytes);
  await settled(browser);
  await shot(browser, "startup-damaged");

  await (await browser.$("[data-testid=startup-restore]")).click();
  await (await browser.$("main")).waitForExist({ timeout: 15000 });
  assert.ok(existsSync(db));

  await chooseLanguage(browser, "en");
  const section = await browser.$("[data-testid=snapshots]");
  await toSection();
  await until(browser, async () => (await browser.$$("[data-snapshot]")).length === 1, "the restored-from snapshot is listed");
  assert.ok(await (await browser.$(`[data-snapshot="${snapshot.id}"]`)).isExisting());

  await (await browser.$("[data-testid=snapshot-create]")).click();
  await until(browser, async () => (await browser.$$("[data-snapshot]")).length === 2, "a new snapshot appears");
  const rows = await browser.$$("[data-snapshot]");
  assert.match(await rows[0].getText(), /by hand/);
  assert.match(await rows[0].getText(), /verified/);
  assert.match(await rows[0].getText(), /120/);

  await (await rows[1].$("[data-testid=snapshot-verify]")).click();
  await until(browser, async () => /passed/.test(await browser.$("body").getText()), "verify reports the check");

  await (await browser.$("[data-testid=snapshot-second-choose]")).click();
  await until(browser, async () => (await browser.$("[data-testid=snapshot-second]")).isExisting(), "the second folder is shown");
  await settled(browser);
  await toSection();
  await shot(browser, "settings-snapshots");

  await (await rows[1].$("[data-testid=snapshot-restore]")).click();
  const confirm = await browser.$("[data-testid=snapshot-confirm]");
  await confirm.waitForDisplayed({ timeout: 5000 });
  await settled(browser);
  await shot(browser, "restore-confirm");
  await (await browser.$("[data-testid=snapshot-restore-confirm]")).click();
  // The state before the restore is kept as a snapshot of its own.
  await until(browser, async () => (await browser.$$("[data-snapshot]")).length === 3, "a before-restore snapshot appears");
  assert.match(await (await browser.$$("[data-snapshot]"))[0].getText(), /before a restore/);

  await chooseLanguage(browser, "zh-CN");
  await toSection();
  await until(browser, async () => /快照/.test(await section.getText()), "the section speaks Chinese");
  await settled(browser);
  await toSection();
  await shot(browser, "settings-snapshots-zh");
  await showBoard(browser, "members");
});
