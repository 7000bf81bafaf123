import { afterEach, describe, expect, it, vi } from "vitest";
import type { ListQuery, Member } from "../../ipc/backend";
import { hasConditions, MemberList, PAGE, SEARCH_PAUSE_MS } from "./listState.svelte";

const member = (id: number) => ({ id, display_name: `member ${id}` }) as Member;

/** A store of `count` members that records what it was asked; `limit: 0` counts everyone. */
function store(count: number, everyone = count) {
  const asked: ListQuery[] = [];
  const list = vi.fn(async (q: ListQuery) => {
    asked.push(q);
    if (q.limit === 0) return { total: everyone, members: [] };
    const offset = q.offset ?? 0;
    const members = Array.from({ length: Math.max(0, Math.min(q.limit, count - offset)) }, (_, i) => member(offset + i + 1));
    return { total: count, members };
  });
  return { list, asked };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("MemberList", () => {
  it("loads the first page, counts everyone and puts the cursor on the first row", async () => {
    const { list } = store(450);
    const state = new MemberList(list, () => {});
    const scroller = { toTop: vi.fn(), reveal: vi.fn() };
    state.scroller = scroller;
    await state.reload();
    expect(state.total).toBe(450);
    expect(state.everyone).toBe(450);
    expect(state.cursor).toBe(0);
    expect(state.current()?.id).toBe(1);
    expect(state.rows.rowAt(PAGE)).toBeUndefined();
    expect(scroller.toTop).toHaveBeenCalledOnce();
    expect(state.version).toBe(1);
  });

  it("asks only for pages it has not got while the table scrolls", async () => {
    const { list, asked } = store(450);
    const state = new MemberList(list, () => {});
    await state.reload();
    state.need(190, 260);
    state.need(190, 260);
    await vi.waitFor(() => expect(state.rows.rowAt(PAGE)?.id).toBe(PAGE + 1));
    expect(asked.map((q) => q.offset)).toEqual([0, PAGE]);
  });

  it("drops pages that belong to an older reload", async () => {
    const { list } = store(450);
    let hold: (() => void) | undefined;
    const state = new MemberList(async (q) => {
      // The second page's answer comes only when the test lets it.
      if (q.offset === PAGE) await new Promise<void>((go) => (hold = go));
      return list(q);
    }, () => {});
    await state.reload();
    state.need(PAGE, PAGE + 10);
    await vi.waitFor(() => expect(hold).toBeDefined());
    await state.reload();
    const version = state.version;
    hold?.();
    await new Promise((done) => setTimeout(done, 0));
    expect(state.rows.rowAt(PAGE)).toBeUndefined();
    expect(state.version).toBe(version);
  });

  it("keeps the cursor after a change in the background, within the rows left", async () => {
    let count = 50;
    const state = new MemberList(async (q) => (q.limit === 0 ? { total: count, members: [] } : { total: count, members: [member(1)] }), () => {});
    await state.reload();
    state.cursor = 30;
    await state.reload(true);
    expect(state.cursor).toBe(30);
    count = 10;
    await state.reload(true);
    expect(state.cursor).toBe(9);
    count = 0;
    await state.reload();
    expect(state.cursor).toBe(-1);
  });

  it("searches once typing pauses, with the query trimmed, and counts everyone apart", async () => {
    vi.useFakeTimers();
    const { list, asked } = store(3, 2000);
    const state = new MemberList(list, () => {});
    state.query = " z";
    state.searchSoon();
    state.query = " zw ";
    state.searchSoon();
    await vi.advanceTimersByTimeAsync(SEARCH_PAUSE_MS - 1);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(state.everyone).toBe(2000));
    expect(state.activeQuery).toBe("zw");
    expect(asked[0].search).toBe("zw");
    expect(asked).toHaveLength(2);
    expect(asked[1]).toEqual({ limit: 0 });
    expect(state.total).toBe(3);
  });

  it("a tag picked elsewhere is searched at once", async () => {
    const { list, asked } = store(4);
    const state = new MemberList(list, () => {});
    state.searchNow("讲者");
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(0));
    expect(state.query).toBe("讲者");
    expect(asked[0].search).toBe("讲者");
  });

  it("sorts by a new column ascending (join date newest first), and the same column flips", async () => {
    const { list, asked } = store(5);
    const state = new MemberList(list, () => {});
    state.setSort("name");
    expect([state.sort, state.descending]).toEqual(["name", true]);
    state.setSort("joined_at");
    expect([state.sort, state.descending]).toEqual(["joined_at", true]);
    state.setSort("joined_at");
    expect([state.sort, state.descending]).toEqual(["joined_at", false]);
    state.setSort("created_at");
    expect([state.sort, state.descending]).toEqual(["created_at", false]);
    await vi.waitFor(() => expect(asked).toHaveLength(4));
    expect(asked[3]).toMatchObject({ sort: "created_at", descending: false });
  });

  it("asks for the filter bar's conditions, or for a picked segment as itself", () => {
    const state = new MemberList(store(0).list, () => {});
    expect(state.filtering).toBe(false);
    expect(state.listQuery()).toEqual({ segment: null, filter: null });
    state.filter = { tags_all: ["讲者"] };
    expect(state.filtering).toBe(true);
    expect(state.listQuery()).toEqual({ segment: null, filter: { tags_all: ["讲者"] } });
    state.segmentId = 4;
    state.segmentFilter = { tags_all: ["讲者"] };
    expect(state.bySegment).toBe(true);
    expect(state.listQuery()).toEqual({ segment: 4, filter: null });
    // Edited in the bar: a preview of the bar's filter, not the segment.
    state.filter = { tags_all: ["讲者", "志愿者"] };
    expect(state.bySegment).toBe(false);
    expect(state.listQuery()).toEqual({ segment: null, filter: { tags_all: ["讲者", "志愿者"] } });
  });

  it("moves the cursor within the list and keeps it in view", async () => {
    const state = new MemberList(store(20).list, () => {});
    const scroller = { toTop: vi.fn(), reveal: vi.fn() };
    state.scroller = scroller;
    state.moveCursor(3);
    expect(state.cursor).toBe(-1);
    await state.reload();
    state.moveCursor(state.cursor + 15);
    state.moveCursor(state.cursor + 15);
    expect(state.cursor).toBe(19);
    state.moveCursor(state.cursor - 100);
    expect(state.cursor).toBe(0);
    expect(scroller.reveal).toHaveBeenLastCalledWith(0);
  });

  it("names loaded members and falls back to the id", async () => {
    const state = new MemberList(store(3).list, () => {});
    await state.reload();
    expect(state.nameOf(2)).toBe("member 2");
    expect(state.nameOf(99)).toBe("#99");
  });

  it("follows segment changes: counts always, the list when it shows that segment", async () => {
    const { list, asked } = store(3);
    const state = new MemberList(list, () => {});
    state.segmentsChanged(7);
    expect(state.changes).toBe(1);
    expect(asked).toHaveLength(0);
    state.segmentId = 7;
    state.segmentsChanged(7);
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(0));
    expect(state.changes).toBe(2);
    state.segmentDeleted(7);
    expect(state.segmentId).toBeNull();
    expect(state.changes).toBe(3);
  });

  /** A list over `count` members that fails while `down` is set, and the errors it reported. */
  async function flaky(count: number) {
    const errors: unknown[] = [];
    const link = { down: false };
    const { list } = store(count);
    const state = new MemberList((q) => (link.down ? Promise.reject(new Error("gone")) : list(q)), (e) => errors.push(e));
    await state.reload();
    link.down = true;
    return { state, errors, link };
  }

  it("reports a failed page and asks for it again later", async () => {
    const { state, errors, link } = await flaky(450);
    state.need(PAGE, PAGE);
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    link.down = false;
    state.need(PAGE, PAGE);
    await vi.waitFor(() => expect(state.rows.rowAt(PAGE)?.id).toBe(PAGE + 1));
  });

  it("reports a failed reload and keeps what it showed", async () => {
    const { state, errors } = await flaky(5);
    await state.reload();
    expect(errors).toHaveLength(1);
    expect(state.total).toBe(5);
    expect(state.current()?.id).toBe(1);
  });
});

describe("hasConditions", () => {
  it("counts only conditions that are set", () => {
    expect(hasConditions({})).toBe(false);
    expect(hasConditions({ tags_all: [], joined_from: null, joined_to: "" })).toBe(false);
    expect(hasConditions({ cities: ["上海"] })).toBe(true);
    expect(hasConditions({ points_min: 0 })).toBe(true);
    expect(hasConditions({ tags_none: ["spam"] })).toBe(true);
  });
});
