import { admit, type ActiveAllocation, type AdmissionSnapshot, type ProjectQuota, type QueuedRun, type TenantQuota } from './admission.js';

const pool = { name: 'local', cpus: 16, gpus: 8, memoryMb: 65536, gpuIds: ['0', '1', '2', '3', '4', '5', '6', '7'] };
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 3, cpus: 16, gpus: 8, memoryMb: 65536, concurrentTrials: 20, ...q });
const t0 = Date.parse('2030-01-01T00:00:00Z');
let at = 0;
const run = (trialId: string, r: Partial<QueuedRun> = {}): QueuedRun => ({
  trialId, tenant: 'acme', project: 'vision', trialIndex: 0, cpus: 1, gpus: 0, memoryMb: 512, enqueuedAt: new Date(t0 + at++), ...r,
});
const alloc = (a: Partial<ActiveAllocation> = {}): ActiveAllocation => ({ tenant: 'acme', project: 'vision', pool: 'local', cpus: 1, gpus: 0, memoryMb: 512, devices: [], ...a });
const limits = (q: Omit<ProjectQuota, 'version'>, version = 2) => new Map([['acme/vision', { version, ...q }]]);
const snap = (s: Partial<AdmissionSnapshot>): AdmissionSnapshot => ({ pool, allocations: [], quotas: new Map([['acme', quota()]]), queue: [], ...s });

interface Case {
  name: string;
  snapshot: AdmissionSnapshot;
  admitted: string[];
  pending?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: "a run waits for its project's gpus, with requested, left and the limit",
    snapshot: snap({ projectQuotas: limits({ gpus: 4 }), allocations: [alloc({ gpus: 3, devices: ['0', '1', '2'] })], queue: [run('a', { gpus: 2 }), run('b', { gpus: 1 })] }),
    admitted: ['b'],
    pending: { a: 'project quota: gpus requested 2, project vision has 1 of 4 left (v2)' },
  },
  {
    name: 'counts runs admitted earlier in the same cycle and allocations in other pools',
    snapshot: snap({ projectQuotas: limits({ cpus: 3, memoryMb: 2048 }), allocations: [alloc({ pool: 'other', cpus: 1 })], queue: [run('a'), run('b'), run('c'), run('d', { project: 'nlp' })] }),
    admitted: ['a', 'b', 'd'],
    pending: { c: 'project quota: cpus requested 1, project vision has 0 of 3 left (v2)' },
  },
  {
    name: "caps the project's concurrent trials; other projects and runs without one use the tenant quota only",
    snapshot: snap({ projectQuotas: limits({ concurrentTrials: 1 }), queue: [run('a'), run('b'), run('c', { project: null }), run('d', { project: 'nlp' })] }),
    admitted: ['a', 'c', 'd'],
    pending: { b: 'project quota: concurrentTrials 1/1 in use in project vision (v2)' },
  },
  {
    name: "the tenant's limit still applies inside a generous project, and both reasons are given",
    snapshot: snap({ quotas: new Map([['acme', quota({ gpus: 2 })]]), projectQuotas: limits({ gpus: 1 }), queue: [run('a', { gpus: 1 }), run('b', { gpus: 2 })] }),
    admitted: ['a'],
    pending: { b: 'tenant acme quota: gpus 1/2 in use, 2 requested; project quota: gpus requested 2, project vision allows 1 (v2); waits until the limit is raised' },
  },
  {
    name: 'a project limit of the same slug in another tenant does not apply',
    snapshot: snap({ quotas: new Map([['acme', quota()], ['beta', quota()]]), projectQuotas: limits({ gpus: 0 }), queue: [run('a', { tenant: 'beta', gpus: 1 })] }),
    admitted: ['a'],
  },
  {
    name: 'a null limit is no limit on that resource',
    snapshot: snap({ projectQuotas: limits({ gpus: null, memoryMb: 1024 }), queue: [run('a', { gpus: 8 }), run('b', { memoryMb: 1024 })] }),
    admitted: ['a'],
    pending: { b: 'project quota: memoryMb requested 1024 MB, project vision has 512 MB of 1024 MB left (v2)' },
  },
];

describe('admit: per-project hard limits', () => {
  it.each(cases)('$name', ({ snapshot, admitted, pending = {} }) => {
    const out = admit(snapshot);
    expect(out.admitted.map((a) => a.trialId)).toEqual(admitted);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual(pending);
    expect(out.rejected).toEqual([]);
  });

  it('records the project limits version on admissions it applied to', () => {
    const out = admit(snap({ projectQuotas: limits({ gpus: 4 }, 7), queue: [run('a'), run('b', { project: 'nlp' })] }));
    expect(out.admitted.map((a) => [a.trialId, a.quotaVersion, a.projectQuotaVersion])).toEqual([['a', 3, 7], ['b', 3, undefined]]);
  });

  it('does not preempt or reserve for a run its project limit holds back', () => {
    const s = (projectQuotas?: Map<string, ProjectQuota>) => snap({
      pool: { ...pool, gpus: 1, gpuIds: ['0'] },
      quotas: new Map([['acme', quota({ priorityClasses: ['critical', 'standard', 'preemptible'] })], ['low', quota()]]),
      allocations: [alloc({ tenant: 'low', project: null, gpus: 1, devices: ['0'], priority: 'preemptible', attemptId: 'x', runtimeSec: 1000 })],
      queue: [run('a', { gpus: 1, priority: 'critical' }), run('b', { tenant: 'low', project: null, priority: 'preemptible' })],
      ...(projectQuotas ? { projectQuotas } : {}),
    });
    expect(admit(s()).preempted.map((p) => p.attemptId)).toEqual(['x']); // without the project limit it would
    const out = admit(s(limits({ gpus: 0 })));
    expect(out.preempted).toEqual([]);
    expect(out.reservations).toEqual([]);
    expect(out.pending.find((p) => p.trialId === 'a')!.reason).toBe('project quota: gpus requested 1, project vision allows 0 (v2); waits until the limit is raised; pool local: gpus 0 free, 1 requested');
  });
});
