// Display helpers shared by boards. Pure functions, unit-tested.
import type { Identity, IdentityKind } from "../ipc/backend";

/** `+8613800138000` → `+86 138 0013 8000`; `+14155550132` → `+1 415 555 0132`; others as stored. */
export function formatPhone(e164: string): string {
  const cn = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(e164);
  if (cn) return `+86 ${cn[1]} ${cn[2]} ${cn[3]}`;
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (nanp) return `+1 ${nanp[1]} ${nanp[2]} ${nanp[3]}`;
  return e164;
}

export function firstOf(identities: Identity[], kind: IdentityKind): string {
  const found = identities.find((i) => i.kind === kind)?.value ?? "";
  return kind === "phone" && found ? formatPhone(found) : found;
}

/** Splits typed tags on the separators managers use: , ， 、 ; ； | and new lines. */
export function splitTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,，、;；|\n]/)) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  }
  return out;
}

/** An RFC 3339 instant → the `YYYY-MM-DD` of that instant in local time, for `<input type=date>`. */
export function toDateInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `YYYY-MM-DD` typed in local time → RFC 3339 of local midnight, or null when empty. */
export function fromDateInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return value.trim() || null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).toISOString();
}

/** A metric's value as people read it: whole numbers grouped, others to one decimal; "—" when unknown. */
export function formatMetric(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : Number.isInteger(v) ? v.toLocaleString() : v.toFixed(1);
}
