import { describe, expect, it } from "vitest";
import { en } from "./en";
import { zhCN } from "./zh-CN";
import { format, i18n, setLocale, systemLocale, t } from "./index.svelte";
import bindings from "../ipc/bindings.ts?raw";

describe("catalogues", () => {
  it("zh-CN and English have the same keys and no empty message", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(zhCN)) expect(value, key).not.toBe("");
  });

  it("use the same placeholders in both languages", () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });

  it("translate every error code the core can send", () => {
    const union = /export type ErrorCode =([\s\S]*?);/.exec(bindings)?.[1] ?? "";
    const codes = [...union.matchAll(/"(\w+)"/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(Object.keys(en), code).toContain(`error.${code}`);
  });
});

describe("t()", () => {
  it("follows the chosen language and fills numbers in its format", () => {
    setLocale("en");
    expect(t("members.count", { count: 30000 })).toBe("30,000 members");
    setLocale("zh-CN");
    expect(i18n.locale).toBe("zh-CN");
    expect(t("members.count", { count: 30000 })).toBe("共 30,000 位成员");
    expect(document.documentElement.lang).toBe("zh-CN");
  });

  it("leaves unknown placeholders empty rather than printing braces", () => {
    expect(format("{a} and {b}", { a: "x" })).toBe("x and ");
  });

  it("picks Chinese for any zh system language, English otherwise", () => {
    expect(systemLocale(["zh-TW"])).toBe("zh-CN");
    expect(systemLocale(["en-GB", "zh-CN"])).toBe("zh-CN");
    expect(systemLocale(["fr-FR"])).toBe("en");
  });
});
