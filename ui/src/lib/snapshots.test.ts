import { describe, expect, it } from "vitest";
import { formatSize } from "./snapshots";

describe("formatSize", () => {
  it("reads as KB, MB or GB", () => {
    expect(formatSize(200)).toBe("1 KB");
    expect(formatSize(640 * 1024)).toBe("640 KB");
    expect(formatSize(5.25 * 1024 * 1024)).toBe("5.3 MB");
    expect(formatSize(3 * 1024 * 1024 * 1024)).toBe("3.0 GB");
  });
});
