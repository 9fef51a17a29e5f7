import { admit, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';
import { PoolRouting } from './pool-routing.rules.js';

/** Routing by `trial.executor` (docs/designs/3-executor-routing.md), with and beside GPU flavors. */
const hpc = { name: 'hpc', cpus: 16, gpus: 4, memoryMb: 65536, gpuIds: ['0', '1', '2', '3'], flavor: 'a100', executor: 'slurm' };
const poolExecutors = new Map<string, string | null>([['hpc', 'slurm'], ['box', 'local'], ['old', null]]);
const poolFlavors = new Map<string, string | null>([['hpc', 'a100'], ['box', 'h100'], ['old', null]]);
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 2, cpus: 16, gpus: 8, memoryMb: 65536, concurrentTrials: 20, ...q });
const t0 = Date.parse('2030-01-01T00:00:00Z');
let at = 0;
const run = (trialId: string, r: Partial<QueuedRun> = {}): QueuedRun => ({
  trialId, tenant: 'acme', trialIndex: 0, cpus: 1, gpus: 0, memoryMb: 512, enqueuedAt: new Date(t0 + at++), ...r,
});
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({
  pool: hpc, poolExecutors, poolFlavors, allocations: [], quotas: new Map([['acme', quota()]]), queue: [], ...s,
});

interface Case {
  name: string;
  snapshot: AdmissionSnapshot;
  admitted: string[];
  pending?: Record<string, string>;
  routing?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'a run asking for this pool\'s executor, and a run asking for none, are admitted here',
    snapshot: snap({ queue: [run('slurm', { executor: 'slurm' }), run('none')] }),
    admitted: ['slurm', 'none'],
  },
  {
    name: 'a run asking for an executor another pool runs is left to that pool (no pending reason here)',
    snapshot: snap({ queue: [run('local', { executor: 'local' }), run('slurm', { executor: 'slurm' })] }),
    admitted: ['slurm'],
  },
  {
    name: 'the other pool takes it, and leaves this pool\'s executor\'s runs alone',
    snapshot: snap({ pool: { ...hpc, name: 'box', flavor: 'h100', executor: 'local' }, queue: [run('local', { executor: 'local' }), run('slurm', { executor: 'slurm' })] }),
    admitted: ['local'],
  },
  {
    name: 'a run asking for an executor no pool runs is admitted by any pool, and the admission says so',
    snapshot: snap({ queue: [run('k8s', { executor: 'kubernetes' })] }),
    admitted: ['k8s'],
    routing: { k8s: 'requested executor kubernetes: no pool runs it, runs on executor slurm of pool hpc' },
  },
  {
    name: 'a Slurm-only deployment runs the spec default `local` (portable specs)',
    snapshot: snap({ poolExecutors: new Map([['hpc', 'slurm']]), poolFlavors: new Map([['hpc', 'a100']]), queue: [run('default', { executor: 'local' })] }),
    admitted: ['default'],
    routing: { default: 'requested executor local: no pool runs it, runs on executor slurm of pool hpc' },
  },
  {
    name: 'executor and GPU type must both match: a Slurm run of a type only a local pool offers waits, naming every pool',
    snapshot: snap({ queue: [run('slurm-h100', { executor: 'slurm', gpus: 1, gpuTypes: ['h100'] }), run('slurm-a100', { executor: 'slurm', gpus: 1, gpuTypes: ['a100'] })] }),
    admitted: ['slurm-a100'],
    pending: { 'slurm-h100': 'no pool offers executor slurm with GPU type h100 (pools: box (local, h100), hpc (slurm, a100), old (executor unknown, no type))' },
  },
  {
    name: 'the local pool of that type does not take it either (the same reason is given by every pool)',
    snapshot: snap({ pool: { ...hpc, name: 'box', flavor: 'h100', executor: 'local' }, queue: [run('slurm-h100', { executor: 'slurm', gpus: 1, gpuTypes: ['h100'] })] }),
    admitted: [],
    pending: { 'slurm-h100': 'no pool offers executor slurm with GPU type h100 (pools: box (local, h100), hpc (slurm, a100), old (executor unknown, no type))' },
  },
  {
    name: 'an executor no pool runs falls back to any pool of the run\'s GPU type',
    snapshot: snap({ queue: [run('k8s-h100', { executor: 'kubernetes', gpus: 1, gpuTypes: ['h100'] }), run('k8s-a100', { executor: 'kubernetes', gpus: 1, gpuTypes: ['a100'] })] }),
    admitted: ['k8s-a100'],
    routing: { 'k8s-a100': 'requested executor kubernetes: no pool runs it, runs on executor slurm of pool hpc' },
  },
  {
    name: 'without poolExecutors the pool\'s own executor is the only one known',
    snapshot: snap({ poolExecutors: undefined, poolFlavors: undefined, queue: [run('slurm', { executor: 'slurm' }), run('local', { executor: 'local' })] }),
    admitted: ['slurm', 'local'],
    routing: { local: 'requested executor local: no pool runs it, runs on executor slurm of pool hpc' },
  },
  {
    name: 'a pool of unknown executor takes only runs whose executor no pool runs, without a note',
    snapshot: snap({ pool: { ...hpc, name: 'old', flavor: null, executor: null }, queue: [run('slurm', { executor: 'slurm' }), run('k8s', { executor: 'kubernetes' })] }),
    admitted: ['k8s'],
  },
];

describe('admit: trials go to pools running the executor they ask for', () => {
  it.each(cases)('$name', ({ snapshot, admitted, pending = {}, routing = {} }) => {
    const out = admit(snapshot);
    expect(out.admitted.map((a) => a.trialId)).toEqual(admitted);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual(pending);
    expect(Object.fromEntries(out.admitted.filter((a) => a.routing).map((a) => [a.trialId, a.routing]))).toEqual(routing);
    expect(out.rejected).toEqual([]);
  });

  it('a run another pool may take is not rejected for being larger than this pool', () => {
    const out = admit(snap({ pool: { ...hpc, cpus: 2 }, queue: [run('big', { executor: 'local', cpus: 8 })] }));
    expect(out).toMatchObject({ admitted: [], pending: [], rejected: [] });
  });

  it('PoolRouting prefers the pool\'s own executor over a stale registered one', () => {
    const r = new PoolRouting({ ...hpc, executor: 'kubernetes' }, poolFlavors, poolExecutors);
    expect(r.route(run('k', { executor: 'kubernetes' }))).toEqual({ here: true });
    // hpc now runs kubernetes: no pool runs slurm any more, so a Slurm run may go anywhere.
    expect(r.route(run('s', { executor: 'slurm' }))).toEqual({ here: true, note: 'requested executor slurm: no pool runs it, runs on executor kubernetes of pool hpc' });
    expect(r.route(run('l', { executor: 'local' }))).toEqual({ here: false, waitReason: null });
    expect(r.route(run('l', { executor: 'local', gpus: 1, gpuTypes: ['a100'] })))
      .toEqual({ here: false, waitReason: 'no pool offers executor local with GPU type a100 (pools: box (local, h100), hpc (kubernetes, a100), old (executor unknown, no type))' });
    expect(r.flavorOf('box')).toBe('h100');
    expect(r.flavorOf('nowhere')).toBeNull();
  });
});

describe('admit: pools without a running compute replica', () => {
  const live = new Set(['hpc']); // box and old have no live replica
  it('a run only a stopped pool may take waits here, naming that pool, instead of waiting without a reason', () => {
    const out = admit(snap({ livePools: live, queue: [run('local', { executor: 'local' }), run('slurm', { executor: 'slurm' })] }));
    expect(out.admitted.map((a) => a.trialId)).toEqual(['slurm']);
    expect(out.pending).toEqual([{ trialId: 'local', tenant: 'acme', quotaVersion: 2, reason: 'waits for pool box (local, h100): no compute replica of it is running' }]);
  });

  it('a run a live pool may take is left to it; the pool deciding counts as live', () => {
    const onBox = snap({ pool: { ...hpc, name: 'box', flavor: 'h100', executor: 'local' }, livePools: new Set(['hpc']), queue: [run('slurm', { executor: 'slurm' }), run('local', { executor: 'local' })] });
    const out = admit(onBox);
    expect(out.admitted.map((a) => a.trialId)).toEqual(['local']);
    expect(out.pending).toEqual([]);
  });

  it('a GPU type only a stopped pool offers: the run waits for it', () => {
    const out = admit(snap({ livePools: live, queue: [run('h', { gpus: 1, gpuTypes: ['h100'] })] }));
    expect(out.pending.map((p) => p.reason)).toEqual(['waits for pool box (local, h100): no compute replica of it is running']);
  });
});
