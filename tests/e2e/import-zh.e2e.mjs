// A layout Hearth does not know, in the Chinese UI: the preview maps the phone column from its
// values and says so above the plan, the row without a name or contact is listed as not a person;
// the manager maps the other columns, saves the mapping, imports; the saved mapping is listed next time.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { chooseLanguage, freshDataDir, launch, root, shot, showBoard, startDriver, stopDriver, until } from "./harness.mjs";

let browser;

before(async () => {
  await startDriver({
    HEARTH_DATA_DIR: freshDataDir(),
    LANG: "zh_CN.UTF-8",
    LANGUAGE: "zh_CN:zh",
    HEARTH_TEST_OPEN_FILE: join(root, "tests/fixtures/import/club-roster.csv"),
  });
  browser = await launch();
  // WebKit under Xvfb reports en-US whatever LANG says; choose Chinese the way a manager would.
  await chooseLanguage(browser, "zh-CN");
  await showBoard(browser, "members");
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const click = (testid) => browser.execute((id) => document.querySelector(`[data-testid=${id}]`).click(), testid);
const count = async (action) =>
  Number(await browser.execute((a) => document.querySelector(`[data-testid=import-count-${a}]`)?.dataset.count ?? "-1", action));

async function choose(testid, value) {
  await browser.execute(
    (id, v) => {
      const select = document.querySelector(`[data-testid=${id}]`);
      select.value = v;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    },
    testid,
    value,
  );
}

test("an unknown layout is mapped by hand, saved, and imported", async () => {
  await click("welcome-import");
  await (await browser.$("[data-testid=import-warnings]")).waitForExist({ timeout: 20000 });
  const warning = await browser.execute(() => document.querySelector("[data-testid=import-warnings] [data-code=column_guessed]")?.textContent ?? "");
  assert.match(warning, /「联系手机」列按内容识别为手机号/);
  assert.equal(await browser.execute(() => document.querySelector("[data-testid=import-map-1]").value), "phone");
  // 殷离 has no phone and the name column is not mapped yet: that row is not a person, and says why.
  assert.equal(await count("create"), 2);
  assert.equal(await count("invalid"), 1);
  const row4 = await browser.execute(() => document.querySelector("[data-testid=import-row][data-line='4']")?.textContent ?? "");
  assert.match(row4, /既没有姓名也没有联系方式/);
  await shot(browser, "column-guessed");

  await choose("import-map-0", "name");
  await until(browser, async () => (await count("create")) === 3, "3 new rows once the name column is mapped");
  await choose("import-map-1", "phone");
  await until(browser, async () => (await browser.execute(() => document.querySelector("[data-testid=import-map-1]").value)) === "phone", "phone mapped");
  await choose("import-map-2", "tags");
  await choose("import-map-3", "joined_at");
  await until(browser, async () => (await count("create")) === 3 && (await count("invalid")) === 0, "still 3 new, none invalid");
  await (await browser.$("[data-testid=import-preset-name]")).setValue("俱乐部会员表");
  await browser.execute(() => document.querySelector(".save-preset button[type=submit]").click());
  await until(
    browser,
    async () => (await browser.execute(() => document.body.textContent.includes("已保存列对应“俱乐部会员表”"))),
    "saved toast",
  );
  await shot(browser, "mapped-by-hand");
  await click("import-apply");
  const counter = await browser.$("[data-testid=member-count]");
  await counter.waitForExist({ timeout: 20000 });
  await until(browser, async () => (await counter.getAttribute("data-total")) === "3", "3 members imported");
  const tags = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=member-rows] [data-member-id]")].map((r) => r.textContent),
  );
  assert.ok(tags.some((t) => t.includes("赵敏") && t.includes("金卡")), tags.join(" | "));
});

test("next time, the same headers use the saved mapping", async () => {
  await click("open-import");
  await (await browser.$("[data-testid=import-saved-preset]")).waitForExist({ timeout: 20000 });
  const badge = await browser.execute(() => document.querySelector("[data-testid=import-saved-preset]").textContent);
  assert.match(badge, /俱乐部会员表/);
  // Everyone is already a member now. The two with a phone match by it and are updates; 殷离 has
  // only her name, and a name alone never merges: she is new, flagged as possibly the same person.
  await until(browser, async () => (await count("update")) === 2 && (await count("create")) === 1, "2 updates, 1 new");
  assert.equal(await count("flagged"), 1);
  const flag = await browser.execute(() => {
    const f = document.querySelector("[data-testid=import-row][data-line='4'] [data-testid=import-flag]");
    return f ? { reason: f.dataset.reason, text: f.textContent, shown: f.getBoundingClientRect().height > 0 } : null;
  });
  assert.equal(flag?.reason, "possible_duplicate", JSON.stringify(flag));
  assert.ok(flag.shown);
  assert.match(flag.text, /与成员「殷离」（#\d+）同名/);
  await shot(browser, "saved-mapping");
});
