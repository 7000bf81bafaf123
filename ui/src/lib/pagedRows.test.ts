import { describe, expect, it } from "vitest";
import { PagedRows } from "./pagedRows";

describe("PagedRows", () => {
  it("asks only for missing pages, once each", () => {
    const rows = new PagedRows<number>(10);
    rows.reset(35);
    expect(rows.claimMissing(0, 14)).toEqual([0, 1]);
    expect(rows.claimMissing(5, 25)).toEqual([2]);
    expect(rows.claimMissing(0, 1000)).toEqual([3]);
    rows.fill(1, [10, 11, 12], 35);
    expect(rows.rowAt(11)).toBe(11);
    expect(rows.rowAt(0)).toBeUndefined();
  });

  it("forgets every page when the total changes underneath", () => {
    const rows = new PagedRows<string>(2);
    rows.reset(4);
    rows.claimMissing(0, 3);
    rows.fill(0, ["a", "b"], 4);
    rows.fill(1, ["c"], 3);
    expect(rows.total).toBe(3);
    expect(rows.rowAt(0)).toBeUndefined();
    expect(rows.rowAt(2)).toBe("c");
  });

  it("retries a failed page", () => {
    const rows = new PagedRows<string>(5);
    rows.reset(10);
    expect(rows.claimMissing(0, 4)).toEqual([0]);
    rows.failed(0);
    expect(rows.claimMissing(0, 4)).toEqual([0]);
  });

  it("has nothing to fetch for an empty list", () => {
    const rows = new PagedRows<string>(5);
    expect(rows.claimMissing(0, 100)).toEqual([]);
  });
});
