import { describe, expect, it } from "vitest";
import { firstOf, formatMetric, formatPhone, fromDateInput, splitTags, toDateInput } from "./format";

describe("format helpers", () => {
  it("groups phone numbers for reading", () => {
    expect(formatPhone("+8613800138000")).toBe("+86 138 0013 8000");
    expect(formatPhone("+14155550132")).toBe("+1 415 555 0132");
    expect(formatPhone("+442079460958")).toBe("+442079460958");
  });

  it("shows the first identity of a kind", () => {
    const ids = [
      { kind: "email" as const, value: "a@example.com" },
      { kind: "phone" as const, value: "+8613800138000" },
      { kind: "phone" as const, value: "+8613900139000" },
    ];
    expect(firstOf(ids, "phone")).toBe("+86 138 0013 8000");
    expect(firstOf(ids, "wechat")).toBe("");
  });

  it("splits tags on Chinese and English separators, dropping repeats", () => {
    expect(splitTags("志愿者，讲者、北京; VIP | vip\nRust")).toEqual(["志愿者", "讲者", "北京", "VIP", "Rust"]);
    expect(splitTags(" , ")).toEqual([]);
  });

  it("round-trips a local date through the date input", () => {
    const iso = fromDateInput("2024-03-05");
    expect(iso).not.toBeNull();
    expect(toDateInput(iso)).toBe("2024-03-05");
    expect(fromDateInput("")).toBeNull();
  });
});

describe("formatMetric", () => {
  it("reads as people read a KPI: one decimal, grouped whole numbers, a dash when unknown", () => {
    expect(formatMetric(69.94219653179191)).toBe("69.9");
    expect(formatMetric(2000)).toBe((2000).toLocaleString());
    expect(formatMetric(null)).toBe("—");
    expect(formatMetric(undefined)).toBe("—");
  });
});
