/**
 * Estimated start times for queued trials (pure). The queue is replayed forward in virtual time:
 * running attempts end at their expected end, queued runs start, in scheduling order (priority
 * class, then age — fair-share interleaving between tenants is not modelled), at the earliest
 * moment the pool and their tenant's quota hold them for their whole expected duration. Durations
 * come from the same experiment's finished attempts, else its maximum runtime; a run whose start
 * depends on an attempt of unknown duration gets no estimate (null) rather than a guess.
 */
import { exceeds } from '../admission/admission.rules.js';
import type { PoolCapacity, QueuedRun, ResourceRequest, TenantQuota } from '../admission/admission.types.js';
import { priorityRank } from '../admission/fair-share.js';

export interface EtaItem extends ResourceRequest {
  tenant: string;
  /** The pool it runs in (with `pools`); absent: the single pool. */
  pool?: string;
  /** Seconds from now; Infinity when unknown. */
  start: number;
  end: number;
}

export interface EtaQueued extends QueuedRun {
  /** Expected run time in seconds; null when unknown. */
  expectedSec: number | null;
}

export interface EtaInput {
  pool: PoolCapacity;
  /**
   * Pools sharing the queue: a run is placed in the first pool that holds it at the earliest
   * moment (as each pool's admission cycle would take it). Absent: `pool` alone.
   */
  pools?: PoolCapacity[];
  quotas: ReadonlyMap<string, TenantQuota>;
  /** Running attempts in this pool (start 0, end = expected end from now). */
  running: EtaItem[];
  queue: EtaQueued[];
  /** At most this many queued runs are placed (the rest get null). Default 1000. */
  limit?: number;
}

const DIMS = ['cpus', 'gpus', 'memoryMb'] as const;

function fitsAt(t: number, run: EtaQueued, duration: number, placed: EtaItem[], pool: PoolCapacity, quota: TenantQuota, single: boolean): boolean {
  // Check every instant the set of concurrent items can change within [t, t + duration).
  const points = [t, ...placed.filter((p) => p.start > t && p.start < t + duration).map((p) => p.start)];
  for (const at of points) {
    const all = placed.filter((p) => p.start <= at && p.end > at);
    const live = single ? all : all.filter((p) => p.pool === pool.name);
    const mine = all.filter((p) => p.tenant === run.tenant);
    if (mine.length + 1 > quota.concurrentTrials) return false;
    for (const d of DIMS) {
      if (exceeds(live.reduce((s, p) => s + p[d], 0), run[d], pool[d])) return false;
      if (exceeds(mine.reduce((s, p) => s + p[d], 0), run[d], quota[d])) return false;
    }
  }
  return true;
}

/**
 * Seconds a running attempt is still expected to take: expected duration minus elapsed; one past
 * its estimate is assumed to end within a tenth of it (at least 1 s). Unknown: Infinity.
 */
export function remainingSec(expectedSec: number | null, elapsedSec: number): number {
  return expectedSec === null ? Infinity : Math.max(expectedSec - elapsedSec, Math.max(expectedSec * 0.1, 1));
}

/** Seconds from now until each queued run is expected to start; null when it cannot be told. */
export function estimateStarts(input: EtaInput): Map<string, number | null> {
  const placed: EtaItem[] = input.running.map((r) => ({ ...r }));
  const out = new Map<string, number | null>();
  const order = [...input.queue].sort(
    (a, b) => priorityRank(a.priority) - priorityRank(b.priority) || a.enqueuedAt.getTime() - b.enqueuedAt.getTime() || a.trialIndex - b.trialIndex,
  );
  const limit = input.limit ?? 1000;
  for (const [i, run] of order.entries()) {
    const quota = input.quotas.get(run.tenant);
    if (i >= limit || !quota) {
      out.set(run.trialId, null);
      continue;
    }
    const duration = run.expectedSec ?? Infinity;
    const candidates = [0, ...placed.map((p) => p.end).filter((e) => Number.isFinite(e))].sort((a, b) => a - b);
    let start: number | null = null;
    let where: string | undefined;
    const pools = input.pools ?? [input.pool];
    search: for (const t of candidates) {
      for (const p of pools) {
        if (fitsAt(t, run, Number.isFinite(duration) ? duration : 1e12, placed, p, quota, !input.pools)) {
          start = t;
          where = p.name;
          break search;
        }
      }
    }
    out.set(run.trialId, start);
    if (start !== null) placed.push({ tenant: run.tenant, pool: where, cpus: run.cpus, gpus: run.gpus, memoryMb: run.memoryMb, start, end: start + duration });
  }
  return out;
}
