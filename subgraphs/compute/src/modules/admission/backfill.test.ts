import { admit, type ActiveAllocation, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';
import { CapacityProfile } from './backfill.js';

const pool = { name: 'p', cpus: 8, gpus: 0, memoryMb: 1e6, gpuIds: [] };
const ALL = ['critical', 'standard', 'preemptible'];
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 3, cpus: 8, gpus: 0, memoryMb: 1e6, concurrentTrials: 100, priorityClasses: ALL, ...q });
const t0 = Date.parse('2030-01-01T00:00:00Z');
const run = (trialId: string, r: Partial<QueuedRun> = {}, at = 0): QueuedRun => ({
  trialId, tenant: 'a', trialIndex: at, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t0 + at * 1000), ...r,
});
/** 6 of the pool's 8 cpus held by an attempt that has run 10 s of an expected 100 s: it ends in 90 s. */
const busy = (a: Partial<ActiveAllocation> = {}): ActiveAllocation => ({
  tenant: 'b', pool: 'p', cpus: 6, gpus: 0, memoryMb: 1, devices: [], attemptId: 'x', trialId: 'x', priority: 'standard', runtimeSec: 10, expectedRuntimeSec: 100, ...a,
});
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({
  pool, allocations: [busy()], quotas: new Map([['a', quota()], ['b', quota()]]), queue: [], minRuntimeBeforePreemptSec: 1e9, ...s,
});

interface Case {
  name: string;
  snapshot: AdmissionSnapshot;
  admitted: string[];
  /** Backfill reasons of admitted runs (only the ones admitted as backfill). */
  backfill?: Record<string, string>;
  pending?: Record<string, string>;
  reservations?: { trialId: string; startInSec: number }[];
}

const cases: Case[] = [
  {
    name: 'a critical run that cannot fit reserves its start; a preemptible run ending before it backfills, a longer one waits',
    snapshot: snap({ queue: [run('big', { cpus: 7, priority: 'critical' }), run('long', { cpus: 2, priority: 'preemptible', maxRuntimeSeconds: 200 }, 1), run('short', { cpus: 2, priority: 'preemptible', maxRuntimeSeconds: 60 }, 2)] }),
    admitted: ['short'],
    backfill: { short: 'backfill: ends within 60 s (maxRuntimeSeconds), before trial big (critical) is due to start in 90 s' },
    pending: {
      big: 'pool p: cpus 2 free, 7 requested; start reserved: lower-priority work only backfills around it',
      long: 'held back: would delay the reserved start of trial big (critical, tenant a)',
    },
    reservations: [{ trialId: 'big', startInSec: 90 }],
  },
  {
    name: 'a lower-priority run may run past the reserved start when it fits in what stays free beside it',
    snapshot: snap({ queue: [run('big', { cpus: 6, priority: 'standard' }), run('long', { cpus: 2, priority: 'preemptible', maxRuntimeSeconds: 200 }, 1)] }),
    admitted: ['long'],
    backfill: { long: 'backfill: fits in capacity still free at the reserved start of trial big (standard) in 90 s: cpus 2 left, 2 requested, memoryMb 999999 MB left, 1 MB requested' },
    pending: { big: 'pool p: cpus 2 free, 6 requested; start reserved: lower-priority work only backfills around it' },
    reservations: [{ trialId: 'big', startInSec: 90 }],
  },
  {
    name: 'without a maximum runtime a run cannot backfill before a reservation',
    snapshot: snap({ queue: [run('big', { cpus: 7, priority: 'critical' }), run('open', { cpus: 2, priority: 'standard' }, 1)] }),
    admitted: [],
    pending: {
      big: 'pool p: cpus 2 free, 7 requested; start reserved: lower-priority work only backfills around it',
      open: 'held back: would delay the reserved start of trial big (critical, tenant a); without maxRuntimeSeconds it can only use capacity that stays free',
    },
    reservations: [{ trialId: 'big', startInSec: 90 }],
  },
  {
    name: 'within one class a run that cannot fit does not hold back the ones behind it (no head-of-line blocking)',
    snapshot: snap({ queue: [run('big', { cpus: 7 }), run('small', { cpus: 2 }, 1)] }),
    admitted: ['small'],
    pending: { big: 'pool p: cpus 2 free, 7 requested' },
    reservations: [],
  },
  {
    name: 'a run overtaken for longer than reserveAfterSec reserves its start against its own class too',
    snapshot: snap({ now: new Date(t0 + 400_000), queue: [run('big', { cpus: 7 }), run('small', { cpus: 2, maxRuntimeSeconds: 120 }, 200), run('quick', { cpus: 1, maxRuntimeSeconds: 30 }, 201)] }),
    admitted: ['quick'],
    backfill: { quick: 'backfill: ends within 30 s (maxRuntimeSeconds), before trial big (standard) is due to start in 90 s' },
    pending: {
      big: 'pool p: cpus 2 free, 7 requested; start reserved (waiting over 300 s): other work only backfills around it',
      small: 'held back: would delay the reserved start of trial big (standard, tenant a)',
    },
    reservations: [{ trialId: 'big', startInSec: 90 }],
  },
  {
    name: 'uses the observed run time when an attempt has no maximum runtime; past its estimate it is assumed to end within a tenth of it',
    snapshot: snap({ allocations: [busy({ runtimeSec: 150, expectedRuntimeSec: 100 })], queue: [run('big', { cpus: 7, priority: 'critical' }), run('s', { cpus: 1, priority: 'preemptible', maxRuntimeSeconds: 10 }, 1)] }),
    admitted: ['s'],
    backfill: { s: 'backfill: ends within 10 s (maxRuntimeSeconds), before trial big (critical) is due to start in 10 s' },
    pending: { big: 'pool p: cpus 2 free, 7 requested; start reserved: lower-priority work only backfills around it' },
    reservations: [{ trialId: 'big', startInSec: 10 }],
  },
  {
    name: 'behind an attempt of unknown duration no start can be reserved, and nothing is held back',
    snapshot: snap({ allocations: [busy({ expectedRuntimeSec: null })], queue: [run('big', { cpus: 7, priority: 'critical' }), run('s', { cpus: 2, priority: 'preemptible' }, 1)] }),
    admitted: ['s'],
    pending: { big: 'pool p: cpus 2 free, 7 requested; no start can be reserved (running attempts have no known end)' },
    reservations: [{ trialId: 'big', startInSec: Infinity }],
  },
  {
    name: 'critical work that preempts holds the capacity being freed: lower-priority work cannot take it meanwhile',
    snapshot: snap({
      minRuntimeBeforePreemptSec: 5,
      allocations: [busy({ priority: 'preemptible', expectedRuntimeSec: null })],
      queue: [run('crit', { cpus: 7, priority: 'critical' }), run('filler', { cpus: 2, priority: 'preemptible', maxRuntimeSeconds: 1000 }, 1)],
    }),
    admitted: [],
    pending: {
      crit: 'waiting for 1 preempted attempt(s) to stop (critical work); start reserved: lower-priority work only backfills around it',
      filler: 'held back: would delay the reserved start of trial crit (critical, tenant a)',
    },
    reservations: [{ trialId: 'crit', startInSec: 0 }],
  },
  {
    name: 'critical work that fits in capacity drained for a reserved lower-class run evicts preemptible work instead',
    snapshot: snap({
      minRuntimeBeforePreemptSec: 5,
      allocations: [busy({ cpus: 4, priority: 'preemptible' })],
      queue: [run('crit', { cpus: 2, priority: 'critical', maxRuntimeSeconds: 30 }), run('wide', { cpus: 6 }, 1), run('filler', { cpus: 1, priority: 'preemptible', maxRuntimeSeconds: 1000 }, 2)],
    }),
    admitted: [],
    pending: {
      crit: 'waiting for 1 preempted attempt(s) to stop (critical work); spares the capacity trial wide (standard, tenant a) waits for; start reserved: lower-priority work only backfills around it',
      wide: 'pool p: cpus 4 free, 6 requested; start reserved: lower-priority work only backfills around it',
      filler: 'held back: would delay the reserved start of trial crit (critical, tenant a)',
    },
    reservations: [{ trialId: 'crit', startInSec: 0 }, { trialId: 'wide', startInSec: 0 }],
  },
  {
    name: 'once the attempts it evicted have stopped, critical work takes free capacity even if a reserved run drains for it',
    snapshot: snap({
      minRuntimeBeforePreemptSec: 5,
      quotas: new Map([['a', quota()], ['b', quota()], ['c', quota()]]),
      allocations: [busy({ cpus: 2, priority: 'preemptible' })],
      queue: [run('crit', { cpus: 2, priority: 'critical', maxRuntimeSeconds: 30, preempting: true }), run('wide', { tenant: 'c', cpus: 6 }, 1)],
    }),
    admitted: ['crit'],
    pending: { wide: 'pool p: cpus 4 free, 6 requested' },
    reservations: [],
  },
];

describe('backfill with reservations (pure admit)', () => {
  it.each(cases)('$name', ({ snapshot, admitted, backfill = {}, pending = {}, reservations }) => {
    const out = admit(snapshot);
    expect(out.admitted.map((a) => a.trialId)).toEqual(admitted);
    expect(Object.fromEntries(out.admitted.filter((a) => a.backfill).map((a) => [a.trialId, a.backfill]))).toEqual(backfill);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual(pending);
    if (reservations) expect(out.reservations.map((r) => ({ trialId: r.trialId, startInSec: r.startInSec }))).toEqual(reservations);
  });

  it('never lets backfill delay a reserved start (randomised): the reserved run fits at its start in every replay', () => {
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 300; i++) {
      const allocations = Array.from({ length: 1 + rnd(4) }, (_, k) => busy({ attemptId: `x${k}`, cpus: 1 + rnd(3), runtimeSec: 0, expectedRuntimeSec: 10 + 10 * rnd(10) }))
        .filter((_, k, all) => all.slice(0, k + 1).reduce((s, a) => s + a.cpus, 0) <= 8);
      const queue = [run('big', { cpus: 5 + rnd(4), priority: 'critical' }), ...Array.from({ length: 6 }, (_, k) => run(`q${k}`, { cpus: 1 + rnd(3), priority: 'preemptible', maxRuntimeSeconds: rnd(3) === 0 ? null : 5 + 10 * rnd(12) }, k + 1))];
      const out = admit(snap({ allocations, queue }));
      const res = out.reservations.find((r) => r.trialId === 'big');
      if (!res || !Number.isFinite(res.startInSec)) continue;
      // At the reserved start: what is still running (the old attempts and the backfilled runs) plus big must fit.
      const T = res.startInSec;
      const stillOld = allocations.filter((a) => a.expectedRuntimeSec! > T).reduce((s, a) => s + a.cpus, 0);
      const stillNew = out.admitted.map((a) => queue.find((q) => q.trialId === a.trialId)!).filter((q) => (q.maxRuntimeSeconds ?? Infinity) > T).reduce((s, q) => s + q.cpus, 0);
      expect(stillOld + stillNew + queue[0]!.cpus).toBeLessThanOrEqual(8);
    }
  });

  it('profile: earliest start, holds and splits', () => {
    const p = new CapacityProfile({ cpus: 2, gpus: 0, memoryMb: 0 }, [{ cpus: 3, gpus: 0, memoryMb: 0, at: 10 }, { cpus: 3, gpus: 0, memoryMb: 0, at: 20 }]);
    expect(p.earliest({ cpus: 5, gpus: 0, memoryMb: 0 }, Infinity)).toBe(10);
    p.take({ cpus: 4, gpus: 0, memoryMb: 0 }, 5, 15);
    expect([p.at(0).cpus, p.at(5).cpus, p.at(10).cpus, p.at(15).cpus, p.at(20).cpus]).toEqual([2, -2, 1, 5, 8]);
    expect(p.fits({ cpus: 1, gpus: 0, memoryMb: 0 }, 10, 30)).toBe(true);
    expect(p.fits({ cpus: 1, gpus: 0, memoryMb: 0 }, 0, 6)).toBe(false);
    expect(p.earliest({ cpus: 6, gpus: 0, memoryMb: 0 }, 100)).toBe(20);
  });
});
