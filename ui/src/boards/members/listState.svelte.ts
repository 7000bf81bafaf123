// What the Members board's list shows: the search (typed, then asked for after a pause), the sort,
// the filter bar's conditions or a picked segment, the rows loaded so far (pages asked for as the
// table scrolls), the counts, the keyboard cursor and the selection. The board passes the list
// call in, so this runs in tests without IPC.
import { SvelteSet } from "svelte/reactivity";
import type { ListQuery, Member, MemberFilter, MemberSort } from "../../ipc/backend";
import { PagedRows } from "../../lib/pagedRows";
import { sameFilter } from "./FilterBar.svelte";

export const PAGE = 200;
/** How long typing pauses before the search is asked for. */
export const SEARCH_PAUSE_MS = 120;

export type ListMembers = (query: ListQuery) => Promise<{ total: number; members: Member[] }>;

/** The table's scrolling, as the list needs it. */
export interface Scroller {
  toTop(): void;
  reveal(index: number): void;
}

/** Any condition set in the filter bar. */
export function hasConditions(filter: MemberFilter): boolean {
  return Object.values(filter).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined && v !== ""));
}

export class MemberList {
  readonly rows = new PagedRows<Member>(PAGE);
  readonly selection = new SvelteSet<number>();
  /** Bumped whenever rows arrive: the table reads `rows` again. */
  version = $state(0);
  /** The search box as typed. */
  query = $state("");
  /** The search the list shows (the typed one, once typing paused). */
  activeQuery = $state("");
  sort = $state<MemberSort>("name");
  descending = $state(false);
  /** Members the list shows (the search and filter applied). */
  total = $state(0);
  /** Live members in the whole database (drives the welcome state). */
  everyone = $state<number | null>(null);
  cursor = $state(-1);
  filter = $state<MemberFilter>({});
  segmentId = $state<number | null>(null);
  /** The picked segment's saved filter (see FilterBar). */
  segmentFilter = $state<MemberFilter | null>(null);
  /** Bumped when members, tags or segments changed: what counts them (filter bar, tags) reads again. */
  changes = $state(0);
  scroller: Scroller | undefined;

  readonly filtering = $derived(this.segmentId !== null || hasConditions(this.filter));
  /** A picked segment whose filter the bar still shows is listed as itself (its filter OR the
   *  members added to it by hand); an edited one previews the bar's filter. */
  readonly bySegment = $derived(this.segmentId !== null && this.segmentFilter !== null && sameFilter(this.filter, this.segmentFilter));

  readonly #list: ListMembers;
  readonly #onError: (e: unknown) => void;
  /** Numbers reloads: pages and answers of an older one are dropped. */
  #generation = 0;
  #pause: ReturnType<typeof setTimeout> | undefined;

  constructor(list: ListMembers, onError: (e: unknown) => void) {
    this.#list = list;
    this.#onError = onError;
  }

  /** The filter bar's conditions, or null when it has none. */
  listFilter(): MemberFilter | null {
    return this.filtering ? $state.snapshot(this.filter) : null;
  }

  /** What the list asks the store for, besides the search, sort and paging. */
  listQuery() {
    return this.bySegment ? { segment: this.segmentId, filter: null } : { segment: null, filter: this.listFilter() };
  }

  #ask(offset: number) {
    return this.#list({ search: this.activeQuery || null, sort: this.sort, descending: this.descending, offset, limit: PAGE, ...this.listQuery() });
  }

  #counted(total: number) {
    this.total = total;
    if (!this.activeQuery && !this.filtering) this.everyone = total;
  }

  async fetchPage(page: number, generation: number) {
    try {
      const result = await this.#ask(page * PAGE);
      if (generation !== this.#generation) return;
      this.rows.fill(page, result.members, result.total);
      this.#counted(result.total);
      this.version++;
    } catch (e) {
      this.rows.failed(page);
      this.#onError(e);
    }
  }

  /** The table shows rows first..last: ask for the pages not loaded or asked for yet. */
  need(first: number, last: number) {
    for (const page of this.rows.claimMissing(first, last)) this.fetchPage(page, this.#generation);
  }

  /** Reloads from the first page; `keepScroll` after background changes, not after a new search. */
  async reload(keepScroll = false) {
    const generation = ++this.#generation;
    const result = await this.#ask(0).catch((e) => {
      this.#onError(e);
      return null;
    });
    if (!result || generation !== this.#generation) return;
    this.rows.reset(result.total);
    this.rows.fill(0, result.members, result.total);
    this.#counted(result.total);
    if (this.activeQuery || this.filtering) this.everyone = (await this.#list({ limit: 0 })).total;
    if (!keepScroll) {
      this.cursor = result.total > 0 ? 0 : -1;
      this.scroller?.toTop();
    } else {
      this.cursor = Math.min(this.cursor, result.total - 1);
    }
    this.version++;
  }

  /** The search box changed: search once typing pauses. */
  searchSoon() {
    clearTimeout(this.#pause);
    this.#pause = setTimeout(() => {
      this.activeQuery = this.query.trim();
      this.reload();
    }, SEARCH_PAUSE_MS);
  }

  /** Shows the members found by `text` at once (a tag picked in the tags dialog). */
  searchNow(text: string) {
    this.query = text;
    this.activeQuery = text;
    this.reload();
  }

  /** The same column again flips the order; a new one starts ascending (newest first by join date). */
  setSort(column: MemberSort) {
    if (this.sort === column) this.descending = !this.descending;
    else {
      this.sort = column;
      this.descending = column === "joined_at";
    }
    this.reload();
  }

  moveCursor(to: number) {
    if (this.total === 0) return;
    this.cursor = Math.max(0, Math.min(this.total - 1, to));
    this.scroller?.reveal(this.cursor);
  }

  /** The row under the cursor, when it is loaded. */
  current(): Member | undefined {
    return this.rows.rowAt(this.cursor);
  }

  /** A loaded member's name, or `#id`. */
  nameOf(id: number): string {
    const i = this.rows.findIndex((m) => m?.id === id);
    return (i >= 0 ? this.rows.rowAt(i)?.display_name : undefined) ?? `#${id}`;
  }

  /** Segment counts (the filter bar) and, when it is the one shown, the list follow a change. */
  segmentsChanged(id: number) {
    this.changes++;
    if (this.segmentId === id) this.reload(true);
  }

  /** A segment was deleted: stop showing it if it was picked. */
  segmentDeleted(id: number) {
    if (this.segmentId === id) {
      this.segmentId = null;
      this.reload();
    }
    this.changes++;
  }
}
