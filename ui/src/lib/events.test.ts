import { describe, expect, it } from "vitest";
import { addHours, clockTime, eventWhen, monthLabel, monthOf, percent, phoneTail, splitByTime } from "./events";

const saturday = {
  starts_at: "2026-11-28T06:00:00Z",
  ends_at: "2026-11-28T09:00:00Z",
  time_zone: "Asia/Shanghai",
  starts_local: "2026-11-28T14:00",
};

describe("event times", () => {
  it("shows the time in the event's zone, not the machine's", () => {
    expect(eventWhen(saturday, "en-US")).toContain("14:00–17:00");
    expect(eventWhen(saturday, "zh-CN")).toContain("14:00–17:00");
    expect(eventWhen(saturday, "zh-CN")).toContain("11月28日");
    expect(clockTime("2026-11-28T06:07:00Z", "Asia/Shanghai", "en")).toBe("14:07");
  });

  it("names the end day when the event runs overnight", () => {
    const overnight = { ...saturday, ends_at: "2026-11-28T18:00:00Z" };
    expect(eventWhen(overnight, "en-US")).toMatch(/Nov 29.*02:00$/);
  });

  it("groups by the month of the local start", () => {
    expect(monthOf(saturday)).toBe("2026-11");
    expect(monthLabel("2026-11", "zh-CN")).toBe("2026年11月");
    expect(monthLabel("2026-11", "en")).toBe("November 2026");
  });

  it("puts upcoming events first, soonest first, and past ones newest first", () => {
    const a = { ...saturday, starts_at: "2026-12-01T00:00:00Z", ends_at: "2026-12-01T02:00:00Z" };
    const old = { ...saturday, starts_at: "2026-10-01T00:00:00Z", ends_at: "2026-10-01T02:00:00Z" };
    const older = { ...saturday, starts_at: "2026-09-01T00:00:00Z", ends_at: "2026-09-01T02:00:00Z" };
    const { upcoming, past } = splitByTime([older, a, saturday, old], new Date("2026-11-25T00:00:00Z"));
    expect(upcoming).toEqual([saturday, a]);
    expect(past).toEqual([old, older]);
  });
});

describe("small formats", () => {
  it("keeps the last four digits of a phone", () => {
    expect(phoneTail("+8613800138000")).toBe("8000");
    expect(phoneTail(null)).toBe("");
  });

  it("writes rates as percentages and unknown as a dash", () => {
    expect(percent(0.8125, "en")).toBe("81%");
    expect(percent(null, "en")).toBe("—");
  });

  it("adds hours across midnight", () => {
    expect(addHours("2026-11-28T22:00", 3)).toBe("2026-11-29T01:00");
  });
});
