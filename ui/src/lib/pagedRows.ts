// A sparse window over a long, server-sorted list: pages are fetched on demand as the table
// scrolls, so 100k members cost only the rows on screen. Pure logic; no IPC, no DOM.

export class PagedRows<T> {
  readonly pageSize: number;
  total = 0;
  private pages = new Map<number, T[]>();
  private pending = new Set<number>();

  constructor(pageSize = 200) {
    this.pageSize = pageSize;
  }

  reset(total = 0) {
    this.total = total;
    this.pages.clear();
    this.pending.clear();
  }

  rowAt(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Pages covering rows [first, last] that are neither loaded nor being loaded; marks them pending. */
  claimMissing(first: number, last: number): number[] {
    if (this.total === 0) return [];
    const lo = Math.max(0, Math.floor(first / this.pageSize));
    const hi = Math.min(Math.floor((this.total - 1) / this.pageSize), Math.floor(Math.max(first, last) / this.pageSize));
    const missing: number[] = [];
    for (let p = lo; p <= hi; p++) {
      if (!this.pages.has(p) && !this.pending.has(p)) {
        this.pending.add(p);
        missing.push(p);
      }
    }
    return missing;
  }

  fill(page: number, rows: T[], total: number) {
    this.pending.delete(page);
    if (total !== this.total) {
      // The list changed underneath us: earlier pages may be stale.
      this.pages.clear();
      this.total = total;
    }
    this.pages.set(page, rows);
  }

  failed(page: number) {
    this.pending.delete(page);
  }

  /** Index of the first loaded row matching `pred`, or -1. */
  findIndex(pred: (row: T) => boolean): number {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex(pred);
      if (i >= 0) return page * this.pageSize + i;
    }
    return -1;
  }
}
