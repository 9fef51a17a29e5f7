import { admit, type ActiveAllocation, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';
import { neverFitsReason } from './admission.rules.js';

const pool = { name: 'local', cpus: 4, gpus: 2, memoryMb: 8192, gpuIds: ['0', '1'] };
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 1, cpus: 4, gpus: 2, memoryMb: 8192, concurrentTrials: 10, ...q });
const t0 = Date.parse('2030-01-01T00:00:00Z');
const run = (trialId: string, r: Partial<QueuedRun> = {}, at = 0): QueuedRun => ({
  trialId, tenant: 'demo', trialIndex: 0, cpus: 1, gpus: 0, memoryMb: 512, enqueuedAt: new Date(t0 + at), ...r,
});
const alloc = (a: Partial<ActiveAllocation> = {}): ActiveAllocation => ({ tenant: 'demo', pool: 'local', cpus: 1, gpus: 0, memoryMb: 512, devices: [], ...a });
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({ pool, allocations: [], quotas: new Map([['demo', quota()]]), queue: [], ...s });

interface Case {
  name: string;
  snapshot: AdmissionSnapshot;
  admitted: string[];
  pending?: Record<string, string>;
  rejected?: Record<string, string>;
}

const cases: Case[] = [
  { name: 'admits in FIFO order by enqueue time, then trial index', snapshot: snap({ queue: [run('c', {}, 2), run('b', { trialIndex: 1 }, 1), run('a', { trialIndex: 0 }, 1)] }), admitted: ['a', 'b', 'c'] },
  {
    name: 'caps concurrent trials, counting running ones',
    snapshot: snap({ quotas: new Map([['demo', quota({ concurrentTrials: 3 })]]), allocations: [alloc()], queue: [run('a', {}, 1), run('b', {}, 2), run('c', {}, 3)] }),
    admitted: ['a', 'b'],
    pending: { c: 'tenant demo quota: concurrentTrials 3/3 in use' },
  },
  { name: 'enforces the cpu quota', snapshot: snap({ quotas: new Map([['demo', quota({ cpus: 1.5 })]]), queue: [run('a'), run('b', {}, 1)] }), admitted: ['a'], pending: { b: 'tenant demo quota: cpus 1/1.5 in use, 1 requested' } },
  {
    name: 'enforces the gpu quota',
    snapshot: snap({ quotas: new Map([['demo', quota({ gpus: 1 })]]), queue: [run('a', { gpus: 1 }), run('b', { gpus: 1 }, 1)] }),
    admitted: ['a'],
    pending: { b: 'tenant demo quota: gpus 1/1 in use, 1 requested' },
  },
  {
    name: 'enforces the memory quota, counting allocations in other pools',
    snapshot: snap({ quotas: new Map([['demo', quota({ memoryMb: 1024 })]]), allocations: [alloc({ pool: 'other', memoryMb: 768 })], queue: [run('a')] }),
    admitted: [],
    pending: { a: 'tenant demo quota: memoryMb 768/1024 MB in use, 512 MB requested' },
  },
  {
    name: 'respects pool capacity across tenants, with the precise free amount',
    snapshot: snap({
      quotas: new Map([['demo', quota()], ['other', quota()]]),
      allocations: [alloc({ tenant: 'other', cpus: 3.5 })],
      queue: [run('a')],
    }),
    admitted: [],
    pending: { a: 'pool local: cpus 0.5 free, 1 requested' },
  },
  {
    name: 'has no head-of-line blocking: a run that does not fit is skipped, later ones are admitted',
    snapshot: snap({ allocations: [alloc({ cpus: 2 })], queue: [run('big', { cpus: 3 }), run('small', { cpus: 1 }, 1), run('small2', { cpus: 1 }, 2)] }),
    admitted: ['small', 'small2'],
    pending: { big: 'tenant demo quota: cpus 2/4 in use, 3 requested; pool local: cpus 2 free, 3 requested' },
  },
  { name: 'admits nothing to a tenant without quota', snapshot: snap({ quotas: new Map(), queue: [run('a')] }), admitted: [], pending: { a: 'tenant demo has no quota: nothing is admitted until tenancy publishes one' } },
  { name: 'admits nothing under a zero concurrent-trial quota', snapshot: snap({ quotas: new Map([['demo', quota({ concurrentTrials: 0 })]]), queue: [run('a')] }), admitted: [], pending: { a: 'tenant demo quota: concurrentTrials 0/0 in use' } },
  {
    name: 'rejects runs that can never fit the pool or the quota',
    snapshot: snap({ quotas: new Map([['demo', quota({ gpus: 1 })]]), queue: [run('cpu', { cpus: 8 }), run('gpu', { gpus: 2 }), run('ok', {}, 1)] }),
    admitted: ['ok'],
    rejected: { cpu: 'requests 8 cpus; pool local has 4; requests 8 cpus; tenant demo quota (v1) allows 4', gpu: 'requests 2 gpus; tenant demo quota (v1) allows 1' },
  },
  {
    name: 'keeps tenants independent: one at its cap does not hold back another',
    snapshot: snap({ quotas: new Map([['demo', quota({ concurrentTrials: 1 })], ['b', quota()]]), queue: [run('d1'), run('d2', {}, 1), run('b1', { tenant: 'b' }, 2)] }),
    admitted: ['d1', 'b1'],
    pending: { d2: 'tenant demo quota: concurrentTrials 1/1 in use' },
  },
];

describe('admit (pure admission decision)', () => {
  it.each(cases)('$name', ({ snapshot, admitted, pending = {}, rejected = {} }) => {
    const out = admit(snapshot);
    expect(out.admitted.map((a) => a.trialId)).toEqual(admitted);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual(pending);
    expect(Object.fromEntries(out.rejected.map((p) => [p.trialId, p.reason]))).toEqual(rejected);
  });

  it('hands out free GPU devices and never one in use', () => {
    const out = admit(snap({ allocations: [alloc({ gpus: 1, devices: ['0'] })], queue: [run('a', { gpus: 1 }), run('b', { gpus: 1 }, 1)] }));
    expect(out.admitted).toEqual([expect.objectContaining({ trialId: 'a', tenant: 'demo', devices: ['1'], quotaVersion: 1 })]);
    expect(out.pending[0]!.reason).toBe('tenant demo quota: gpus 2/2 in use, 1 requested; pool local: gpus 0 free, 1 requested');
  });

  it('never admits beyond quota or pool on any dimension (randomised)', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 200; i++) {
      const q = quota({ cpus: rnd(5), gpus: rnd(3), memoryMb: 512 * rnd(6), concurrentTrials: rnd(4) });
      const queue = Array.from({ length: 8 }, (_, k) => run(`r${k}`, { cpus: rnd(3) / 2, gpus: rnd(2), memoryMb: 256 * rnd(3) }, k));
      const out = admit(snap({ quotas: new Map([['demo', q]]), queue }));
      const chosen = queue.filter((r) => out.admitted.some((a) => a.trialId === r.trialId));
      const sum = (k: 'cpus' | 'gpus' | 'memoryMb') => chosen.reduce((s, r) => s + r[k], 0);
      expect(chosen.length).toBeLessThanOrEqual(q.concurrentTrials);
      for (const k of ['cpus', 'gpus', 'memoryMb'] as const) expect(sum(k)).toBeLessThanOrEqual(Math.min(q[k], pool[k]) + 1e-9);
      expect(out.admitted.length + out.pending.length + out.rejected.length).toBe(queue.length);
    }
  });

  it('leaves the snapshot untouched when it preempts, and never evicts the same attempt twice in one decision', () => {
    const victims = [
      alloc({ tenant: 'low', gpus: 1, devices: ['0'], attemptId: 'v1', trialId: 'p1', priority: 'preemptible', runtimeSec: 600 }),
      alloc({ tenant: 'low', gpus: 1, devices: ['1'], attemptId: 'v2', trialId: 'p2', priority: 'preemptible', runtimeSec: 600 }),
    ];
    const snapshot = snap({
      quotas: new Map([['demo', quota({ priorityClasses: ['critical', 'standard'] })], ['low', quota({ priorityClasses: ['preemptible'] })]]),
      allocations: victims,
      queue: [run('c1', { gpus: 1, priority: 'critical' }, 1), run('c2', { gpus: 1, priority: 'critical' }, 2), run('c3', { gpus: 1, priority: 'critical' }, 3)],
    });
    const before = JSON.stringify(snapshot.allocations);
    const out = admit(snapshot);
    expect(JSON.stringify(snapshot.allocations)).toBe(before);
    expect(out.preempted.map((p) => [p.attemptId, p.forTrialId])).toEqual([['v1', 'c1'], ['v2', 'c2']]);
    // Nothing is left to evict for the third: the first two's victims are already stopping.
    expect(out.pending.find((p) => p.trialId === 'c3')?.reason).toBe('pool local: gpus 0 free, 1 requested');
  });

  it('names a no-quota tenant as not a reason to reject', () => {
    expect(neverFitsReason({ cpus: 1, gpus: 0, memoryMb: 1 }, pool, 'demo', undefined)).toBeNull();
  });
});
