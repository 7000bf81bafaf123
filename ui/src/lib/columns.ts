// The member table's optional columns: which exist, their widths, and the manager's choice
// (kept in this window's local storage; it is a view preference, not data).
import type { Member } from "../ipc/backend";
import { firstOf } from "./format";

export const BUILT_IN = ["phone", "email", "wechat", "qq", "city", "role", "source", "tags", "joined"] as const;
export type BuiltInColumn = (typeof BUILT_IN)[number];
/** A built-in column, or `custom:<label>`. */
export type Column = BuiltInColumn | `custom:${string}`;

export const DEFAULT_COLUMNS: Column[] = ["phone", "email", "wechat", "tags", "joined"];
const KEY = "hearth.members.columns";

export const WIDTH: Record<BuiltInColumn, string> = {
  phone: "150px",
  email: "minmax(140px, 1.2fr)",
  wechat: "minmax(110px, 0.9fr)",
  qq: "110px",
  city: "100px",
  role: "110px",
  source: "110px",
  tags: "minmax(120px, 1.2fr)",
  joined: "100px",
};

export function widthOf(column: Column): string {
  return column.startsWith("custom:") ? "minmax(100px, 1fr)" : WIDTH[column as BuiltInColumn];
}

export function loadColumns(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): Column[] {
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? "null");
    if (Array.isArray(saved) && saved.every((c) => typeof c === "string")) {
      return saved.filter((c: string) => c.startsWith("custom:") || (BUILT_IN as readonly string[]).includes(c)) as Column[];
    }
  } catch {
    // A damaged preference falls back to the default.
  }
  return [...DEFAULT_COLUMNS];
}

export function saveColumns(columns: Column[], storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage) {
  storage?.setItem(KEY, JSON.stringify(columns));
}

/** Toggles a column, keeping the built-in order first and custom columns after. */
export function toggleColumn(columns: Column[], column: Column): Column[] {
  if (columns.includes(column)) return columns.filter((c) => c !== column);
  const next = [...columns, column];
  const rank = (c: Column) => (c.startsWith("custom:") ? 100 : BUILT_IN.indexOf(c as BuiltInColumn));
  return next.sort((a, b) => rank(a) - rank(b));
}

/** The text of a plain (non-tag, non-date) cell. */
export function cellText(member: Member, column: Column): string {
  if (column.startsWith("custom:")) return member.custom[column.slice(7)] ?? "";
  switch (column) {
    case "phone":
    case "email":
    case "wechat":
    case "qq":
      return firstOf(member.identities, column);
    case "city":
      return member.city;
    case "role":
      return member.role;
    case "source":
      return member.source;
    default:
      return "";
  }
}
