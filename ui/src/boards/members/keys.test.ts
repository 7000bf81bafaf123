import { describe, expect, it } from "vitest";
import { keyTarget, membersKey, type KeyContext, type KeyPress } from "./keys";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

const board: KeyContext = {
  target: "other",
  chooserOpen: false,
  paletteOpen: false,
  fileDialogOpen: false,
  dialogOpen: false,
  rowAtCursor: true,
  panelOpen: false,
  selected: 0,
  query: "",
};
const on = (over: Partial<KeyContext>): KeyContext => ({ ...board, ...over });

describe("membersKey", () => {
  it("opens the import and the export with Ctrl or Cmd, even over another dialog", () => {
    expect(membersKey(press("i", { ctrlKey: true }), board)).toEqual({ act: "import", prevent: true });
    expect(membersKey(press("e", { metaKey: true }), board)).toEqual({ act: "export", prevent: true });
    expect(membersKey(press("i", { ctrlKey: true }), on({ dialogOpen: true, target: "field" }))).toEqual({ act: "import", prevent: true });
  });

  it("leaves Ctrl+I alone while the palette or a file dialog is open, or with Alt", () => {
    expect(membersKey(press("i", { ctrlKey: true }), on({ paletteOpen: true }))).toBeNull();
    expect(membersKey(press("e", { ctrlKey: true }), on({ fileDialogOpen: true }))).toBeNull();
    expect(membersKey(press("i", { ctrlKey: true, altKey: true }), board)).toBeNull();
    expect(membersKey(press("x", { ctrlKey: true }), board)).toBeNull();
  });

  it("maps the letters and / to the board's acts, in either case", () => {
    expect(membersKey(press("/"), board)).toEqual({ act: "focusSearch", prevent: true });
    expect(membersKey(press("f"), board)).toEqual({ act: "toggleFilter", prevent: true });
    expect(membersKey(press("F"), board)).toEqual({ act: "toggleFilter", prevent: true });
    expect(membersKey(press("l"), board)).toEqual({ act: "quickLog", prevent: true });
    expect(membersKey(press("L"), board)).toEqual({ act: "quickLog", prevent: true });
    expect(membersKey(press("n"), board)).toEqual({ act: "add", prevent: true });
    expect(membersKey(press("N"), board)).toEqual({ act: "add", prevent: true });
  });

  it("lets letters, / , Space and Delete type in the search box", () => {
    const search = on({ target: "search" });
    for (const key of ["/", "f", "L", "n", " ", "Delete"]) expect(membersKey(press(key), search), key).toBeNull();
  });

  it("moves the cursor from the search box too, by one row or a page", () => {
    const search = on({ target: "search" });
    expect(membersKey(press("ArrowDown"), search)).toEqual({ act: "move", by: 1, prevent: true });
    expect(membersKey(press("ArrowUp"), board)).toEqual({ act: "move", by: -1, prevent: true });
    expect(membersKey(press("PageDown"), board)).toEqual({ act: "move", by: 15, prevent: true });
    expect(membersKey(press("PageUp"), search)).toEqual({ act: "move", by: -15, prevent: true });
  });

  it("opens and selects only a row that is there", () => {
    expect(membersKey(press("Enter"), on({ target: "search" }))).toEqual({ act: "open", prevent: true });
    expect(membersKey(press("Enter"), on({ rowAtCursor: false }))).toBeNull();
    expect(membersKey(press(" "), board)).toEqual({ act: "toggleSelect", prevent: true });
    expect(membersKey(press(" "), on({ rowAtCursor: false }))).toBeNull();
  });

  it("deletes from the list, not from the search box", () => {
    expect(membersKey(press("Delete"), board)).toEqual({ act: "delete", prevent: true });
    expect(membersKey(press("Delete"), on({ rowAtCursor: false }))).toEqual({ act: "delete", prevent: true });
  });

  it("Escape closes the nearest thing first: chooser, panel, selection, then the search", () => {
    const all = on({ chooserOpen: true, panelOpen: true, selected: 3, query: "zw" });
    expect(membersKey(press("Escape"), all)).toEqual({ act: "closeChooser", prevent: false });
    expect(membersKey(press("Escape"), { ...all, chooserOpen: false })).toEqual({ act: "closePanel", prevent: false });
    expect(membersKey(press("Escape"), { ...all, chooserOpen: false, panelOpen: false })).toEqual({ act: "clearSelection", prevent: false });
    expect(membersKey(press("Escape"), on({ query: "zw", target: "search" }))).toEqual({ act: "clearSearch", prevent: false });
    expect(membersKey(press("Escape"), board)).toBeNull();
  });

  it("closes the chooser with Escape even over the palette, and nothing else there", () => {
    expect(membersKey(press("Escape"), on({ chooserOpen: true, paletteOpen: true }))).toEqual({ act: "closeChooser", prevent: false });
    expect(membersKey(press("Escape"), on({ paletteOpen: true, panelOpen: true }))).toBeNull();
  });

  it("stays quiet while a dialog is open, with modifiers, or in another field", () => {
    for (const over of [{ paletteOpen: true }, { dialogOpen: true }, { fileDialogOpen: true }, { target: "field" as const }]) {
      expect(membersKey(press("n"), on(over)), JSON.stringify(over)).toBeNull();
      expect(membersKey(press("ArrowDown"), on(over)), JSON.stringify(over)).toBeNull();
    }
    expect(membersKey(press("n", { altKey: true }), board)).toBeNull();
    expect(membersKey(press("ArrowDown", { metaKey: true }), board)).toBeNull();
  });

  it("ignores keys it does not know", () => {
    expect(membersKey(press("q"), board)).toBeNull();
    expect(membersKey(press("Tab"), board)).toBeNull();
  });
});

describe("keyTarget", () => {
  it("tells the search box from other fields and the rest of the page", () => {
    const search = document.createElement("input");
    expect(keyTarget(search, search)).toBe("search");
    expect(keyTarget(document.createElement("input"), search)).toBe("field");
    expect(keyTarget(document.createElement("textarea"), search)).toBe("field");
    expect(keyTarget(document.createElement("select"), search)).toBe("field");
    expect(keyTarget(document.createElement("button"), search)).toBe("other");
    expect(keyTarget(document.body, undefined)).toBe("other");
    expect(keyTarget(null, search)).toBe("other");
  });
});
