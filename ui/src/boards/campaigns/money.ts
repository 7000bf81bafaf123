// Amounts typed in yuan (or any currency's main unit) and shown from integer fen, without floats:
// "12.3" is 1230 fen exactly, never 1229.9999.

/** Fen from text like "1,234.5" or "80"; null when it is not an amount ≥ 0 with at most 2 decimals. */
export function parseFen(text: string): number | null {
  const s = text.trim().replace(/[,，\s]/g, "");
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const whole = Number(m[1]);
  const cents = Number((m[2] ?? "").padEnd(2, "0"));
  const fen = whole * 100 + cents;
  return Number.isSafeInteger(fen) ? fen : null;
}

/** "1234.50" from 123450 fen (for an input's value). */
export function fenText(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}
