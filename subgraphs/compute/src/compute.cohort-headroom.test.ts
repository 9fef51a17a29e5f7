import { randomUUID } from 'node:crypto';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness } from './testing-internal/compute-harness.js';

const LONG = 'setTimeout(() => {}, 60000)';

/**
 * A cohort's lending headroom end to end on real PostgreSQL: tenancy's platform-wide
 * `cohort.policy.changed` reaches compute's replica (highest version wins), the admission cycle
 * stops borrowing that far below what the members lend and says so with the policy version, and
 * a lender's own next trial starts at once without preempting anyone.
 */
describe('compute: cohort lending headroom', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ pool: { name: 'local', cpus: 6, gpus: 0, memoryMb: 16384 }, fairShare: { minRuntimeBeforePreemptSec: 0, borrowBackoffSec: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const count = async (sql: string, params: unknown[] = []) => (await h.sql<{ n: number }>(sql, params))[0]!.n;
  const active = (where: string, params: unknown[] = []) => count(`SELECT count(*)::int AS n FROM compute.allocation WHERE state = 'active' AND ${where}`, params);

  it('keeps the cohort reserve unlent, and the lenders start within it at once', async () => {
    await h.setQuota('l1', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    await h.setQuota('l2', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    await h.setQuota('burst', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    await h.setCohortPolicy('lab', 2, { cpus: 1 });
    // An older version delivered late changes nothing.
    await h.setCohortPolicy('lab', 1, { cpus: 3 });
    expect(await h.sql(`SELECT version, lending_headroom AS h FROM compute.cohort_policy WHERE cohort = 'lab'`)).toEqual([{ version: 2, h: { cpus: 1 } }]);

    // l1 and l2 lend 4 CPUs; the cohort keeps 1: burst runs its nominal 2 and borrows 3.
    const trials = await h.createTrials('burst', randomUUID(), 6, LONG, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await active(`tenant = 'burst'`)) === 5, 15_000);
    const last = trials[5]!;
    const [pending] = await eventually(async () => {
      const rows = await h.sql<{ reason: string | null }>(`SELECT pending_reason AS reason FROM compute.trial_run WHERE trial_id = ?`, [last]);
      return rows[0]?.reason ? rows : null;
    });
    expect(pending!.reason).toBe('cohort lab: cpus 4 would be borrowed, members lend 4, of which the cohort keeps 1 unlent as its lending headroom (cohort policy v2)');
    const [logged] = await h.sql<{ reason: string; quota_version: number }>(
      `SELECT reason, quota_version FROM compute.decision WHERE trial_id = ? AND kind = 'wait' ORDER BY id DESC LIMIT 1`, [last]);
    expect(logged).toMatchObject({ reason: pending!.reason, quota_version: 1 });

    // A lender's trial takes the reserved CPU at once; nothing is preempted.
    const [own] = await h.createTrials('l1', randomUUID(), 1, LONG, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await active(`trial_id = ?`, [own])) === 1, 15_000);
    expect(await count(`SELECT count(*)::int AS n FROM compute.allocation WHERE cancel_requested_at IS NOT NULL`)).toBe(0);

    // A newer version replaces the replica's row; removing the reserve (null) is a version too.
    await h.setCohortPolicy('lab', 3, null);
    expect(await h.sql(`SELECT version, lending_headroom AS h FROM compute.cohort_policy WHERE cohort = 'lab'`)).toEqual([{ version: 3, h: null }]);
  });
});
