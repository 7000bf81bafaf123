// The members CRM on the real binary: pinyin-initials search, bulk tagging a selection, and
// merging a proposed duplicate pair, then undoing the merge.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { freshDataDir, launch, searchMembers, shot, startDriver, stopDriver, until } from "./harness.mjs";

let browser;

before(async () => {
  await startDriver({ HEARTH_DATA_DIR: freshDataDir(), LANG: "en_US.UTF-8" });
  browser = await launch();
  await (await browser.$("[data-testid=load-demo]")).click();
  await (await browser.$("[data-testid=member-count]")).waitForDisplayed({ timeout: 30000 });
});

after(async () => {
  await browser?.deleteSession().catch(() => {});
  stopDriver();
});

const cells = (selector) =>
  browser.execute(
    (sel) => [...document.querySelectorAll(`[data-testid=member-rows] [data-member-id] ${sel}`)].map((e) => e.textContent.trim()),
    selector,
  );

const search = (query) => searchMembers(browser, query);

test("zw finds 张伟 by pinyin initials", async () => {
  await (await browser.$("[data-testid=add-member]")).click();
  const panel = await browser.$("[data-testid=member-panel]");
  await (await panel.$("input[name=display_name]")).setValue("张伟");
  await (await panel.$("input[name=city]")).setValue("北京");
  await (await panel.$("[data-testid=save-member]")).click();
  await panel.waitForDisplayed({ reverse: true });
  await search("zw");
  const names = await cells(".name strong");
  assert.ok(names.includes("张伟"), `zw → ${names.join(", ")}`);
  await shot(browser, "search-zw");
});

test("select three members and tag them in one go", async () => {
  await search("");
  const boxes = await browser.$$("[data-testid=member-rows] [data-member-id] input[type=checkbox]");
  for (const box of boxes.slice(0, 3)) await box.click();
  assert.match(await (await browser.$("[data-testid=selection-count]")).getText(), /3 selected/);
  await (await browser.$("[data-testid=bulk-tag]")).click();
  await (await browser.$("[data-testid=bulk-tag-input]")).setValue("双十一活动");
  await shot(browser, "bulk-tag");
  await (await browser.$("[data-testid=bulk-tag-add]")).click();
  await until(browser, async () => (await browser.$$("[data-testid=toast]")).length > 0, "no confirmation toast");
  assert.equal(await search("双十一活动"), 3);
  const tags = await cells(".tags");
  assert.equal(tags.length, 3);
  for (const t of tags) assert.ok(t.includes("双十一活动"));
  await shot(browser, "tagged-three");
  await search("");
});

test("rename a tag in the tag list, and search follows", async () => {
  await (await browser.$("[data-testid=open-tags]")).click();
  const dialog = await browser.$("[data-testid=tags-dialog]");
  await dialog.waitForDisplayed();
  await (await dialog.$("[data-testid=tag-filter]")).setValue("双十一");
  const row = await dialog.$("li*=双十一活动");
  assert.match(await row.getText(), /3 members/);
  await (await row.$("button=Rename")).click();
  await (await dialog.$("[data-testid=tag-rename-input]")).waitForDisplayed();
  await until(
    browser,
    () => browser.execute(() => document.activeElement?.dataset.testid === "tag-rename-input"),
    "the rename field did not take focus",
  );
  // The field commits on blur, and WebDriver's clear/type moves focus: set the text as an input
  // event would, then press Enter in the still-focused field.
  await browser.execute((text) => {
    const el = document.activeElement;
    el.value = text;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, "双十一");
  await browser.keys(["Enter"]);
  await until(browser, async () => (await dialog.$$("button=双十一")).length === 1, "rename did not land");
  await shot(browser, "tags-dialog");
  await (await dialog.$("button=双十一")).click();
  const count = await browser.$("[data-testid=member-count]");
  await until(browser, async () => (await count.getAttribute("data-query")) === "双十一", "picking a tag did not search");
  await until(browser, async () => Number(await count.getAttribute("data-total")) === 3, "three members carry the renamed tag");
  await search("");
});

test("merge a proposed duplicate pair, then undo the merge", async () => {
  const total = Number(await (await browser.$("[data-testid=member-count]")).getAttribute("data-total"));
  await (await browser.$("[data-testid=toggle-duplicates]")).click();
  const pair = await browser.$("[data-testid=duplicate-pair]");
  await pair.waitForDisplayed({ timeout: 15000 });
  const dupCount = await browser.$("[data-testid=dup-count]");
  const pairs = Number(await dupCount.getAttribute("data-total"));
  assert.ok(pairs > 0);
  await shot(browser, "duplicates");
  await (await pair.$("button")).click();
  await (await browser.$("[data-testid=merge-dialog]")).waitForDisplayed();
  await shot(browser, "merge-dialog");
  await (await browser.$("[data-testid=confirm-merge]")).click();
  await until(
    browser,
    async () => Number(await dupCount.getAttribute("data-total")) < pairs,
    "the merged pair did not leave the list",
  );
  const count = await browser.$("[data-testid=member-count]");
  await until(browser, async () => Number(await count.getAttribute("data-total")) === total - 1, "member count did not drop by one");
  await shot(browser, "merged");

  const toasts = await browser.$$("[data-testid=toast]");
  let undo;
  for (const toast of toasts) if ((await toast.getText()).includes("Merged into")) undo = await toast.$("button.action");
  assert.ok(undo, "the merge toast offers Undo");
  await undo.click();
  await until(browser, async () => Number(await count.getAttribute("data-total")) === total, "undo did not bring the member back");
  await until(
    browser,
    async () => Number(await dupCount.getAttribute("data-total")) === pairs,
    "the pair did not come back after undo",
  );
  await shot(browser, "merge-undone");
});

test("filter by city and tag, save it as a segment, and set the role of a selection", async () => {
  // Back to the list from the duplicates view.
  await browser.execute(() => document.querySelector("[data-testid=toggle-duplicates]").click());
  await search("");
  const count = await browser.$("[data-testid=member-count]");
  const everyone = Number(await count.getAttribute("data-total"));
  await browser.execute(() => document.querySelector("[data-testid=toggle-filter]").click());
  await (await browser.$("[data-testid=filter-bar]")).waitForExist();
  await browser.execute(() => {
    const select = document.querySelector("[data-testid=filter-cities]");
    select.value = "北京";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await until(browser, async () => Number(await count.getAttribute("data-total")) < everyone, "the city filter narrows the list");
  const inBeijing = Number(await count.getAttribute("data-total"));
  const tagInput = await browser.$("[data-testid=filter-tags_all]");
  await tagInput.setValue("VIP");
  await browser.keys(["Tab"]);
  await until(browser, async () => Number(await count.getAttribute("data-total")) < inBeijing, "the tag narrows it further");
  const vipInBeijing = Number(await count.getAttribute("data-total"));
  assert.ok(vipInBeijing > 0);
  const cities = await browser.execute(() =>
    [...document.querySelectorAll("[data-testid=member-rows] [data-member-id]")].map((r) => r.textContent),
  );
  assert.ok(cities.every((text) => text.includes("VIP")), "every row carries VIP");

  await (await browser.$("[data-testid=segment-name]")).setValue("北京 VIP 会员");
  await browser.execute(() => document.querySelector("[data-testid=segment-save]").click());
  await until(
    browser,
    async () => (await browser.execute(() => document.querySelector("[data-testid=segment-select] option:checked")?.textContent ?? "")).includes("北京 VIP 会员"),
    "the new segment is selected",
  );
  const option = await browser.execute(() => document.querySelector("[data-testid=segment-select] option:checked").textContent);
  assert.match(option, new RegExp(`· ${vipInBeijing}$`), "the segment shows its live count");
  await shot(browser, "segment-saved");

  const boxes = await browser.$$("[data-testid=member-rows] [data-member-id] input[type=checkbox]");
  for (const box of boxes.slice(0, 2)) await box.click();
  await browser.execute(() => document.querySelector("[data-testid=bulk-role]").click());
  await (await browser.$("[data-testid=bulk-role-input]")).setValue("志愿者");
  await browser.execute(() => document.querySelector("[data-testid=bulk-role-apply]").click());
  // The role filter now offers 志愿者 with the two members.
  await until(
    browser,
    async () =>
      (await browser.execute(() => [...document.querySelectorAll("[data-testid=filter-roles] option")].map((o) => o.textContent))).some((t) =>
        /^志愿者 \(\d+\)$/.test(t),
      ),
    "志愿者 appears among the roles",
  );
  await browser.execute(() => document.querySelector("[data-testid=filter-clear]").click());
  await until(browser, async () => Number(await count.getAttribute("data-total")) === everyone, "clearing the filter shows everyone");
});

test("custom fields: define them in settings, fill them on a profile, wrong types are refused", async () => {
  await browser.execute(() => document.querySelector("[data-board=settings]").click());
  const label = await browser.$("[data-testid=custom-label]");
  await label.setValue("Company");
  await browser.execute(() => document.querySelector("[data-testid=custom-add]").click());
  await until(browser, async () => (await browser.execute(() => document.querySelector("[data-testid=custom-fields]")?.textContent ?? "")).includes("Company"), "Company listed");
  await label.setValue("Age");
  await browser.execute(() => {
    const select = document.querySelector("[data-testid=custom-kind]");
    select.value = "number";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await browser.execute(() => document.querySelector("[data-testid=custom-add]").click());
  await until(browser, async () => (await browser.execute(() => document.querySelector("[data-testid=custom-fields]").textContent)).includes("Age"), "Age listed");
  await shot(browser, "custom-fields");

  await browser.execute(() => document.querySelector("[data-board=members]").click());
  await browser.execute(() => document.querySelector("[data-testid=member-rows] [data-member-id]").click());
  const panel = await browser.$("[data-testid=member-panel]");
  await panel.waitForExist({ timeout: 10000 });
  const company = await browser.$("[data-testid=custom-Company]");
  await company.waitForExist({ timeout: 5000 });
  await company.setValue("Acme 中国");
  await (await browser.$("[data-testid=custom-Age]")).setValue("thirty");
  await browser.execute(() => document.querySelector("[data-testid=save-member]").click());
  const error = await browser.$("[data-testid=form-error]");
  await error.waitForExist({ timeout: 5000 });
  assert.match(await browser.execute(() => document.querySelector("[data-testid=form-error]").textContent), /Age.*thirty.*not a number/);
  const age = await browser.$("[data-testid=custom-Age]");
  await age.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Backspace"]);
  await age.setValue("31");
  await browser.execute(() => document.querySelector("[data-testid=save-member]").click());
  await until(
    browser,
    async () => (await browser.execute(() => document.querySelector("[data-testid=form-error]") === null)),
    "the form saves once the age is a number",
  );
  await shot(browser, "custom-saved");
  // Reopen: the values came back from the database.
  await browser.keys(["Escape"]);
  await browser.execute(() => document.querySelector("[data-testid=member-rows] [data-member-id]").click());
  await (await browser.$("[data-testid=custom-Company]")).waitForExist({ timeout: 5000 });
  const values = await browser.execute(() => [
    document.querySelector("[data-testid=custom-Company]").value,
    document.querySelector("[data-testid=custom-Age]").value,
  ]);
  assert.deepEqual(values, ["Acme 中国", "31"]);
});

test("the column chooser shows a custom field and the city as columns", async () => {
  await browser.keys(["Escape"]);
  await browser.execute(() => document.querySelector("[data-testid=open-columns]").click());
  await (await browser.$("[data-testid=column-chooser]")).waitForExist();
  await browser.execute(() => {
    for (const label of document.querySelectorAll("[data-testid=column-chooser] label")) {
      const text = label.textContent.trim();
      const input = label.querySelector("input");
      // The choice is remembered between runs; make sure both end up shown.
      if ((text === "City" || text === "Company") && !input.checked) input.click();
    }
  });
  const headers = await browser.execute(() =>
    [...document.querySelectorAll(".row.head [role=columnheader]")].map((h) => h.textContent.trim()),
  );
  assert.ok(headers.includes("City") && headers.includes("Company"), headers.join(" | "));
  const firstRow = await browser.execute(() => document.querySelector("[data-testid=member-rows] [data-member-id] .cell.custom")?.textContent);
  assert.equal(firstRow, "Acme 中国");
  await shot(browser, "columns");
});

test("a tag gets a colour and a group, and the table's chips follow", async () => {
  await browser.execute(() => document.querySelector("[data-testid=open-tags]").click());
  await (await browser.$("[data-testid=tags-dialog]")).waitForExist();
  await browser.execute(() => {
    const row = [...document.querySelectorAll("[data-testid=tag-row]")].find((r) => r.querySelector(".name")?.textContent.trim() === "VIP");
    const select = row.querySelector("[data-testid=tag-color]");
    select.value = "purple";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const group = row.querySelector("[data-testid=tag-group]");
    group.value = "身份";
    group.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await until(
    browser,
    async () =>
      (await browser.execute(() => {
        // Walk the list: the nearest group heading above VIP's row.
        let heading = null;
        for (const li of document.querySelectorAll("[data-testid=tags-dialog] li")) {
          if (li.classList.contains("group-head")) heading = li.textContent;
          else if (li.querySelector(".name")?.textContent.trim() === "VIP") return heading;
        }
        return null;
      })) === "身份",
    "VIP is listed under its group",
  );
  await shot(browser, "tag-styles");
  await browser.keys(["Escape"]);
  await until(
    browser,
    async () =>
      (await browser.execute(() =>
        [...document.querySelectorAll("[data-testid=member-rows] .tag")].filter((c) => c.textContent === "VIP").every((c) => c.dataset.color === "purple"),
      )) && (await browser.execute(() => [...document.querySelectorAll("[data-testid=member-rows] .tag")].some((c) => c.textContent === "VIP"))),
    "VIP chips are purple",
  );
  const background = await browser.execute(() => {
    const chip = [...document.querySelectorAll("[data-testid=member-rows] .tag")].find((c) => c.textContent === "VIP");
    return getComputedStyle(chip).backgroundColor;
  });
  assert.equal(background, "rgb(229, 219, 255)", "the chip is drawn in the light theme's purple");
  await shot(browser, "purple-vip");
});
