import { randomUUID } from 'node:crypto';
import { eventually } from '@fairsweep/service-kit/testing';
import { TOPICS } from '@fairsweep/service-kit';
import { ComputeHarness, LONG_TRIAL, SHORT_TRIAL } from './testing-internal/compute-harness.js';

describe('compute: queue, admission, executor events (real PostgreSQL, real child processes)', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start();
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  const finished = async (tenant: string, n: number) => eventually(async () => {
    const f = await h.events(TOPICS.trialFinished, tenant);
    return f.length >= n && f;
  }, 30_000);

  it('runs trials under the concurrent-trial quota: started, metrics, finished succeeded', async () => {
    await h.setQuota('demo', 1, { cpus: 4, concurrentTrials: 2 });
    const sampler = h.sampleActive('demo');
    const ids = await h.createTrials('demo', randomUUID(), 6, SHORT_TRIAL);
    const waiting = await eventually(async () => {
      const [row] = await h.sql(`SELECT pending_reason FROM compute.trial_run WHERE tenant = 'demo' AND pending_reason IS NOT NULL`);
      return row?.pending_reason as string | undefined;
    });
    expect(waiting).toBe('tenant demo quota: concurrentTrials 2/2 in use');
    const done = await finished('demo', 6);
    expect(await sampler.stop()).toBe(2);
    expect(done.map((e) => [e.payload.outcome, e.payload.exitCode])).toEqual(Array(6).fill(['succeeded', 0]));
    expect(new Set(done.map((e) => e.payload.trialId))).toEqual(new Set(ids));
    const started = await h.events(TOPICS.trialStarted, 'demo');
    expect(started).toHaveLength(6);
    expect(started[0]!.payload).toMatchObject({ pool: 'local', attempt: 1, devices: [] });
    expect(started[0]!.payload.workDir).toContain(started[0]!.payload.trialId);
    const metrics = await h.events(TOPICS.trialMetricReported, 'demo');
    expect(metrics.map((m) => [m.payload.name, m.payload.value])).toEqual(Array(6).fill(['loss', 0.5]));
    expect(await h.maxOverlap('demo')).toBe(2);
    const usage = await h.events(TOPICS.tenantUsageChanged, 'demo');
    expect(usage.length).toBeGreaterThanOrEqual(7);
    const [counts] = await h.sql(`SELECT count(*) FILTER (WHERE state = 'released' AND outcome = 'succeeded')::int AS ok, count(*)::int AS n FROM compute.allocation WHERE tenant = 'demo'`);
    expect(counts).toEqual({ ok: 6, n: 6 });
  });

  it('keeps the hard quota with two replicas racing on the same database', async () => {
    await h.start(); // a second replica with its own local executor
    await h.setQuota('race', 1, { cpus: 8, concurrentTrials: 3 });
    const sampler = h.sampleActive('race');
    await h.createTrials('race', randomUUID(), 12, SHORT_TRIAL, { cpus: 0.25, gpus: 0, memoryMb: 64 });
    const done = await finished('race', 12);
    expect(await sampler.stop()).toBeLessThanOrEqual(3);
    expect(await h.maxOverlap('race')).toBeLessThanOrEqual(3);
    expect(done.every((e) => e.payload.outcome === 'succeeded')).toBe(true);
    const [{ n }] = await h.sql(`SELECT count(DISTINCT attempt_id)::int AS n FROM compute.allocation WHERE tenant = 'race'`);
    expect(n).toBe(12); // each trial launched exactly once
  });

  it('cancels queued and running trials of an experiment', async () => {
    await h.setQuota('stop', 1, { cpus: 4, concurrentTrials: 1 });
    const experimentId = randomUUID();
    const ids = await h.createTrials('stop', experimentId, 3, LONG_TRIAL);
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'stop')).length === 1);
    await h.cancelExperiment('stop', experimentId, 'enough data');
    const done = await finished('stop', 3);
    expect(done.map((e) => e.payload.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(new Set(done.map((e) => e.payload.trialId))).toEqual(new Set(ids));
    expect(done.every((e) => e.payload.reason === 'cancelled by alice: enough data')).toBe(true);
    expect(done.filter((e) => e.payload.attemptId !== null)).toHaveLength(1); // the running one, via its executor
    const [{ active }] = await h.sql(`SELECT count(*)::int AS active FROM compute.allocation WHERE tenant = 'stop' AND state = 'active'`);
    expect(active).toBe(0);
    // A trial created after the cancellation ends at once.
    const [late] = await h.createTrials('stop', experimentId, 1, SHORT_TRIAL);
    const last = (await finished('stop', 4)).find((e) => e.payload.trialId === late);
    expect(last!.payload).toMatchObject({ outcome: 'cancelled', attemptId: null });
  });

  it('fails at once, with a precise reason, a trial that can never fit the pool or the quota', async () => {
    await h.setQuota('tiny', 1, { cpus: 2, memoryMb: 1024, concurrentTrials: 5 });
    const [cpu] = await h.createTrials('tiny', randomUUID(), 1, SHORT_TRIAL, { cpus: 64, gpus: 0, memoryMb: 128 });
    const [mem] = await h.createTrials('tiny', randomUUID(), 1, SHORT_TRIAL, { cpus: 1, gpus: 0, memoryMb: 2048 });
    const done = await finished('tiny', 2);
    const byTrial = Object.fromEntries(done.map((e) => [e.payload.trialId, e.payload]));
    expect(byTrial[cpu!]).toMatchObject({ outcome: 'failed', attemptId: null, reason: 'requests 64 cpus; pool local has 16; requests 64 cpus; tenant tiny quota (v1) allows 2' });
    expect(byTrial[mem!]).toMatchObject({ outcome: 'failed', reason: 'requests 2048 MB memory; tenant tiny quota (v1) allows 1024 MB' });
    const [{ n }] = await h.sql(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = 'tiny'`);
    expect(n).toBe(0);
  });

  it('admits nothing for a tenant without quota and says why; ignores older quota versions', async () => {
    const [id] = await h.createTrials('nobody', randomUUID(), 1, SHORT_TRIAL);
    const reason = await eventually(async () => (await h.sql(`SELECT pending_reason FROM compute.trial_run WHERE trial_id = ?`, [id]))[0]?.pending_reason);
    expect(reason).toBe('tenant nobody has no quota: nothing is admitted until tenancy publishes one');
    await h.setQuota('nobody', 2, { cpus: 1, concurrentTrials: 1 });
    await h.setQuota('nobody', 1, { cpus: 0, concurrentTrials: 0 }); // late, older version: ignored
    await finished('nobody', 1);
    const [q] = await h.sql(`SELECT version, concurrent_trials FROM compute.tenant_quota WHERE tenant = 'nobody'`);
    expect(q).toEqual({ version: 2, concurrent_trials: 1 });
  });
});
