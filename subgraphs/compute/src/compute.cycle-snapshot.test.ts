import { randomUUID } from 'node:crypto';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness, LONG_TRIAL } from './testing-internal/compute-harness.js';

/**
 * An admission cycle reads quota rows and the queue in separate statements (READ COMMITTED: one
 * snapshot each). A tenant whose quota and first run both commit between the two must wait for the
 * next cycle — never be logged as "has no quota" (CI once saw exactly that on a loaded machine).
 * The gap is held open deterministically: another transaction locks a quota row the cycle must
 * lock, so the cycle blocks inside its quota statement while the new tenant arrives.
 */
describe('compute: an admission cycle reads a consistent set of quotas and runs', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ pool: { name: 'local', cpus: 8, gpus: 0, memoryMb: 16384 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('does not tell a tenant that arrived mid-cycle it has no quota', async () => {
    const one = { cpus: 1, gpus: 0, memoryMb: 64 };
    // 'early' keeps a run queued (cap 1, two trials), so every cycle locks its quota row.
    await h.setQuota('early', 1, { cpus: 4, concurrentTrials: 1 });
    await h.createTrials('early', randomUUID(), 2, LONG_TRIAL, one);
    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.trial_run WHERE tenant = 'early' AND state = 'queued' AND pending_reason IS NOT NULL`)).length === 1);

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockHeld = new Promise<void>((resolve) => (locked = resolve));
    const holder = h.tenancy.em.fork().transactional(async (em) => {
      await em.execute(`SELECT 1 FROM compute.tenant_quota WHERE tenant = 'early' FOR UPDATE`);
      locked();
      await released;
    });
    await lockHeld;
    // A cycle is now blocked inside its quota statement, its snapshot taken before 'late' exists.
    await eventually(async () => (await h.sql(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM compute.tenant_quota%FOR UPDATE%'`,
    )).length > 0);

    // 'late' arrives now. Its events could not be consumed while transactions older than them are
    // open (the event feed reads only below the oldest running transaction), so the test writes
    // the rows the quota and trial consumers would write, copied from 'early''s.
    const lateTrial = randomUUID();
    await h.sql(
      `INSERT INTO compute.tenant_quota SELECT (jsonb_populate_record(null::compute.tenant_quota, to_jsonb(q) || '{"tenant": "late"}'::jsonb)).*
       FROM compute.tenant_quota q WHERE tenant = 'early'`,
    );
    await h.sql(
      `INSERT INTO compute.trial_run SELECT (jsonb_populate_record(null::compute.trial_run, to_jsonb(r)
         || jsonb_build_object('trial_id', ?::text, 'experiment_id', ?::text, 'tenant', 'late', 'pending_reason', null, 'enqueued_at', clock_timestamp()))).*
       FROM compute.trial_run r WHERE tenant = 'early' AND state = 'queued'`,
      [lateTrial, randomUUID()],
    );
    release();
    await holder;

    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.allocation WHERE trial_id = ? AND state = 'active'`, [lateTrial])).length === 1, 15_000);
    const decisions = await h.sql<{ kind: string; reason: string }>(`SELECT kind, reason FROM compute.decision WHERE trial_id = ? ORDER BY id`, [lateTrial]);
    expect(decisions.filter((d) => d.kind === 'wait')).toEqual([]);
    expect(decisions.map((d) => d.kind)).toEqual(['admit']);
  });
});
