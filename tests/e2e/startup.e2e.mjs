// Faults at start-up are explained in the window, never a crash and never a silent new database.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDataDir, launch, shot, startDriver, stopDriver } from "./harness.mjs";

let browser;

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

test("a file that is not a Hearth database is reported and left untouched", async () => {
  const dir = freshDataDir();
  const db = join(dir, "hearth.db");
  const csv = "姓名,手机号\n张伟,13800138000\n";
  writeFileSync(db, csv);
  await startDriver({ HEARTH_DATA_DIR: dir });
  browser = await launch();
  const error = await browser.$("[data-testid=startup-error]");
  await error.waitForDisplayed({ timeout: 15000 });
  const text = await error.getText();
  assert.match(text, /not a Hearth database|不是 Hearth 数据库/);
  assert.ok(text.includes(db), "names the file");
  await shot(browser, "startup-not-hearth");
  assert.equal(readFileSync(db, "utf8"), csv);
  await browser.deleteSession();
  browser = undefined;
  stopDriver();
});

test("a data folder that cannot be created is reported", async () => {
  const dir = freshDataDir();
  const blocker = join(dir, "occupied");
  writeFileSync(blocker, "a file where the folder should be");
  await startDriver({ HEARTH_DATA_DIR: join(blocker, "data") });
  browser = await launch();
  const error = await browser.$("[data-testid=startup-error]");
  await error.waitForDisplayed({ timeout: 15000 });
  assert.match(await error.getText(), /cannot be used|无法使用数据文件夹/);
  await shot(browser, "startup-folder-unusable");
});
