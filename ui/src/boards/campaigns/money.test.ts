import { describe, expect, it } from "vitest";
import { fenText, parseFen } from "./money";

describe("money typed in yuan", () => {
  it("reads whole fen without float error", () => {
    expect(parseFen("0.1")).toBe(10);
    expect(parseFen("0.29")).toBe(29);
    expect(parseFen("1,234.5")).toBe(123450);
    expect(parseFen(" 80 ")).toBe(8000);
    expect(parseFen("12.")).toBe(1200);
  });
  it("refuses what is not an amount", () => {
    for (const bad of ["", "-1", "1.234", "abc", "1e3", "."]) expect(parseFen(bad)).toBeNull();
  });
  it("writes fen back as text the input reads the same", () => {
    for (const fen of [0, 5, 10, 123450, 99999]) expect(parseFen(fenText(fen))).toBe(fen);
    expect(fenText(30)).toBe("0.30");
  });
});
