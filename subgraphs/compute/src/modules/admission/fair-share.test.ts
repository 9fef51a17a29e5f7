import { admit, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';
import { decayedWeight, dominantShare } from './fair-share.js';

const t0 = Date.parse('2030-01-01T00:00:00Z');
const big = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 1, cpus: 1e6, gpus: 1e6, memoryMb: 1e9, concurrentTrials: 1e6, ...q });
let seq = 0;
const runsOf = (tenant: string, n: number, r: Partial<QueuedRun>): QueuedRun[] =>
  Array.from({ length: n }, (_, i) => ({ trialId: `${tenant}-${i}`, tenant, trialIndex: i, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t0 + seq++), ...r }));
const count = (ids: { tenant: string }[], tenant: string) => ids.filter((a) => a.tenant === tenant).length;

describe('fair share (weighted DRF with priorities)', () => {
  it('reproduces the DRF paper example: 9 CPUs, 18 GB; A <1 CPU, 4 GB>, B <3 CPU, 1 GB> → A 3 tasks, B 2', () => {
    const snapshot: AdmissionSnapshot = {
      pool: { name: 'p', cpus: 9, gpus: 0, memoryMb: 18 * 1024, gpuIds: [] },
      allocations: [],
      quotas: new Map([['a', big()], ['b', big()]]),
      queue: [...runsOf('a', 10, { cpus: 1, memoryMb: 4 * 1024 }), ...runsOf('b', 10, { cpus: 3, memoryMb: 1024 })],
    };
    const out = admit(snapshot);
    expect(count(out.admitted, 'a')).toBe(3);
    expect(count(out.admitted, 'b')).toBe(2);
  });

  it.each([
    [1, 1, 6, 6],
    [1, 2, 4, 8],
    [1, 3, 3, 9],
  ])('weights %i:%i split a contended pool %i:%i', (wa, wb, na, nb) => {
    const out = admit({
      pool: { name: 'p', cpus: 12, gpus: 0, memoryMb: 1e6, gpuIds: [] },
      allocations: [],
      quotas: new Map([['a', big({ weight: wa })], ['b', big({ weight: wb })]]),
      queue: [...runsOf('a', 20, {}), ...runsOf('b', 20, {})],
    });
    expect([count(out.admitted, 'a'), count(out.admitted, 'b')]).toEqual([na, nb]);
  });

  it('serves critical before standard before preemptible, whatever the shares', () => {
    const out = admit({
      pool: { name: 'p', cpus: 3, gpus: 0, memoryMb: 1e6, gpuIds: [] },
      allocations: [{ tenant: 'a', pool: 'p', cpus: 0, gpus: 0, memoryMb: 0, devices: [] }],
      quotas: new Map([['a', big({ priorityClasses: ['critical', 'standard', 'preemptible'] })], ['b', big()]]),
      queue: [...runsOf('b', 2, { priority: 'preemptible' }), ...runsOf('b', 1, { priority: 'standard' }), ...runsOf('a', 2, { priority: 'critical' })],
    });
    expect(out.admitted.map((a) => a.priority)).toEqual(['critical', 'critical', 'standard']);
    expect(out.pending.every((p) => /pool p: cpus 0 free/.test(p.reason))).toBe(true);
  });

  it('rejects a priority class the tenant quota does not allow, saying which are allowed', () => {
    const out = admit({
      pool: { name: 'p', cpus: 3, gpus: 0, memoryMb: 1e6, gpuIds: [] },
      allocations: [],
      quotas: new Map([['a', big({ version: 4 })]]),
      queue: runsOf('a', 1, { priority: 'critical' }),
    });
    expect(out.rejected).toEqual([{ trialId: 'a-0', tenant: 'a', quotaVersion: 4, reason: 'priority critical is not allowed for tenant a (quota v4 allows standard, preemptible)' }]);
  });

  it('puts a tenant with heavy recent usage behind one without', () => {
    const out = admit({
      pool: { name: 'p', cpus: 2, gpus: 0, memoryMb: 1e6, gpuIds: [] },
      allocations: [],
      quotas: new Map([['a', big()], ['b', big()]]),
      history: new Map([['a', { cpus: 4, gpus: 0, memoryMb: 0 }]]),
      queue: [...runsOf('a', 2, {}), ...runsOf('b', 2, {})],
    });
    expect(out.admitted.map((a) => a.tenant)).toEqual(['b', 'b']);
  });

  it('never admits beyond quota or pool, with random workloads', () => {
    let state = 7;
    const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let iter = 0; iter < 200; iter++) {
      const tenants = ['a', 'b', 'c'];
      const quotas = new Map(tenants.map((t) => [t, { version: 1, cpus: 1 + Math.floor(rand() * 6), gpus: Math.floor(rand() * 3), memoryMb: 1000 + Math.floor(rand() * 4000), concurrentTrials: 1 + Math.floor(rand() * 5), weight: 0.5 + rand() * 3, priorityClasses: ['critical', 'standard', 'preemptible'] }]));
      const pool = { name: 'p', cpus: 8, gpus: 4, memoryMb: 8000, gpuIds: ['0', '1', '2', '3'] };
      const queue = tenants.flatMap((t) => runsOf(t, 8, {})).map((r) => ({ ...r, cpus: 0.5 + Math.floor(rand() * 4) / 2, gpus: Math.floor(rand() * 2), memoryMb: 200 + Math.floor(rand() * 1500), priority: ['critical', 'standard', 'preemptible'][Math.floor(rand() * 3)] }));
      const out = admit({ pool, allocations: [], quotas, queue });
      const byId = new Map(queue.map((r) => [r.trialId, r]));
      const sum = (rows: QueuedRun[], k: 'cpus' | 'gpus' | 'memoryMb') => rows.reduce((s, r) => s + r[k], 0);
      const admitted = out.admitted.map((a) => byId.get(a.trialId)!);
      for (const k of ['cpus', 'gpus', 'memoryMb'] as const) expect(sum(admitted, k)).toBeLessThanOrEqual(pool[k] + 1e-9);
      for (const t of tenants) {
        const mine = admitted.filter((r) => r.tenant === t);
        for (const k of ['cpus', 'gpus', 'memoryMb'] as const) expect(sum(mine, k)).toBeLessThanOrEqual(quotas.get(t)![k] + 1e-9);
        expect(mine.length).toBeLessThanOrEqual(quotas.get(t)!.concurrentTrials);
      }
      const devices = out.admitted.flatMap((a) => a.devices);
      expect(new Set(devices).size).toBe(devices.length);
      expect(out.admitted.length + out.pending.length + out.rejected.length).toBe(queue.length);
    }
  });
});

describe('fair-share arithmetic', () => {
  it('takes the dominant dimension and divides by weight', () => {
    expect(dominantShare({ cpus: 3, gpus: 0, memoryMb: 1 }, undefined, { cpus: 9, gpus: 0, memoryMb: 18 }, 1, 0.5)).toBeCloseTo(1 / 3);
    expect(dominantShare({ cpus: 3, gpus: 0, memoryMb: 1 }, undefined, { cpus: 9, gpus: 0, memoryMb: 18 }, 2, 0.5)).toBeCloseTo(1 / 6);
  });

  it('decays usage by half every half-life after it ends', () => {
    const h = 3600;
    expect(decayedWeight(1e9, 0, h)).toBeCloseTo(1); // held forever up to now: full weight
    expect(decayedWeight(1e9, h, h)).toBeCloseTo(0.5); // ended one half-life ago
    expect(decayedWeight(2 * h, h, h)).toBeCloseTo(0.25); // held for one half-life, two to one ago
  });
});
