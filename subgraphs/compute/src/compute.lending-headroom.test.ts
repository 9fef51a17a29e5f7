import { randomUUID } from 'node:crypto';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness } from './testing-internal/compute-harness.js';

const LONG = 'setTimeout(() => {}, 60000)';

/**
 * Lending headroom end to end on real PostgreSQL: tenancy's quota event carries it, compute's
 * replica stores it, the admission cycle lends only what lies beyond it and says so, and the
 * lender's own next trial starts at once, without preempting anyone.
 */
describe('compute: lending headroom', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ pool: { name: 'local', cpus: 4, gpus: 0, memoryMb: 16384 }, fairShare: { minRuntimeBeforePreemptSec: 0, borrowBackoffSec: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const count = async (sql: string) => (await h.sql<{ n: number }>(sql))[0]!.n;

  it('lends only unused nominal beyond the headroom, and the lender starts within it at once', async () => {
    await h.setQuota('lender', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab', lendingHeadroom: { cpus: 1 } });
    await h.setQuota('borrower', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    expect((await h.sql<{ h: unknown }>(`SELECT lending_headroom AS h FROM compute.tenant_quota WHERE tenant = 'lender'`))[0]!.h).toEqual({ cpus: 1 });

    const borrowerTrials = await h.createTrials('borrower', randomUUID(), 4, LONG, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await count(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = 'borrower' AND state = 'active'`)) === 3, 15_000);
    const last = borrowerTrials[3]!;
    const [pending] = await eventually(async () => {
      const rows = await h.sql<{ reason: string | null }>(`SELECT pending_reason AS reason FROM compute.trial_run WHERE trial_id = ?`, [last]);
      return rows[0]?.reason ? rows : null;
    });
    expect(pending!.reason).toBe('cohort lab: cpus 2 would be borrowed, members lend 1 (and keep 1 unlent as lending headroom)');
    // The decision log keeps the reason with the policy version it was decided under.
    const [logged] = await h.sql<{ reason: string; quota_version: number }>(
      `SELECT reason, quota_version FROM compute.decision WHERE trial_id = ? AND kind = 'wait' ORDER BY id DESC LIMIT 1`, [last]);
    expect(logged).toMatchObject({ reason: pending!.reason, quota_version: 1 });

    const [own] = await h.createTrials('lender', randomUUID(), 1, LONG, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await count(`SELECT count(*)::int AS n FROM compute.allocation WHERE trial_id = '${own}' AND state = 'active'`)) === 1, 15_000);
    expect(await count(`SELECT count(*)::int AS n FROM compute.allocation WHERE cancel_requested_at IS NOT NULL`)).toBe(0);
  });
});
