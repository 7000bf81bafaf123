import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, loadColumns, saveColumns, toggleColumn } from "./columns";

function memory() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe("member table columns", () => {
  it("starts with the default set and remembers the manager's choice", () => {
    const storage = memory();
    expect(loadColumns(storage)).toEqual(DEFAULT_COLUMNS);
    saveColumns(["city", "custom:公司"], storage);
    expect(loadColumns(storage)).toEqual(["city", "custom:公司"]);
  });

  it("ignores unknown or damaged preferences", () => {
    const storage = memory();
    storage.setItem("hearth.members.columns", "{not json");
    expect(loadColumns(storage)).toEqual(DEFAULT_COLUMNS);
    storage.setItem("hearth.members.columns", JSON.stringify(["phone", "shoe_size"]));
    expect(loadColumns(storage)).toEqual(["phone"]);
  });

  it("keeps built-in columns in their order and custom ones after", () => {
    expect(toggleColumn(["tags", "custom:公司"], "city")).toEqual(["city", "tags", "custom:公司"]);
    expect(toggleColumn(["city", "tags"], "city")).toEqual(["tags"]);
  });
});
