/**
 * The order in which tenants take turns during progressive filling (pure): tenants whose head run
 * preempted others first, then the smallest weighted dominant share, then the oldest head run.
 * A binary heap, so a cycle with T queued tenants and A admissions costs O((A + T) log T) instead
 * of a scan of every tenant per admission. Only the tenant whose turn it is changes its key (its
 * share changes only when it admits, its head only when it takes its turn), so it is taken out
 * while it has the turn and put back with its new key afterwards.
 */
import type { QueuedRun } from './admission.types.js';

export interface Turn {
  tenant: string;
  head: QueuedRun;
  share: number;
}

/** Shares closer than this are equal (floating-point noise): the older head run goes first. */
const SHARE_EPSILON = 1e-12;

export class TurnOrder {
  private readonly heap: Turn[] = [];

  constructor(private readonly fifo: (a: QueuedRun, b: QueuedRun) => number) {}

  get size(): number {
    return this.heap.length;
  }

  /** True when `a` takes its turn before `b`. */
  before(a: Turn, b: Turn): boolean {
    const pa = !!a.head.preempting;
    if (pa !== !!b.head.preempting) return pa;
    if (Math.abs(a.share - b.share) > SHARE_EPSILON) return a.share < b.share;
    return this.fifo(a.head, b.head) < 0;
  }

  push(turn: Turn): void {
    const h = this.heap;
    h.push(turn);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  /** The tenant whose turn is next, taken out of the order; undefined when none is left. */
  pop(): Turn | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}
