// Days of the content calendar as `YYYY-MM-DD` strings in the community's zone (the core sends
// "today" in it): arithmetic on calendar days only, never on instants, so no browser time zone
// can shift a day.

export type View = "month" | "week" | "agenda";

function parse(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function print(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = parse(day);
  d.setUTCDate(d.getUTCDate() + n);
  return print(d);
}

/** 0 Monday … 6 Sunday. */
export function weekday(day: string): number {
  return (parse(day).getUTCDay() + 6) % 7;
}

export function mondayOf(day: string): string {
  return addDays(day, -weekday(day));
}

export function addMonths(day: string, n: number): string {
  const d = parse(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return print(target);
}

/** The days a view shows around `anchor`: six weeks from the Monday on or before the 1st; one
 * week from its Monday; four weeks from the anchor for the agenda. */
export function range(view: View, anchor: string): { from: string; to: string; days: string[] } {
  let from: string;
  let count: number;
  if (view === "month") {
    from = mondayOf(anchor.slice(0, 8) + "01");
    count = 42;
  } else if (view === "week") {
    from = mondayOf(anchor);
    count = 7;
  } else {
    from = anchor;
    count = 28;
  }
  const days = Array.from({ length: count }, (_, i) => addDays(from, i));
  return { from, to: days[days.length - 1], days };
}

/** Where the arrows move the selected day: a day left/right; a week (month, week) or a day
 * (agenda) up/down. */
export function step(view: View, key: string): number {
  if (key === "ArrowLeft") return -1;
  if (key === "ArrowRight") return 1;
  const vertical = view === "agenda" ? 1 : 7;
  if (key === "ArrowUp") return -vertical;
  if (key === "ArrowDown") return vertical;
  return 0;
}

/** Where prev/next go: a month, a week, or four weeks. */
export function page(view: View, anchor: string, direction: 1 | -1): string {
  if (view === "month") return addMonths(anchor, direction);
  return addDays(anchor, direction * (view === "week" ? 7 : 28));
}

/** `YYYY-MM-DDTHH:MM` → the `HH:MM` part. */
export function timeOf(local: string | null | undefined): string {
  return local ? local.slice(11, 16) : "";
}

/** The month's title in the locale, e.g. "2026年12月" or "December 2026". */
export function monthTitle(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(parse(day));
}

/** A day as the agenda heads it: "12月8日 周二" / "Tue, Dec 8". */
export function dayTitle(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", weekday: "short", timeZone: "UTC" }).format(parse(day));
}

/** Short weekday names from Monday. */
export function weekdayNames(locale: string): string[] {
  const f = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, i) => f.format(parse(addDays("2026-12-07", i))));
}
