import { admit, type ActiveAllocation, type AdmissionSnapshot, type GpuFlavorQuota, type QueuedRun, type TenantQuota } from './admission.js';

const h100 = { name: 'hopper', cpus: 16, gpus: 8, memoryMb: 65536, gpuIds: ['0', '1', '2', '3', '4', '5', '6', '7'], flavor: 'h100' };
const poolFlavors = new Map<string, string | null>([['hopper', 'h100'], ['ampere', 'a100'], ['plain', null]]);
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 3, cpus: 16, gpus: 8, memoryMb: 65536, concurrentTrials: 20, ...q });
const t0 = Date.parse('2030-01-01T00:00:00Z');
let at = 0;
const run = (trialId: string, r: Partial<QueuedRun> = {}): QueuedRun => ({
  trialId, tenant: 'acme', trialIndex: 0, cpus: 1, gpus: 1, memoryMb: 512, enqueuedAt: new Date(t0 + at++), ...r,
});
const alloc = (a: Partial<ActiveAllocation> = {}): ActiveAllocation => ({ tenant: 'acme', pool: 'hopper', cpus: 1, gpus: 1, memoryMb: 512, devices: [], ...a });
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({ pool: h100, poolFlavors, allocations: [], quotas: new Map([['acme', quota()]]), queue: [], ...s });
const capped = (gpuFlavors: TenantQuota['gpuFlavors'], q: Partial<TenantQuota> = {}) => new Map([['acme', quota({ gpuFlavors, ...q })]]);

interface Case {
  name: string;
  snapshot: AdmissionSnapshot;
  admitted: string[];
  pending?: Record<string, string>;
  rejected?: Record<string, string>;
}

const routing: Case[] = [
  {
    name: 'a run of this pool\'s GPU type, and runs without one, are admitted here',
    snapshot: snap({ queue: [run('typed', { gpuTypes: ['h100'] }), run('any'), run('cpu-only', { gpus: 0 })] }),
    admitted: ['typed', 'any', 'cpu-only'],
  },
  {
    name: 'a run of a type another pool offers is left out of this decision entirely (no pending reason)',
    snapshot: snap({ queue: [run('a100', { gpuTypes: ['a100'] }), run('h', { gpuTypes: ['h100'] })] }),
    admitted: ['h'],
  },
  {
    name: 'a run of a type no pool offers waits, listing the registered pools and their flavors',
    snapshot: snap({ queue: [run('b200', { gpuTypes: ['b200'] })] }),
    admitted: [],
    pending: { b200: 'no pool offers GPU type b200 (pools: ampere (a100), hopper (h100), plain (no type))' },
  },
  {
    name: 'a pool without a flavor takes only runs without a GPU type',
    snapshot: snap({ pool: { ...h100, name: 'plain', flavor: null }, queue: [run('typed', { gpuTypes: ['h100'] }), run('any')] }),
    admitted: ['any'],
  },
  {
    name: 'a run of another pool\'s type is not rejected for being larger than this pool',
    snapshot: snap({ pool: { ...h100, gpus: 1, gpuIds: ['0'] }, queue: [run('big', { gpuTypes: ['a100'], gpus: 4 })] }),
    admitted: [],
  },
  {
    name: 'without poolFlavors only this pool is known',
    snapshot: snap({ poolFlavors: undefined, queue: [run('a100', { gpuTypes: ['a100'] }), run('h', { gpuTypes: ['h100'] })] }),
    admitted: ['h'],
    pending: { a100: 'no pool offers GPU type a100 (pools: hopper (h100))' },
  },
  {
    name: 'a GPU type on a run without GPUs is ignored (the spec forbids it)',
    snapshot: snap({ queue: [run('odd', { gpus: 0, gpuTypes: ['a100'] })] }),
    admitted: ['odd'],
  },
];

const caps: Case[] = [
  {
    name: 'a listed flavor is capped: used on pools of that flavor + request <= cap',
    snapshot: snap({ quotas: capped([{ flavor: 'h100', gpus: 2 }]), allocations: [alloc({ devices: ['0'] })], queue: [run('a'), run('b')] }),
    admitted: ['a'],
    pending: { b: 'tenant acme quota: gpus of flavor h100 2/2 in use, 1 requested (quota v3)' },
  },
  {
    name: 'usage on pools of other flavors (and without one) does not count against the cap',
    snapshot: snap({
      quotas: capped([{ flavor: 'h100', gpus: 1 }, { flavor: 'a100', gpus: 4 }]),
      allocations: [alloc({ pool: 'ampere', gpus: 3 }), alloc({ pool: 'plain', gpus: 2 })],
      queue: [run('a')],
    }),
    admitted: ['a'],
  },
  {
    name: 'an allocation on another pool of the same flavor counts',
    snapshot: snap({ quotas: capped([{ flavor: 'h100', gpus: 2 }]), poolFlavors: new Map([...poolFlavors, ['hopper-2', 'h100']]), allocations: [alloc({ pool: 'hopper-2', gpus: 2 })], queue: [run('a')] }),
    admitted: [],
    pending: { a: 'tenant acme quota: gpus of flavor h100 2/2 in use, 1 requested (quota v3)' },
  },
  {
    name: 'an unlisted flavor may not be used on this pool: the run waits (another pool may take it)',
    snapshot: snap({ quotas: capped([{ flavor: 'a100', gpus: 4 }, { flavor: 'l4', gpus: 1 }]), queue: [run('a'), run('cpu', { gpus: 0 })] }),
    admitted: ['cpu'],
    pending: { a: 'tenant acme quota: no GPUs of flavor h100 (quota v3 lists a100, l4)' },
  },
  {
    name: 'a pool without a flavor gives no GPUs to a tenant whose quota lists flavors',
    snapshot: snap({ pool: { ...h100, name: 'plain', flavor: null }, quotas: capped([{ flavor: 'h100', gpus: 4 }]), queue: [run('a')] }),
    admitted: [],
    pending: { a: 'tenant acme quota: no GPUs of pools without a flavor (pool plain declares no GPU type; quota v3 lists h100)' },
  },
  {
    name: 'a trial whose GPU type the tenant does not list is rejected, naming the type and the listed flavors',
    snapshot: snap({ quotas: capped([{ flavor: 'h100', gpus: 4 }, { flavor: 'l4', gpus: 1 }]), queue: [run('a', { gpuTypes: ['a100'] }), run('b', { gpuTypes: ['b200'] })] }),
    admitted: [],
    rejected: {
      a: "GPU type a100 is not in tenant acme's quota (quota v3 lists GPU flavors h100, l4)",
      b: "GPU type b200 is not in tenant acme's quota (quota v3 lists GPU flavors h100, l4)",
    },
  },
  {
    name: 'a trial asking for more GPUs than its flavor cap is rejected',
    snapshot: snap({ quotas: capped([{ flavor: 'h100', gpus: 2 }]), queue: [run('a', { gpuTypes: ['h100'], gpus: 3 })] }),
    admitted: [],
    rejected: { a: 'requests 3 gpus of type h100; tenant acme quota (v3) allows 2 of flavor h100' },
  },
  {
    name: 'runs admitted earlier in the cycle count; the total gpus quota still applies',
    snapshot: snap({ quotas: capped([{ flavor: 'h100', gpus: 6 }], { gpus: 3 }), queue: [run('a', { gpus: 2 }), run('b', { gpus: 2 }), run('c', { gpus: 1 })] }),
    admitted: ['a', 'c'],
    pending: { b: 'tenant acme quota: gpus 2/3 in use, 2 requested' },
  },
  {
    name: 'both reasons are given when the total and the flavor cap hold a run',
    snapshot: snap({ quotas: capped([{ flavor: 'h100', gpus: 1 }], { gpus: 1 }), allocations: [alloc({ devices: ['0'] })], queue: [run('a')] }),
    admitted: [],
    pending: { a: 'tenant acme quota: gpus 1/1 in use, 1 requested; tenant acme quota: gpus of flavor h100 1/1 in use, 1 requested (quota v3)' },
  },
  {
    name: 'an empty list changes nothing; other tenants are not capped',
    snapshot: snap({
      quotas: new Map([['acme', quota({ gpuFlavors: [] })], ['beta', quota({ gpuFlavors: [{ flavor: 'h100', gpus: 0 }] })]]),
      queue: [run('a', { gpuTypes: ['a100'] }), run('b'), run('c', { tenant: 'beta' })],
    }),
    admitted: ['b'],
    pending: { c: 'tenant beta quota: gpus of flavor h100 0/0 in use, 1 requested (quota v3)' },
  },
];

describe('admit: GPU types route runs to pools of their flavor', () => {
  it.each(routing)('$name', ({ snapshot, admitted, pending = {}, rejected = {} }) => {
    const out = admit(snapshot);
    expect(out.admitted.map((a) => a.trialId)).toEqual(admitted);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual(pending);
    expect(Object.fromEntries(out.rejected.map((p) => [p.trialId, p.reason]))).toEqual(rejected);
  });
});

describe('admit: per-flavor GPU caps of the tenant quota', () => {
  it.each(caps)('$name', ({ snapshot, admitted, pending = {}, rejected = {} }) => {
    const out = admit(snapshot);
    expect(out.admitted.map((a) => a.trialId)).toEqual(admitted);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual(pending);
    expect(Object.fromEntries(out.rejected.map((p) => [p.trialId, p.reason]))).toEqual(rejected);
  });

  it('does not preempt for a run its flavor cap holds back', () => {
    const s = (gpuFlavors?: TenantQuota['gpuFlavors']) => snap({
      pool: { ...h100, gpus: 1, gpuIds: ['0'] },
      quotas: new Map([['acme', quota({ priorityClasses: ['critical', 'standard', 'preemptible'], ...(gpuFlavors ? { gpuFlavors } : {}) })], ['low', quota()]]),
      allocations: [alloc({ tenant: 'low', devices: ['0'], priority: 'preemptible', attemptId: 'x', runtimeSec: 1000 })],
      queue: [run('a', { priority: 'critical' })],
    });
    expect(admit(s()).preempted.map((p) => p.attemptId)).toEqual(['x']); // without the cap it would
    const out = admit(s([{ flavor: 'a100', gpus: 1 }]));
    expect(out.preempted).toEqual([]);
    expect(out.pending.map((p) => p.reason)).toEqual(['tenant acme quota: no GPUs of flavor h100 (quota v3 lists a100); pool hopper: gpus 0 free, 1 requested']);
  });
});

/** Per-flavor nominal quota with cohort borrowing and lending (docs/designs/3-gpu-flavors.md). */
describe('admit: borrowing GPUs of a flavor within a cohort', () => {
  // acme and beta share cohort lab; each has 2 nominal H100s; the pool has 8.
  const member = (flavor: Partial<GpuFlavorQuota>, q: Partial<TenantQuota> = {}) =>
    quota({ cohort: 'lab', gpus: 8, gpuFlavors: [{ flavor: 'h100', gpus: 2, ...flavor }], ...q });
  const lab = (acme: Partial<GpuFlavorQuota>, beta: Partial<GpuFlavorQuota> = {}) =>
    new Map([['acme', member(acme)], ['beta', member(beta)]]);
  const out = (s: AdmissionSnapshot) => {
    const o = admit(s);
    return {
      admitted: o.admitted.map((a) => `${a.trialId}${a.borrowed ? ' (borrowed)' : ''}`),
      pending: Object.fromEntries(o.pending.map((p) => [p.trialId, p.reason])),
      preempted: o.preempted.map((p) => `${p.attemptId}: ${p.reason}`),
    };
  };

  it('without a borrowing limit the flavor nominal is a hard cap, even with idle cohort GPUs of it', () => {
    expect(out(snap({ quotas: lab({}), queue: [run('a', { gpus: 2 }), run('b')] }))).toEqual({
      admitted: ['a'], preempted: [],
      pending: { b: 'tenant acme quota: gpus of flavor h100 2/2 in use, 1 requested (quota v3)' },
    });
  });

  it('with one, a member borrows the unused H100 nominal of the others, marked borrowed, up to its limit', () => {
    expect(out(snap({ quotas: lab({ borrowingLimit: 3 }), queue: [run('a', { gpus: 2 }), run('b'), run('c'), run('d')] }))).toEqual({
      // beta lends its 2 unused H100s: acme reaches 4 (nominal 2 + 2 borrowed) although its limit would allow 5.
      admitted: ['a', 'b (borrowed)', 'c (borrowed)'], preempted: [],
      pending: { d: 'cohort lab: gpus of flavor h100 3 would be borrowed, members lend 2' },
    });
    expect(out(snap({ quotas: lab({ borrowingLimit: 1 }), queue: [run('a', { gpus: 2 }), run('b'), run('c')] })).pending).toEqual({
      c: 'tenant acme borrowing limit: gpus of flavor h100 3/3 in use (nominal 2), 1 requested (quota v3)',
    });
  });

  it('a lender lends only its unused nominal of the flavor, within its lending limit', () => {
    const busyBeta = [alloc({ tenant: 'beta', gpus: 1, devices: ['0'] })];
    expect(out(snap({ quotas: lab({ borrowingLimit: 4 }), allocations: busyBeta, queue: [run('a', { gpus: 3 }), run('b')] }))).toEqual({
      admitted: ['a (borrowed)'], preempted: [],
      pending: { b: 'cohort lab: gpus of flavor h100 2 would be borrowed, members lend 1' },
    });
    expect(out(snap({ quotas: lab({ borrowingLimit: 4 }, { lendingLimit: 0 }), queue: [run('a', { gpus: 3 })] })).pending).toEqual({
      a: 'cohort lab: gpus of flavor h100 1 would be borrowed, members lend 0',
    });
  });

  it('a member that does not list the flavor lends none of it; use of other flavors does not count', () => {
    const quotas = new Map([['acme', member({ borrowingLimit: 2 })], ['beta', quota({ cohort: 'lab', gpus: 8 })]]);
    expect(out(snap({ quotas, allocations: [alloc({ pool: 'ampere', gpus: 4 })], queue: [run('a', { gpus: 2 }), run('b')] })).pending).toEqual({
      b: 'cohort lab: gpus of flavor h100 1 would be borrowed, members lend 0',
    });
  });

  it('the largest request a flavor allows is nominal + borrowing limit (beyond it: rejected)', () => {
    const o = admit(snap({ quotas: lab({ borrowingLimit: 1 }), queue: [run('a', { gpuTypes: ['h100'], gpus: 4 })] }));
    expect(o.rejected.map((r) => r.reason)).toEqual(['requests 4 gpus of type h100; tenant acme quota (v3) allows 3 of flavor h100 (nominal 2 + borrowing limit 1)']);
  });

  it('the lender reclaims its flavor nominal by preempting the borrowed attempts; the borrower cannot preempt back', () => {
    const pool = { ...h100, gpus: 4, gpuIds: ['0', '1', '2', '3'] };
    const borrowed = (id: string, d: string) => alloc({ attemptId: id, devices: [d], borrowed: true, runtimeSec: 600 });
    const own = (id: string, d: string) => alloc({ attemptId: id, devices: [d], runtimeSec: 600 });
    // acme runs 4 H100s (2 nominal, 2 borrowed from beta); beta now wants its 2.
    const s = snap({
      pool, quotas: lab({ borrowingLimit: 2 }),
      allocations: [own('own-1', '0'), own('own-2', '1'), borrowed('lent-1', '2'), borrowed('lent-2', '3')],
      queue: [run('beta-1', { tenant: 'beta' })],
    });
    expect(out(s)).toEqual({
      admitted: [], pending: { 'beta-1': 'waiting for 1 preempted attempt(s) to stop (reclaiming nominal quota)' },
      preempted: ['lent-1: preempted: tenant beta reclaims its nominal quota lent to cohort lab'],
    });
    // Once beta holds its 2, acme's requeued trial is above its flavor nominal: it may not preempt beta.
    const after = snap({
      pool, quotas: lab({ borrowingLimit: 2 }),
      allocations: [own('own-1', '0'), own('own-2', '1'), alloc({ tenant: 'beta', attemptId: 'b1', devices: ['2'], runtimeSec: 600 }), alloc({ tenant: 'beta', attemptId: 'b2', devices: ['3'], runtimeSec: 600 })],
      queue: [run('again', { preemptions: 1, sincePreemptedSec: 1000 })],
    });
    expect(out(after)).toEqual({
      admitted: [], preempted: [],
      pending: { again: 'cohort lab: gpus of flavor h100 1 would be borrowed, members lend 0; pool hopper: gpus 0 free, 1 requested' },
    });
  });

  it('a recently preempted trial waits out its backoff before borrowing GPUs of the flavor again', () => {
    expect(out(snap({ quotas: lab({ borrowingLimit: 2 }), allocations: [alloc({ gpus: 2, devices: ['0', '1'] })], queue: [run('again', { preemptions: 1, sincePreemptedSec: 10 })] })).pending)
      .toEqual({ again: 'preempted 1× before: may borrow again in 20 s (backoff 30 s)' });
  });
});

/**
 * Property, over random seeded workloads on one H100 pool shared by a cohort whose members have
 * random per-flavor nominals, borrowing and lending limits: after every cycle's decisions are
 * applied, no member holds more H100s than its nominal plus borrowing limit, the pool is never
 * over capacity, every attempt started above its tenant's flavor nominal is marked borrowed, and
 * only work within its flavor nominal reclaims (so no A evicts B evicts A; the runs here are of one
 * priority class, so every preemption is a reclaim).
 */
describe('property: per-flavor cohort borrowing', () => {
  const rand = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // The workloads must exercise borrowing and reclaiming, or the property says nothing.
  const seen = { borrowed: 0, preempted: 0 };
  afterAll(() => {
    expect(seen.borrowed).toBeGreaterThan(20);
    expect(seen.preempted).toBeGreaterThan(5);
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i', (seed) => {
    const r = rand(seed);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const gpus = int(2, 8);
    const pool = { ...h100, gpus, gpuIds: Array.from({ length: gpus }, (_, i) => String(i)) };
    const quotas = new Map<string, TenantQuota>();
    for (const t of ['a', 'b', 'c'].slice(0, int(2, 3))) {
      const nominal = int(0, 4);
      quotas.set(t, quota({
        cohort: 'lab', gpus: 8, priorityClasses: ['critical', 'standard', 'preemptible'],
        gpuFlavors: [{ flavor: 'h100', gpus: nominal, ...(r() < 0.7 ? { borrowingLimit: int(0, 4) } : {}), ...(r() < 0.3 ? { lendingLimit: int(0, nominal) } : {}) }],
      }));
    }
    const entry = (t: string) => quotas.get(t)!.gpuFlavors![0]!;
    let running: (ActiveAllocation & { endsAt: number })[] = [];
    let queue: QueuedRun[] = [];
    let next = 0;
    for (let step = 0; step < 40; step++) {
      // Ends and completed evictions free their GPUs; evicted trials come back to the queue.
      for (const a of running.filter((x) => x.stopping || x.endsAt <= step)) {
        if (a.stopping) queue.push(run(a.trialId!, { tenant: a.tenant, gpus: a.gpus, preemptions: 1, sincePreemptedSec: 1000 }));
      }
      running = running.filter((x) => !(x.stopping || x.endsAt <= step));
      for (let k = int(0, 3); k > 0; k--) queue.push(run(`r${next++}`, { tenant: [...quotas.keys()][int(0, quotas.size - 1)]!, gpus: int(1, 2) }));
      const out = admit(snap({
        pool, quotas, queue, minRuntimeBeforePreemptSec: 0,
        allocations: running.map(({ endsAt: _, ...a }) => ({ ...a, runtimeSec: 100 })),
      }));
      const used = (t: string) => running.filter((a) => a.tenant === t).reduce((s, a) => s + a.gpus, 0);
      for (const p of out.preempted) {
        const forRun = queue.find((q) => q.trialId === p.forTrialId)!;
        expect(used(forRun.tenant) + forRun.gpus).toBeLessThanOrEqual(entry(forRun.tenant).gpus); // only within its flavor nominal
        seen.preempted++;
        running.find((a) => a.attemptId === p.attemptId)!.stopping = true;
      }
      for (const a of out.admitted) {
        const q = queue.find((x) => x.trialId === a.trialId)!;
        const above = used(q.tenant) + q.gpus > entry(q.tenant).gpus;
        expect({ trial: a.trialId, borrowed: a.borrowed }).toEqual({ trial: a.trialId, borrowed: above });
        if (a.borrowed) seen.borrowed++;
        running.push({ tenant: q.tenant, pool: pool.name, cpus: q.cpus, gpus: q.gpus, memoryMb: q.memoryMb, devices: a.devices, attemptId: `${a.trialId}@${step}`,
          trialId: a.trialId, borrowed: a.borrowed, priority: a.priority, endsAt: step + int(1, 6) });
        queue = queue.filter((x) => x.trialId !== a.trialId);
      }
      for (const t of quotas.keys()) expect(used(t)).toBeLessThanOrEqual(entry(t).gpus + (entry(t).borrowingLimit ?? 0));
      expect(running.reduce((s, a) => s + a.gpus, 0)).toBeLessThanOrEqual(pool.gpus);
    }
  });
});
