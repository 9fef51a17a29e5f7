import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@fairsweep/service-kit';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness } from './testing-internal/compute-harness.js';

/** Writes 'ready' once it handles SIGTERM, then takes 3 s to wind down after one (inside the 5 s grace period; generous, so a loaded CI machine still delivers the stop in time), so a stop can arrive meanwhile. */
const SLOW_TO_STOP = `process.on('SIGTERM', () => setTimeout(() => process.exit(143), 3000)); require('fs').writeFileSync('ready', ''); setTimeout(() => {}, 60000)`;

/**
 * A pruning decision (trial.stop.requested) on real PostgreSQL with real processes: a queued run
 * is cancelled at once, a running attempt is stopped gracefully, and a stop that arrives while the
 * attempt is already being preempted wins — the trial ends instead of being requeued and run again.
 */
describe('compute: stopping a trial', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ pool: { name: 'local', cpus: 4, gpus: 0, memoryMb: 16384 }, cancelGraceMs: 5000, fairShare: { minRuntimeBeforePreemptSec: 0, borrowBackoffSec: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const run = async (trialId: string) => (await h.sql<{ state: string }>('SELECT state FROM compute.trial_run WHERE trial_id = ?', [trialId]))[0]!.state;

  it('a stop that arrives during a preemption ends the trial instead of requeueing it', async () => {
    await h.setQuota('borrower', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    await h.setQuota('lender', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    const experimentId = randomUUID();
    await h.createTrials('borrower', experimentId, 4, SLOW_TO_STOP, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = 'borrower' AND state = 'active'`))[0]!.n === 4, 15_000);
    const borrowed = await h.sql<{ trial_id: string }>(`SELECT trial_id FROM compute.allocation WHERE tenant = 'borrower' AND borrowed ORDER BY admitted_at`);
    expect(borrowed).toHaveLength(2);
    // Each trial wrote 'ready' once its SIGTERM handler was installed: a SIGTERM before that (a
    // loaded machine can take a second to start Node) kills it at once, and the stop arrives too late.
    await eventually(async () => {
      const dirs = await h.sql<{ work_dir: string | null }>(`SELECT work_dir FROM compute.allocation WHERE tenant = 'borrower' AND state = 'active'`);
      return dirs.length === 4 && dirs.every((d) => d.work_dir !== null && existsSync(join(d.work_dir, 'ready')));
    }, 20_000);

    // The lender reclaims: both borrowed attempts are asked to stop as preemptions ...
    await h.createTrials('lender', randomUUID(), 2, 'setTimeout(() => {}, 200)', { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = 'borrower' AND preempt AND cancel_requested_at IS NOT NULL`))[0]!.n === 2, 15_000);
    // ... and while the first winds down, its trial is pruned.
    const [pruned, requeued] = [borrowed[0]!.trial_id, borrowed[1]!.trial_id];
    await h.stopTrial('borrower', experimentId, pruned, 'median@0.1.0 at step 3: worse than the median');

    const finished = await eventually(async () => (await h.events(TOPICS.trialFinished, 'borrower')).find((e) => e.payload.trialId === pruned), 20_000);
    expect(finished!.payload).toMatchObject({ outcome: 'cancelled', reason: expect.stringContaining('pruned: median@0.1.0 at step 3') });
    const preempted = await eventually(async () => {
      const e = await h.events(TOPICS.trialPreempted, 'borrower');
      return e.length >= 1 && e;
    }, 20_000);
    expect(preempted.map((e) => e.payload.trialId)).toEqual([requeued]);
    expect(await run(pruned)).toBe('finished');
    // The other borrowed trial comes back as attempt 2; the pruned one never runs again.
    await eventually(async () => (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE trial_id = ? AND attempt = 2`, [requeued]))[0]!.n === 1, 20_000);
    expect((await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM compute.allocation WHERE trial_id = ?', [pruned]))[0]!.n).toBe(1);
  });

  it('cancels a queued run at once, without launching it', async () => {
    await h.setQuota('solo', 1, { cpus: 1, concurrentTrials: 1 });
    const experimentId = randomUUID();
    const [first, second] = await h.createTrials('solo', experimentId, 2, SLOW_TO_STOP, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await run(first!)) === 'running', 15_000);
    expect(await run(second!)).toBe('queued');
    await h.stopTrial('solo', experimentId, second!, 'asha@0.1.0 at rung 1');
    const finished = await eventually(async () => (await h.events(TOPICS.trialFinished, 'solo')).find((e) => e.payload.trialId === second), 15_000);
    expect(finished!.payload).toMatchObject({ outcome: 'cancelled', reason: 'pruned: asha@0.1.0 at rung 1' });
    expect((await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM compute.allocation WHERE trial_id = ?', [second]))[0]!.n).toBe(0);
    await h.stopTrial('solo', experimentId, first!, 'asha@0.1.0 at rung 2');
    const stopped = await eventually(async () => (await h.events(TOPICS.trialFinished, 'solo')).find((e) => e.payload.trialId === first), 15_000);
    expect(stopped!.payload).toMatchObject({ outcome: 'cancelled' });
  });
});
