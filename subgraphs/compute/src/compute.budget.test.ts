import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness, SHORT_TRIAL } from './testing-internal/compute-harness.js';

/** GPU-hour budgets in safe mode on real PostgreSQL and real processes: never overrun. */
describe('compute: GPU-hour budget in safe mode', () => {
  let h: ComputeHarness;
  let url: string;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start({ pool: { name: 'local', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'] } })).url;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('admits a GPU trial only when its maximum runtime fits what is left, and reports consumption', async () => {
    // Budget 0.002 GPU-hours = 7.2 GPU-seconds; each trial may run 4 s on 1 GPU (worst case 4 GPU-s):
    // only one can be committed at a time although 2 GPUs and the quota would allow two.
    await h.setQuota('gpu', 1, { cpus: 8, gpus: 2, concurrentTrials: 4, gpuHoursBudget: 0.002 });
    const ids = await h.createTrials('gpu', randomUUID(), 3, SHORT_TRIAL, { cpus: 1, gpus: 1, memoryMb: 64 }, undefined, 4);
    const [unbounded] = await h.createTrials('gpu', randomUUID(), 1, SHORT_TRIAL, { cpus: 1, gpus: 1, memoryMb: 64 });
    const sampler = h.sampleActive('gpu');
    const done = await eventually(async () => {
      const f = await h.events(TOPICS.trialFinished, 'gpu');
      return f.length >= 4 && f;
    }, 30_000);
    expect(await sampler.stop()).toBe(1);
    expect(done.filter((e) => ids.includes(e.payload.trialId as string)).every((e) => e.payload.outcome === 'succeeded')).toBe(true);
    expect(done.find((e) => e.payload.trialId === unbounded)!.payload).toMatchObject({
      outcome: 'failed', reason: 'tenant gpu has a GPU-hour budget in safe mode (quota v1): a GPU trial needs trial.maxRuntimeSeconds',
    });
    const waits = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE tenant = 'gpu' AND kind = 'wait'`);
    expect(waits.some((w) => /GPU-hour budget: .* committed to running trials, 0\.001 requested \(safe mode\)/.test(w.reason))).toBe(true);

    const res = await signedRequest<{ _entities: { budget: Record<string, unknown> }[] }>(
      url, TEST_SECRET, claimsFor.member('gpu', 'viewer'),
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { budget { gpuHours period safeMode consumedGpuHours committedGpuHours remainingGpuHours burnRateGpuHoursPerHour } } } }',
      { r: [{ __typename: 'Tenant', slug: 'gpu' }] },
    );
    const budget = res.data!._entities[0]!.budget as { consumedGpuHours: number; committedGpuHours: number; remainingGpuHours: number };
    expect(res.data!._entities[0]!.budget).toMatchObject({ gpuHours: 0.002, period: 'month', safeMode: true, committedGpuHours: 0 });
    // Three trials of ~0.3 s on one GPU each: about 1 GPU-second used, well inside 7.2.
    expect(budget.consumedGpuHours).toBeGreaterThan(0.5 / 3600);
    expect(budget.consumedGpuHours).toBeLessThan(0.002);
    expect(budget.remainingGpuHours).toBeCloseTo(0.002 - budget.consumedGpuHours, 9);
  });
});
