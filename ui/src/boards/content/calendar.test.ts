import { describe, expect, it } from "vitest";
import { addDays, addMonths, mondayOf, page, range, step, weekday } from "./calendar";

describe("content calendar days", () => {
  it("adds days across month and year ends", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
  });

  it("knows weekdays from Monday", () => {
    expect(weekday("2026-12-07")).toBe(0);
    expect(weekday("2026-12-13")).toBe(6);
    expect(mondayOf("2026-12-13")).toBe("2026-12-07");
  });

  it("clamps a month step to the shorter month", () => {
    expect(addMonths("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonths("2026-12-15", 1)).toBe("2027-01-15");
    expect(addMonths("2027-01-15", -1)).toBe("2026-12-15");
  });

  it("shows six weeks for a month, starting the Monday on or before the 1st", () => {
    const r = range("month", "2026-12-08");
    expect(r.days).toHaveLength(42);
    expect(r.from).toBe("2026-11-30");
    expect(r.to).toBe("2027-01-10");
    expect(range("week", "2026-12-10").days[0]).toBe("2026-12-07");
    expect(range("agenda", "2026-12-10").from).toBe("2026-12-10");
  });

  it("moves the selection and the page by view", () => {
    expect(step("month", "ArrowDown")).toBe(7);
    expect(step("agenda", "ArrowDown")).toBe(1);
    expect(step("week", "ArrowLeft")).toBe(-1);
    expect(page("week", "2026-12-08", 1)).toBe("2026-12-15");
    expect(page("month", "2026-12-08", -1)).toBe("2026-11-08");
  });
});
