import { randomUUID } from 'node:crypto';
import { eventually } from '@fairsweep/service-kit/testing';
import { TOPICS } from '@fairsweep/service-kit';
import { LOST_ON_RESTART } from './index.js';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';

describe('compute: restart safety', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
  });
  afterAll(() => h?.close());

  it('releases allocations of a previous process and records the trial as failed, never relaunching it', async () => {
    const first = stubExecutor();
    const crashed = await h.start({ executor: first });
    await h.setQuota('demo', 1, { cpus: 4, concurrentTrials: 1 });
    const [running, queued] = await h.createTrials('demo', randomUUID(), 2, LONG_TRIAL);
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'demo')).length === 1);
    expect(first.launches.map((l) => l.trialId)).toEqual([running]);
    await crashed.close(); // its executor (owned by the test) never reports the exit

    const second = stubExecutor();
    await h.start({ executor: second });
    const lost = await eventually(async () => (await h.events(TOPICS.trialFinished, 'demo')).find((e) => e.payload.trialId === running));
    expect(lost.payload).toMatchObject({ outcome: 'failed', reason: LOST_ON_RESTART, attemptId: first.launches[0]!.attemptId });
    expect(LOST_ON_RESTART).toBe('lost: compute restarted while the attempt was running');
    const [alloc] = await h.sql(`SELECT state, outcome, reason FROM compute.allocation WHERE trial_id = ?`, [running]);
    expect(alloc).toEqual({ state: 'released', outcome: 'failed', reason: LOST_ON_RESTART });
    // The queued trial is admitted by the new process; the lost one is never launched again.
    await eventually(() => second.launches.length === 1);
    expect(second.launches[0]!.trialId).toBe(queued);
    const finished = await h.events(TOPICS.trialFinished, 'demo');
    expect(finished.filter((e) => e.payload.trialId === running)).toHaveLength(1);
  });

  it('treats an exit reported after the allocation was released as a no-op (nothing doubled)', async () => {
    const third = stubExecutor();
    await h.start({ executor: third });
    const before = (await h.events(TOPICS.trialFinished)).length;
    const [{ attempt_id: attemptId }] = await h.sql<{ attempt_id: string }>(`SELECT attempt_id::text FROM compute.allocation WHERE state = 'released' LIMIT 1`);
    third.emit({ type: 'exited', attemptId, at: new Date(), outcome: 'succeeded', exitCode: 0, signal: null, reason: 'late' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.events(TOPICS.trialFinished)).length).toBe(before);
  });

  it('records attempts its own executor stops at shutdown as failed (interrupted), not cancelled', async () => {
    await h.stopReplicas();
    const svc = await h.start(); // default local executor, owned and closed by compute
    await h.setQuota('stopme', 1, { cpus: 4, concurrentTrials: 1 });
    const [id] = await h.createTrials('stopme', randomUUID(), 1, LONG_TRIAL);
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'stopme')).length === 1, 15_000);
    await svc.close();
    const [done] = await h.events(TOPICS.trialFinished, 'stopme');
    expect(done!.payload).toMatchObject({ trialId: id, outcome: 'failed', reason: 'interrupted: compute stopped while the attempt was running (executor closed)' });
  });
});
