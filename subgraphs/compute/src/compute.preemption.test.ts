import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness, SHORT_TRIAL } from './testing-internal/compute-harness.js';

/**
 * Writes a marker when SIGTERM arrives, then exits: proves the grace path. It writes 'ready' once its
 * handler is installed: a loaded machine can take over a second to start Node, and a SIGTERM before
 * that kills the process with the default action, which says nothing about the platform.
 */
const GRACEFUL = `const fs = require('fs'); process.on('SIGTERM', () => { fs.writeFileSync('sigterm', String(Date.now())); process.exit(143); }); fs.writeFileSync('ready', ''); setTimeout(() => {}, 60000)`;

/**
 * Cohort borrowing and reclaim on real PostgreSQL with real processes: a tenant borrows idle
 * cohort quota, the lender comes back, the borrowed attempts get SIGTERM and a grace period and
 * their trials are requeued as new attempts — every step in the decision log.
 */
describe('compute: cohort borrowing and graceful preemption', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ pool: { name: 'local', cpus: 4, gpus: 0, memoryMb: 16384 }, cancelGraceMs: 2000, fairShare: { minRuntimeBeforePreemptSec: 0, borrowBackoffSec: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const active = async (tenant: string) =>
    (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = ? AND state = 'active'`, [tenant]))[0]!.n;

  it('borrows idle cohort capacity, then gives it back gracefully when the lender needs it', async () => {
    await h.setQuota('borrower', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    await h.setQuota('lender', 1, { cpus: 2, concurrentTrials: 10, cohort: 'lab' });
    const borrowerTrials = await h.createTrials('borrower', randomUUID(), 4, GRACEFUL, { cpus: 1, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await active('borrower')) === 4, 15_000);
    const borrowed = await h.sql<{ attempt_id: string; trial_id: string }>(
      `SELECT attempt_id::text, trial_id FROM compute.allocation WHERE tenant = 'borrower' AND borrowed ORDER BY admitted_at`,
    );
    expect(borrowed).toHaveLength(2);
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    await eventually(async () => {
      const dirs = await h.sql<{ work_dir: string | null }>(`SELECT work_dir FROM compute.allocation WHERE tenant = 'borrower' AND state = 'active'`);
      return dirs.length === 4 && dirs.every((d) => d.work_dir !== null && existsSync(join(d.work_dir, 'ready')));
    }, 20_000);

    const lenderTrials = await h.createTrials('lender', randomUUID(), 2, SHORT_TRIAL, { cpus: 1, gpus: 0, memoryMb: 64 });
    const preempted = await eventually(async () => {
      const e = await h.events(TOPICS.trialPreempted, 'borrower');
      return e.length === 2 && e;
    }, 20_000);
    expect(new Set(preempted.map((e) => e.payload.trialId))).toEqual(new Set(borrowed.map((b) => b.trial_id)));
    expect(preempted[0]!.payload.reason).toBe('preempted: tenant lender reclaims its nominal quota lent to cohort lab');

    // The lender's trials run and succeed; the borrower keeps its nominal two running.
    const lenderDone = await eventually(async () => {
      const f = await h.events(TOPICS.trialFinished, 'lender');
      return f.length === 2 && f;
    }, 20_000);
    expect(lenderDone.every((e) => e.payload.outcome === 'succeeded')).toBe(true);
    expect(new Set(lenderDone.map((e) => e.payload.trialId))).toEqual(new Set(lenderTrials));

    // Preempted attempts got SIGTERM (the trial wrote its marker) and ended as 'preempted', not failed.
    const ended = await h.sql<{ outcome: string; work_dir: string }>(
      `SELECT outcome, work_dir FROM compute.allocation WHERE attempt_id = ANY(?::uuid[])`,
      [`{${borrowed.map((b) => b.attempt_id).join(',')}}`],
    );
    expect(ended.map((e) => e.outcome)).toEqual(['preempted', 'preempted']);
    expect(ended.every((e) => existsSync(join(e.work_dir, 'sigterm')))).toBe(true);

    // Once the lender is done, the requeued trials come back as attempt 2 on borrowed capacity.
    await eventually(async () => (await active('borrower')) === 4, 20_000);
    const attempts = await h.sql<{ trial_id: string; attempt: number }>(
      `SELECT trial_id, max(attempt)::int AS attempt FROM compute.allocation WHERE tenant = 'borrower' GROUP BY trial_id`,
    );
    expect(attempts.filter((a) => a.attempt === 2).map((a) => a.trial_id).sort()).toEqual(borrowed.map((b) => b.trial_id).sort());
    expect(attempts.map((a) => a.trial_id).sort()).toEqual([...borrowerTrials].sort());
    expect((await h.events(TOPICS.trialFinished, 'borrower')).length).toBe(0); // nothing lost, nothing failed

    const log = await h.sql<{ kind: string; tenant: string; reason: string; quota_version: number }>(
      `SELECT kind, tenant, reason, quota_version FROM compute.decision WHERE kind IN ('admit', 'preempt') ORDER BY id`,
    );
    expect(log.filter((d) => d.kind === 'preempt')).toHaveLength(2);
    expect(log.filter((d) => d.kind === 'admit' && d.tenant === 'borrower' && /borrowing cohort quota/.test(d.reason)).length).toBeGreaterThanOrEqual(2);
    expect(log.every((d) => d.quota_version === 1)).toBe(true);
  });
});
