// The Members board's keyboard: which act a key press asks for, given what is open and where the
// focus is. Pure (no DOM, no state of its own), so every key is tested; the board does the act.
//   Ctrl/Cmd+I import · Ctrl/Cmd+E export · / search · F filter bar · L quick log · N add ·
//   ↑ ↓ PageUp PageDown move · Enter open · Space select · Delete delete ·
//   Esc closes the column chooser, else the panel, else clears the selection, else the search.

export type MembersAct =
  | { act: "import" | "export" | "closeChooser" | "focusSearch" | "toggleFilter" | "quickLog" | "add" }
  | { act: "open" | "toggleSelect" | "delete" | "closePanel" | "clearSelection" | "clearSearch" }
  | { act: "move"; by: number };

/** An act, and whether the key is the board's (the browser's default is prevented). */
export type KeyHit = MembersAct & { prevent: boolean };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface KeyContext {
  /** Where the key was pressed: the board's search box, another field, or anywhere else. */
  target: "search" | "field" | "other";
  chooserOpen: boolean;
  paletteOpen: boolean;
  /** The import, export or activity import is open. */
  fileDialogOpen: boolean;
  /** Another of the board's dialogs is open (tags, quick log, leaderboard). */
  dialogOpen: boolean;
  /** A loaded row is under the cursor. */
  rowAtCursor: boolean;
  panelOpen: boolean;
  selected: number;
  query: string;
}

const PAGE_STEP = 15;

const MOVES: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: PAGE_STEP, PageUp: -PAGE_STEP };

/** Letters and `/`, which type text in the search box and act everywhere else. */
const LETTERS: Record<string, MembersAct["act"]> = {
  "/": "focusSearch",
  f: "toggleFilter",
  F: "toggleFilter",
  l: "quickLog",
  L: "quickLog",
  n: "add",
  N: "add",
};

export function membersKey(e: KeyPress, s: KeyContext): KeyHit | null {
  if (e.key === "Escape" && s.chooserOpen) return { act: "closeChooser", prevent: false };
  const command = e.ctrlKey || e.metaKey;
  if (command && !e.altKey && !s.paletteOpen && !s.fileDialogOpen && (e.key === "i" || e.key === "e")) {
    return { act: e.key === "i" ? "import" : "export", prevent: true };
  }
  if (s.paletteOpen || s.dialogOpen || s.fileDialogOpen || command || e.altKey) return null;
  if (s.target === "field") return null;
  const inSearch = s.target === "search";
  const letter = LETTERS[e.key];
  if (letter) return inSearch ? null : ({ act: letter, prevent: true } as KeyHit);
  if (e.key in MOVES) return { act: "move", by: MOVES[e.key], prevent: true };
  switch (e.key) {
    case "Enter":
      return s.rowAtCursor ? { act: "open", prevent: true } : null;
    case " ":
      return !inSearch && s.rowAtCursor ? { act: "toggleSelect", prevent: true } : null;
    case "Delete":
      return inSearch ? null : { act: "delete", prevent: true };
    case "Escape":
      if (s.panelOpen) return { act: "closePanel", prevent: false };
      if (s.selected > 0) return { act: "clearSelection", prevent: false };
      if (s.query) return { act: "clearSearch", prevent: false };
      return null;
  }
  return null;
}

/** Where a key was pressed, for `KeyContext.target`. */
export function keyTarget(target: EventTarget | null, search: HTMLElement | undefined): KeyContext["target"] {
  if (search && target === search) return "search";
  const field = target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  return field ? "field" : "other";
}
