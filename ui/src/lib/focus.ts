// Keyboard focus inside a dialog: which elements Tab stops at, and where Tab goes next so that
// focus cycles inside instead of leaving for the page behind.

const CANDIDATES = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';

/**
 * The elements Tab stops at inside `root`, in document order: enabled controls, links and
 * `tabindex` ≥ 0, nothing hidden or inert, and one stop per radio group (its checked button,
 * or its first), as the browser does.
 */
export function tabStops(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !el.matches(":disabled") &&
      !(el instanceof HTMLInputElement && el.type === "hidden") &&
      !el.closest("[inert], [hidden]") &&
      el.getClientRects().length > 0,
  );
  const radios = new Map<string, HTMLInputElement[]>();
  for (const el of all) {
    if (el instanceof HTMLInputElement && el.type === "radio" && el.name) {
      radios.set(el.name, [...(radios.get(el.name) ?? []), el]);
    }
  }
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement && el.type === "radio" && el.name)) return true;
    const group = radios.get(el.name) ?? [];
    return el === (group.find((r) => r.checked) ?? group[0]);
  });
}

/**
 * Where Tab (or Shift+Tab with `back`) goes from `current`, cycling: after the last stop comes
 * the first and before the first the last. `current` may be outside `stops` (the dialog itself,
 * a radio button that is not its group's stop): then the next stop after it in document order
 * (`before(a, b)`: a comes before b) is chosen. Undefined when there is no stop at all.
 */
export function nextStop<T>(stops: readonly T[], current: T | null, back: boolean, before: (a: T, b: T) => boolean): T | undefined {
  if (stops.length === 0) return undefined;
  const last = stops[stops.length - 1];
  const at = current === null ? -1 : stops.indexOf(current);
  if (at >= 0) return stops[(at + (back ? stops.length - 1 : 1)) % stops.length];
  if (current === null) return back ? last : stops[0];
  if (back) return [...stops].reverse().find((s) => before(s, current)) ?? last;
  return stops.find((s) => before(current, s)) ?? stops[0];
}

/** Document order, for `nextStop` over elements. */
export function precedes(a: Node, b: Node): boolean {
  return (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}
