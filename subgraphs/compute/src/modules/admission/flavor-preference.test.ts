import { admit, type ActiveAllocation, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';
import { parseGpuFlavorOrder } from './flavor.rules.js';

/**
 * Flavor fungibility (docs/designs/3-gpu-flavors.md): a run lists GPU types, most preferred first;
 * a pool of a later type takes it only when no live pool of an earlier type has room for it now.
 * Two pools: `hpc` (a100, 4 GPUs) and `box` (h100, 2 GPUs), both running the local executor.
 */
const hpc = { name: 'hpc', cpus: 32, gpus: 4, memoryMb: 65536, gpuIds: ['0', '1', '2', '3'], flavor: 'a100', executor: 'local' };
const box = { name: 'box', cpus: 16, gpus: 2, memoryMb: 32768, gpuIds: ['0', '1'], flavor: 'h100', executor: 'local' };
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 3, cpus: 64, gpus: 16, memoryMb: 1 << 20, concurrentTrials: 50, ...q });
const t0 = Date.parse('2030-01-01T00:00:00Z');
let at = 0;
const run = (trialId: string, r: Partial<QueuedRun> = {}): QueuedRun => ({
  trialId, tenant: 'acme', trialIndex: 0, cpus: 1, gpus: 1, memoryMb: 512, enqueuedAt: new Date(t0 + at++), gpuTypes: ['h100', 'a100'], ...r,
});
const onBox = (gpus: number, tenant = 'other'): ActiveAllocation =>
  ({ tenant, pool: 'box', cpus: 1, gpus, memoryMb: 512, devices: ['0', '1'].slice(0, gpus), attemptId: `b${gpus}`, trialId: `tb${gpus}`, runtimeSec: 5 });
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({
  pool: hpc, allocations: [], queue: [], now: new Date(t0 + 1000),
  quotas: new Map([['acme', quota()], ['other', quota()]]),
  poolFlavors: new Map([['hpc', 'a100'], ['box', 'h100']]),
  poolExecutors: new Map([['hpc', 'local'], ['box', 'local']]),
  poolCapacities: new Map([['hpc', hpc], ['box', box]]),
  livePools: new Set(['hpc', 'box']),
  ...s,
});
const summary = (s: AdmissionSnapshot) => {
  const out = admit(s);
  return {
    admitted: out.admitted.map((a) => a.trialId),
    routing: Object.fromEntries(out.admitted.filter((a) => a.routing).map((a) => [a.trialId, a.routing])),
    pending: Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason])),
    rejected: Object.fromEntries(out.rejected.map((p) => [p.trialId, p.reason])),
  };
};

describe('admit: a run that lists several GPU types (flavor fungibility)', () => {
  it('the pool of its first choice admits it, without a note', () => {
    expect(summary(snap({ pool: box, queue: [run('r')] }))).toEqual({ admitted: ['r'], routing: {}, pending: {}, rejected: {} });
  });

  it('a pool of a later choice leaves it to a live pool of an earlier one with room (no pending reason)', () => {
    expect(summary(snap({ queue: [run('r')] }))).toEqual({ admitted: [], routing: {}, pending: {}, rejected: {} });
  });

  it('takes it when the preferred pool is full, and the decision log says why', () => {
    expect(summary(snap({ allocations: [onBox(2)], queue: [run('r')] }))).toEqual({
      admitted: ['r'], routing: { r: 'GPU type a100 is choice 2 of h100, a100: no room for it now on box (h100)' }, pending: {}, rejected: {},
    });
  });

  it('counts the preferred pool\'s room once: of three runs and one free h100, two run here', () => {
    const s = summary(snap({ allocations: [onBox(1)], queue: [run('a'), run('b'), run('c')] }));
    expect(s.admitted).toEqual(['b', 'c']);
    expect(s.pending).toEqual({});
  });

  it('a run larger than the preferred pool\'s free GPUs runs here', () => {
    expect(summary(snap({ allocations: [onBox(1)], queue: [run('two', { gpus: 2 })] })).admitted).toEqual(['two']);
  });

  it('stops waiting for its preferred type after a minute, saying so', () => {
    const s = summary(snap({ now: new Date(t0 + 61_000), queue: [run('old', { enqueuedAt: new Date(t0) })] }));
    expect(s.routing).toEqual({ old: 'GPU type a100 is choice 2 of h100, a100: it waited 61 s, past the 60 s it waits for a pool of h100 with room' });
    expect(summary(snap({ now: new Date(t0 + 10_000), preferFlavorForSec: 5, queue: [run('r', { enqueuedAt: new Date(t0) })] })).admitted).toEqual(['r']);
  });

  it('does not wait for a stopped pool of its preferred type', () => {
    expect(summary(snap({ livePools: new Set(['hpc']), queue: [run('r')] })).routing)
      .toEqual({ r: 'GPU type a100 is choice 2 of h100, a100: no live pool of h100' });
  });

  it('does not wait for a preferred type its tenant would have to borrow (above its nominal of that flavor)', () => {
    const flavored = quota({ gpuFlavors: [{ flavor: 'h100', gpus: 1 }, { flavor: 'a100', gpus: 4 }] });
    const s = summary(snap({ quotas: new Map([['acme', flavored], ['other', quota()]]), allocations: [{ ...onBox(1, 'acme') }], queue: [run('r')] }));
    expect(s.admitted).toEqual(['r']);
    expect(s.routing).toEqual({ r: 'GPU type a100 is choice 2 of h100, a100: no room for it now on box (h100)' });
  });

  it('without the other pools\' capacities nothing waits, and the note says their room is unknown', () => {
    expect(summary(snap({ poolCapacities: undefined, queue: [run('r')] })).routing)
      .toEqual({ r: 'GPU type a100 is choice 2 of h100, a100: the room of pools of h100 is unknown' });
  });

  it('runs on a pool of any listed type only: a pool of another type leaves it alone', () => {
    const l4 = { ...hpc, name: 'cheap', flavor: 'l4' };
    const s = snap({ pool: l4, poolFlavors: new Map([['hpc', 'a100'], ['box', 'h100'], ['cheap', 'l4']]), queue: [run('r')] });
    expect(summary(s)).toEqual({ admitted: [], routing: {}, pending: {}, rejected: {} });
  });

  it('waits, naming every listed type, when no pool offers any of them', () => {
    expect(summary(snap({ queue: [run('r', { gpuTypes: ['h200', 'b200'] })] })).pending)
      .toEqual({ r: 'no pool offers GPU type h200 or b200 (pools: box (h100), hpc (a100))' });
  });

  describe('with the tenant\'s per-flavor caps', () => {
    const onlyA100 = quota({ gpuFlavors: [{ flavor: 'a100', gpus: 4 }] });
    const quotas = new Map([['acme', onlyA100]]);

    it('a listed type its quota rules out is skipped, not a reason to reject: the run goes to the type it allows', () => {
      expect(summary(snap({ quotas, queue: [run('r')] }))).toEqual({ admitted: ['r'], routing: {}, pending: {}, rejected: {} });
      // The h100 pool does not take it (its quota lists no h100), and says nothing: hpc will.
      expect(summary(snap({ pool: box, quotas, queue: [run('r')] }))).toEqual({ admitted: [], routing: {}, pending: {}, rejected: {} });
    });

    it('is rejected when its quota allows none of the listed types, naming them and the listed flavors', () => {
      expect(summary(snap({ quotas, queue: [run('r', { gpuTypes: ['h100', 'l4'] })] })).rejected)
        .toEqual({ r: 'GPU types h100, l4 are not in tenant acme\'s quota (quota v3 lists GPU flavors a100)' });
    });

    it('is rejected when it asks for more GPUs than each listed type allows, naming each cap', () => {
      const two = quota({ gpuFlavors: [{ flavor: 'a100', gpus: 2 }, { flavor: 'h100', gpus: 1 }] });
      expect(summary(snap({ quotas: new Map([['acme', two]]), queue: [run('r', { gpus: 3, gpuTypes: ['h100', 'a100', 'l4'] })] })).rejected)
        .toEqual({ r: 'requests 3 gpus of type h100 or a100 or l4; tenant acme quota (v3) allows 1 of flavor h100, 2 of flavor a100 and none of l4' });
    });

    it('the wait reason names the types its quota rules out when no pool offers the others', () => {
      const s = snap({ quotas: new Map([['acme', quota({ gpuFlavors: [{ flavor: 'a100', gpus: 4 }, { flavor: 'h200', gpus: 4 }] })]]), pool: box,
        queue: [run('r', { gpuTypes: ['h100', 'h200'] })] });
      expect(summary(s).pending).toEqual({ r: 'no pool offers GPU type h200 (pools: box (h100), hpc (a100)); tenant acme\'s quota rules out h100' });
    });
  });
});

describe('admit: a GPU run that names no type follows a flavor order (Kueue\'s ordered flavors)', () => {
  const any = (id: string, r: Partial<QueuedRun> = {}) => run(id, { gpuTypes: null, ...r });
  const order = ['h100', 'a100'];

  it('the platform\'s order: a pool of a later type leaves it to a live pool of an earlier one with room', () => {
    expect(summary(snap({ gpuFlavorOrder: order, queue: [any('r')] }))).toEqual({ admitted: [], routing: {}, pending: {}, rejected: {} });
    expect(summary(snap({ pool: box, gpuFlavorOrder: order, queue: [any('r')] }))).toEqual({ admitted: ['r'], routing: {}, pending: {}, rejected: {} });
  });

  it('takes it when the preferred pool is full, naming whose order it followed', () => {
    expect(summary(snap({ gpuFlavorOrder: order, allocations: [onBox(2)], queue: [any('r')] })).routing)
      .toEqual({ r: 'GPU type a100 is choice 2 of h100, a100 (the platform\'s flavor order): no room for it now on box (h100)' });
  });

  it('the tenant\'s gpuFlavors order comes before the platform\'s', () => {
    const flavored = quota({ gpuFlavors: [{ flavor: 'a100', gpus: 4 }, { flavor: 'h100', gpus: 2 }] });
    const quotas = new Map([['acme', flavored], ['other', quota()]]);
    expect(summary(snap({ quotas, gpuFlavorOrder: order, queue: [any('r')] })).admitted).toEqual(['r']);
    expect(summary(snap({ pool: box, quotas, gpuFlavorOrder: order, queue: [any('r')] })).admitted).toEqual([]);
    expect(summary(snap({ pool: box, quotas, allocations: [{ ...onBox(0), pool: 'hpc', gpus: 4, devices: ['0', '1', '2', '3'] }], queue: [any('r')] })).routing)
      .toEqual({ r: 'GPU type h100 is choice 2 of a100, h100 (tenant acme\'s flavor order (quota gpuFlavors)): no room for it now on hpc (a100)' });
  });

  it('ranks a pool of a type the order does not list after every listed type', () => {
    expect(summary(snap({ gpuFlavorOrder: ['h100'], queue: [any('r')] })).admitted).toEqual([]);
    expect(summary(snap({ gpuFlavorOrder: ['h100'], allocations: [onBox(2)], queue: [any('r')] })).routing)
      .toEqual({ r: 'GPU type a100 is not in the platform\'s flavor order, h100: no room for it now on box (h100)' });
  });

  it('leaves CPU-only runs, and GPU runs without any order, to whichever pool comes first', () => {
    expect(summary(snap({ gpuFlavorOrder: order, queue: [any('cpu', { gpus: 0 })] })).admitted).toEqual(['cpu']);
    expect(summary(snap({ queue: [any('r')] })).admitted).toEqual(['r']);
  });

  it('a run\'s own list wins over any order', () => {
    expect(summary(snap({ gpuFlavorOrder: order, queue: [run('mine', { gpuTypes: ['a100', 'h100'] })] })).admitted).toEqual(['mine']);
  });
});

describe('parseGpuFlavorOrder (FAIRSWEEP_GPU_FLAVOR_ORDER)', () => {
  it('reads a comma-separated list, most preferred first; empty or unset is none', () => {
    expect(parseGpuFlavorOrder(' h100, a100 ,l4')).toEqual(['h100', 'a100', 'l4']);
    expect(parseGpuFlavorOrder('')).toEqual([]);
    expect(parseGpuFlavorOrder(undefined)).toEqual([]);
  });

  it('names the entry that is wrong and what is allowed', () => {
    expect(() => parseGpuFlavorOrder('h100,A100')).toThrow('FAIRSWEEP_GPU_FLAVOR_ORDER: entry 2 "A100" is not a GPU type');
    expect(() => parseGpuFlavorOrder('h100,a100,h100')).toThrow('FAIRSWEEP_GPU_FLAVOR_ORDER: "h100" is listed twice (entries 1 and 3); list each GPU type once');
  });
});
