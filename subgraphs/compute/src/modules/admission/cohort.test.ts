import { cohortBalance } from './cohort.rules.js';
import { admit, type ActiveAllocation, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';

const t0 = Date.parse('2030-01-01T00:00:00Z');
const pool = { name: 'p', cpus: 8, gpus: 0, memoryMb: 1e6, gpuIds: [] };
const q = (cohort: string | null, extra: Partial<TenantQuota> = {}): TenantQuota => ({
  version: 1, cpus: 4, gpus: 0, memoryMb: 1e6, concurrentTrials: 100, cohort, priorityClasses: ['critical', 'standard', 'preemptible'], ...extra,
});
let n = 0;
const runs = (tenant: string, count: number, r: Partial<QueuedRun> = {}): QueuedRun[] =>
  Array.from({ length: count }, (_, i) => ({ trialId: `${tenant}-${n++}`, tenant, trialIndex: i, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t0 + n), ...r }));
const allocs = (tenant: string, count: number, a: Partial<ActiveAllocation> = {}): ActiveAllocation[] =>
  Array.from({ length: count }, (_, i) => ({ tenant, pool: 'p', cpus: 1, gpus: 0, memoryMb: 1, devices: [], attemptId: `${tenant}-att-${n++}`, runtimeSec: 100 + i, ...a }));
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({ pool, allocations: [], quotas: new Map(), queue: [], minRuntimeBeforePreemptSec: 60, ...s });

describe('cohorts: borrowing unused nominal quota', () => {
  it('lets a tenant borrow idle cohort quota, marking what is borrowed', () => {
    const out = admit(snap({ quotas: new Map([['a', q('c')], ['b', q('c')]]), queue: runs('a', 7) }));
    expect(out.admitted.map((x) => x.borrowed)).toEqual([false, false, false, false, true, true, true, true].slice(0, 7));
    expect(out.admitted).toHaveLength(7);
  });

  it('stops at the borrowing limit', () => {
    const out = admit(snap({ quotas: new Map([['a', q('c', { borrowingLimit: { cpus: 1 } })], ['b', q('c')]]), queue: runs('a', 7) }));
    expect(out.admitted).toHaveLength(5);
    expect(out.pending[0]!.reason).toBe('tenant a borrowing limit: cpus 5/5 in use (nominal 4), 1 requested');
  });

  it('stops at what the other members lend', () => {
    const out = admit(snap({ quotas: new Map([['a', q('c')], ['b', q('c', { lendingLimit: { cpus: 1 } })]]), queue: runs('a', 7) }));
    expect(out.admitted).toHaveLength(5);
    expect(out.pending[0]!.reason).toBe('cohort c: cpus 2 would be borrowed, members lend 1');
  });

  it('does not lend what a member uses, and never borrows outside a cohort', () => {
    const busy = admit(snap({ quotas: new Map([['a', q('c')], ['b', q('c')]]), allocations: allocs('b', 3), queue: runs('a', 7) }));
    expect(busy.admitted).toHaveLength(5);
    const alone = admit(snap({ quotas: new Map([['a', q(null)]]), queue: runs('a', 7) }));
    expect(alone.admitted).toHaveLength(4);
    expect(alone.pending[0]!.reason).toBe('tenant a quota: cpus 4/4 in use, 1 requested');
  });
});

describe('cohorts: lending headroom', () => {
  it('keeps a lender\'s headroom unlent, saying so when borrowing stops there', () => {
    const out = admit(snap({ quotas: new Map([['a', q('c')], ['b', q('c', { lendingHeadroom: { cpus: 1 } })]]), queue: runs('a', 8) }));
    expect(out.admitted).toHaveLength(7);
    expect(out.pending[0]!.reason).toBe('cohort c: cpus 4 would be borrowed, members lend 3 (and keep 1 unlent as lending headroom)');
  });

  it('keeps the headroom above the lender\'s current use (it follows the lender), never below zero', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c', { lendingHeadroom: { cpus: 1 } })]]);
    // b uses 2 of its 4: it lends 4 - 2 - 1 = 1.
    expect(admit(snap({ quotas, allocations: allocs('b', 2), queue: runs('a', 8) })).admitted).toHaveLength(5);
    // b uses all 4: it lends nothing and keeps nothing, and a stays within nominal.
    const full = admit(snap({ quotas, allocations: allocs('b', 4), queue: runs('a', 8) }));
    expect(full.admitted).toHaveLength(4);
    expect(full.pending[0]!.reason).toBe('cohort c: cpus 1 would be borrowed, members lend 0; pool p: cpus 0 free, 1 requested');
  });

  it('lets the lender\'s next trial start at once while the borrower holds everything else', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c', { lendingHeadroom: { cpus: 1 } })]]);
    // a holds its nominal 4 and the 3 b lends; b's new trial takes the free CPU its headroom kept.
    const allocations = [...allocs('a', 4), ...allocs('a', 3, { borrowed: true })];
    const out = admit(snap({ quotas, allocations, queue: [...runs('a', 2), ...runs('b', 1)] }));
    expect(out.admitted.map((x) => x.tenant)).toEqual(['b']);
    expect(out.preempted).toEqual([]);
    // Without headroom a borrowed all 4 and b must reclaim by preemption.
    const none = admit(snap({ quotas: new Map([['a', q('c')], ['b', q('c')]]), allocations: [...allocs('a', 4), ...allocs('a', 4, { borrowed: true })], queue: runs('b', 1) }));
    expect(none.admitted).toEqual([]);
    expect(none.preempted).toHaveLength(1);
  });

  it('applies the lending limit and the headroom together (the smaller lends)', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c', { lendingLimit: { cpus: 2 }, lendingHeadroom: { cpus: 1 } })]]);
    expect(admit(snap({ quotas, queue: runs('a', 8) })).admitted).toHaveLength(6);
    expect(admit(snap({ quotas, allocations: allocs('b', 2), queue: runs('a', 8) })).admitted).toHaveLength(5);
  });
});

describe('cohorts: a lending headroom kept by the cohort (cohort policy)', () => {
  const lab = (cpus: number, version = 2) => new Map([['c', { version, lendingHeadroom: { cpus } }]]);

  it('stops borrowing that far below what the members lend, and names the policy version', () => {
    const out = admit(snap({ quotas: new Map([['a', q('c')], ['b', q('c')]]), cohortPolicies: lab(1), queue: runs('a', 8) }));
    expect(out.admitted).toHaveLength(7);
    expect(out.pending[0]!.reason).toBe('cohort c: cpus 4 would be borrowed, members lend 4, of which the cohort keeps 1 unlent as its lending headroom (cohort policy v2)');
  });

  it('is one reserve for all lenders, not one per lender', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')], ['d', q('c')]]);
    const big = { ...pool, cpus: 12 };
    // b and d lend 8; the cohort keeps 2 of them: a borrows 6 (a headroom of 2 per lender would leave it 4).
    expect(admit(snap({ pool: big, quotas, cohortPolicies: lab(2), queue: runs('a', 12) })).admitted).toHaveLength(10);
    const perLender = new Map([['a', q('c')], ['b', q('c', { lendingHeadroom: { cpus: 2 } })], ['d', q('c', { lendingHeadroom: { cpus: 2 } })]]);
    expect(admit(snap({ pool: big, quotas: perLender, queue: runs('a', 12) })).admitted).toHaveLength(8);
  });

  it('never limits a member within its nominal quota, and never preempts', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')]]);
    // a holds its nominal 4 and borrows 3: its next would borrow into the reserve; b's own trial takes the free CPU.
    const allocations = [...allocs('a', 4), ...allocs('a', 3, { borrowed: true })];
    const out = admit(snap({ quotas, cohortPolicies: lab(1), allocations, queue: [...runs('a', 1), ...runs('b', 1)] }));
    expect(out.admitted.map((x) => x.tenant)).toEqual(['b']);
    expect(out.preempted).toEqual([]);
    // A reserve raised above what is borrowed now evicts nothing: it only stops new borrowing.
    const raised = admit(snap({ quotas, cohortPolicies: lab(4), allocations, queue: runs('a', 1) }));
    expect(raised.admitted).toEqual([]);
    expect(raised.preempted).toEqual([]);
    expect(raised.pending[0]!.reason).toContain('of which the cohort keeps 4 unlent as its lending headroom (cohort policy v2)');
  });

  it('applies only to the resources the run borrows more of', () => {
    const small = (extra: Partial<TenantQuota> = {}) => q('c', { memoryMb: 10, ...extra });
    const quotas = new Map([['a', small()], ['b', small()], ['d', small()]]);
    // d borrows 2 MB of memory already; the cohort's memory reserve (19 of the 16 lent) is crossed,
    // but a's run borrows CPUs only, so memory's reserve does not stop it.
    const allocations = [...allocs('a', 4), ...allocs('d', 1, { memoryMb: 12 })];
    const policies = new Map([['c', { version: 1, lendingHeadroom: { memoryMb: 19 } }]]);
    const out = admit(snap({ pool: { ...pool, cpus: 12 }, quotas, cohortPolicies: policies, allocations, queue: runs('a', 1) }));
    expect(out.admitted.map((x) => [x.tenant, x.borrowed])).toEqual([['a', true]]);
  });

  it('changes nothing for a cohort without a policy, or with an empty one', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')]]);
    expect(admit(snap({ quotas, cohortPolicies: new Map([['other', { version: 1, lendingHeadroom: { cpus: 4 } }]]), queue: runs('a', 8) })).admitted).toHaveLength(8);
    expect(admit(snap({ quotas, cohortPolicies: new Map([['c', { version: 3, lendingHeadroom: null }]]), queue: runs('a', 8) })).admitted).toHaveLength(8);
  });
});

describe('cohortBalance (Cohort.balance): what members hold, lend and borrow, as admission counts it', () => {
  const use = (cpus: number) => ({ cpus, gpus: 0, memoryMb: 1 });
  it('sums nominal, use, lending (after limits and members\' headroom) and borrowing; keeps the cohort reserve out of what is borrowable', () => {
    const b = cohortBalance([
      { quota: q('c'), use: use(6) }, // borrows 2
      { quota: q('c', { lendingHeadroom: { cpus: 1 } }), use: use(1) }, // lends 4 - 1 - 1 = 2, keeps 1
      { quota: q('c', { lendingLimit: { cpus: 3 } }), use: use(0) }, // lends 3 of 4
    ], { version: 2, lendingHeadroom: { cpus: 1 } });
    expect(b.nominal.cpus).toBe(12);
    expect(b.inUse.cpus).toBe(7);
    expect(b.lent.cpus).toBe(5);
    expect(b.borrowed.cpus).toBe(2);
    expect(b.keptByMembers.cpus).toBe(1);
    expect(b.keptByCohort.cpus).toBe(1);
    expect(b.borrowable.cpus).toBe(2);
  });

  it('keeps no more than is lent, and nothing is borrowable below zero', () => {
    const b = cohortBalance([{ quota: q('c'), use: use(7) }, { quota: q('c'), use: use(3) }], { version: 1, lendingHeadroom: { cpus: 4 } });
    expect([b.lent.cpus, b.keptByCohort.cpus, b.borrowed.cpus, b.borrowable.cpus]).toEqual([1, 1, 3, 0]);
  });
});

describe('borrowing backoff after preemption', () => {
  it('makes a preempted trial wait before it borrows again, doubling per preemption, but never within nominal', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')]]);
    const [again] = runs('a', 1, { preemptions: 2, sincePreemptedSec: 40 });
    const out = admit(snap({ quotas, allocations: allocs('a', 4), queue: [again!], borrowBackoffSec: 30 }));
    expect(out.pending[0]!.reason).toBe('preempted 2× before: may borrow again in 20 s (backoff 60 s)');
    expect(admit(snap({ quotas, allocations: allocs('a', 4), queue: [{ ...again!, sincePreemptedSec: 61 }], borrowBackoffSec: 30 })).admitted).toHaveLength(1);
    expect(admit(snap({ quotas, allocations: allocs('a', 3), queue: [again!], borrowBackoffSec: 30 })).admitted).toHaveLength(1);
  });

  it('evicts trials preempted less often first', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')]]);
    const allocations = [...allocs('a', 4), ...allocs('a', 3, { borrowed: true, preemptions: 1 }), ...allocs('a', 1, { borrowed: true, runtimeSec: 500 })];
    const out = admit(snap({ quotas, allocations, queue: runs('b', 1) }));
    expect(out.preempted.map((p) => p.attemptId)).toEqual([allocations[7]!.attemptId]);
  });
});

describe('preemption', () => {
  it('reclaims lent quota: evicts the newest borrowed attempts of other cohort members, gracefully and only as many as needed', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')]]);
    const allocations = [...allocs('a', 4), ...allocs('a', 4, { borrowed: true })];
    const out = admit(snap({ quotas, allocations, queue: runs('b', 2) }));
    expect(out.admitted).toEqual([]);
    expect(out.preempted.map((p) => p.attemptId)).toEqual([allocations[4]!.attemptId, allocations[5]!.attemptId]);
    expect(out.preempted[0]!.reason).toBe('preempted: tenant b reclaims its nominal quota lent to cohort c');
    expect(out.pending.map((p) => p.reason)).toEqual(Array(2).fill('waiting for 1 preempted attempt(s) to stop (reclaiming nominal quota)'));
    // Next cycle, while they stop: nothing more is evicted.
    const stopping = allocations.map((a) => (out.preempted.some((p) => p.attemptId === a.attemptId) ? { ...a, stopping: true } : a));
    const again = admit(snap({ quotas, allocations: stopping, queue: runs('b', 2) }));
    expect(again.preempted).toEqual([]);
    expect(again.pending[0]!.reason).toBe('waiting for preempted attempts to stop (reclaiming nominal quota)');
  });

  it('never evicts attempts within their nominal quota, younger than the minimum runtime, or for a tenant above its own nominal', () => {
    const quotas = new Map([['a', q('c')], ['b', q('c')]]);
    const young = admit(snap({ quotas, allocations: [...allocs('a', 4), ...allocs('a', 4, { borrowed: true, runtimeSec: 5 })], queue: runs('b', 1) }));
    expect(young.preempted).toEqual([]);
    const nominalOnly = admit(snap({ quotas, allocations: [...allocs('a', 4), ...allocs('b', 4)], queue: runs('b', 1) }));
    expect(nominalOnly.preempted).toEqual([]);
  });

  it('lets critical work evict preemptible attempts of any tenant, never standard ones', () => {
    const quotas = new Map([['a', q(null, { cpus: 8 })], ['ops', q(null, { cpus: 8 })]]);
    const allocations = [...allocs('a', 6, { priority: 'standard' }), ...allocs('a', 2, { priority: 'preemptible' })];
    const out = admit(snap({ quotas, allocations, queue: runs('ops', 3, { priority: 'critical' }) }));
    expect(out.preempted.map((p) => p.attemptId).sort()).toEqual([allocations[6]!.attemptId, allocations[7]!.attemptId].sort());
    expect(out.pending.filter((p) => /waiting for 1 preempted/.test(p.reason))).toHaveLength(2);
    expect(out.pending.at(-1)!.reason).toBe('pool p: cpus 0 free, 1 requested');
  });

  it('converges without preemption cycles: under steady demand each attempt is evicted at most once and evictions stop', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let world = 0; world < 30; world++) {
      const tenants = ['a', 'b', 'c', 'd'];
      const quotas = new Map(tenants.map((t) => [t, q('c', { cpus: 2 })]));
      let allocations: ActiveAllocation[] = [];
      let queue = tenants.flatMap((t) => runs(t, 1 + Math.floor(rand() * 6)));
      const evictedBy = new Map<string, number>();
      let lastEviction = -1;
      for (let cycle = 0; cycle < 40; cycle++) {
        // Stopping attempts from the previous cycle have exited: requeue them as new attempts.
        const stopped = allocations.filter((a) => a.stopping);
        allocations = allocations.filter((a) => !a.stopping).map((a) => ({ ...a, runtimeSec: (a.runtimeSec ?? 0) + 100 }));
        queue = [...queue, ...stopped.map((a) => ({ trialId: a.trialId!, tenant: a.tenant, trialIndex: 0, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t0 + cycle) }))];
        const out = admit(snap({ quotas, allocations, queue }));
        for (const p of out.preempted) {
          evictedBy.set(p.trialId!, (evictedBy.get(p.trialId!) ?? 0) + 1);
          lastEviction = cycle;
          allocations = allocations.map((a) => (a.attemptId === p.attemptId ? { ...a, stopping: true } : a));
        }
        const admittedIds = new Set(out.admitted.map((x) => x.trialId));
        for (const x of out.admitted) {
          allocations.push({ tenant: x.tenant, pool: 'p', cpus: 1, gpus: 0, memoryMb: 1, devices: [], attemptId: `${x.trialId}#${cycle}`, trialId: x.trialId, borrowed: x.borrowed, runtimeSec: 0 });
        }
        queue = queue.filter((r) => !admittedIds.has(r.trialId));
      }
      expect([...evictedBy.values()].every((k) => k <= 1)).toBe(true);
      expect(lastEviction).toBeLessThan(20);
      // Final state: nobody is below nominal while someone borrows from them with work waiting.
      const used = (t: string) => allocations.filter((a) => a.tenant === t).length;
      for (const t of tenants) {
        if (queue.some((r) => r.tenant === t) && used(t) < 2) expect(allocations.filter((a) => a.borrowed && a.tenant !== t)).toEqual([]);
      }
    }
  });
});
