// Display helpers for the Events board and the door. Pure functions, unit-tested.

export interface EventTimes {
  starts_at: string;
  ends_at: string;
  time_zone: string;
  starts_local: string;
}

function safeZone(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** "Sat, Nov 28, 14:00–17:00" / "11月28日周六 14:00–17:00", in the event's own zone. */
export function eventWhen(e: EventTimes, locale: string): string {
  const timeZone = safeZone(e.time_zone);
  const start = new Date(e.starts_at);
  const end = new Date(e.ends_at);
  if (Number.isNaN(start.getTime())) return e.starts_local;
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: "short", month: "short", day: "numeric", year: "numeric" });
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const sameDay = day.format(start) === day.format(end);
  const tail = sameDay ? time.format(end) : `${day.format(end)} ${time.format(end)}`;
  return `${day.format(start)} ${time.format(start)}–${tail}`;
}

/** `HH:MM` of an instant in a zone (check-in times at the door). */
export function clockTime(iso: string | null | undefined, zone: string, locale: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale, { timeZone: safeZone(zone), hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
}

/** The `YYYY-MM` an event belongs to, in its own zone (from the local start the core sends). */
export function monthOf(e: EventTimes): string {
  return e.starts_local.slice(0, 7);
}

/** "2026年11月" / "November 2026" for a `YYYY-MM`. */
export function monthLabel(month: string, locale: string): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(Date.UTC(y, m - 1, 1));
}

/** Last four digits of a phone, as the door and printed sheets show it. */
export function phoneTail(phone: string | null | undefined): string {
  const digits = (phone ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? digits.slice(-4) : digits;
}

/** 0.8125 → "81%"; null → "—". */
export function percent(rate: number | null | undefined, locale: string): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "—";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(rate);
}

/** Upcoming (not yet ended) events first by start, then past ones newest first. */
export function splitByTime<T extends EventTimes>(events: T[], now: Date): { upcoming: T[]; past: T[] } {
  const upcoming = events.filter((e) => new Date(e.ends_at) >= now).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = events.filter((e) => new Date(e.ends_at) < now).sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  return { upcoming, past };
}

/** `YYYY-MM-DDTHH:MM` for `<input type="datetime-local">`, `hours` from now, on the hour. */
export function defaultStart(now: Date, daysAhead = 7, hour = 14): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysAhead, hour, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:00`;
}

/** Adds hours to a `YYYY-MM-DDTHH:MM` local input value. */
export function addHours(local: string, hours: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return local;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]) + hours, Number(m[5]));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "Nov 14, 19:05" / "11月14日 19:05" of an instant in a zone. */
export function shortStamp(iso: string | null | undefined, zone: string, locale: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeZone(zone), month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(d);
}
