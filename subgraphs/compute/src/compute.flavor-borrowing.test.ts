import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness, SHORT_TRIAL } from './testing-internal/compute-harness.js';

/** Exits on SIGTERM after writing a marker; writes 'ready' once the handler is installed. */
const GRACEFUL = `const fs = require('fs'); process.on('SIGTERM', () => { fs.writeFileSync('sigterm', String(Date.now())); process.exit(143); }); fs.writeFileSync('ready', ''); setTimeout(() => {}, 60000)`;

/**
 * Per-flavor nominal GPU quota with cohort borrowing on real PostgreSQL and real processes
 * (docs/designs/3-gpu-flavors.md): a tenant borrows the H100s its cohort partner does not use,
 * within its flavor borrowing limit and although it is within its total GPU nominal; the partner
 * comes back and reclaims them gracefully; every step in the decision log.
 */
describe('compute: borrowing GPUs of a flavor within a cohort', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({
      pool: { name: 'hopper', cpus: 8, gpus: 4, memoryMb: 16384, gpuIds: ['0', '1', '2', '3'], deviceType: 'h100' },
      cancelGraceMs: 2000, fairShare: { minRuntimeBeforePreemptSec: 0, borrowBackoffSec: 1 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const active = async (tenant: string) =>
    (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = ? AND state = 'active'`, [tenant]))[0]!.n;

  it('borrows the idle H100 nominal of the cohort, and gives it back when the lender needs it', async () => {
    // Both may hold 4 GPUs in total; of the pool's 4 H100s acme is guaranteed 1 and may borrow 2, beta is guaranteed 3.
    await h.setQuota('acme', 1, { cpus: 8, gpus: 4, concurrentTrials: 10, cohort: 'lab', gpuFlavors: [{ flavor: 'h100', gpus: 1, borrowingLimit: 2 }] });
    await h.setQuota('beta', 1, { cpus: 8, gpus: 4, concurrentTrials: 10, cohort: 'lab', gpuFlavors: [{ flavor: 'h100', gpus: 3 }] });
    const gpu = { cpus: 1, gpus: 1, memoryMb: 64 };
    const acmeTrials = await h.createTrials('acme', randomUUID(), 4, GRACEFUL, gpu);
    await eventually(async () => (await active('acme')) === 3, 15_000);
    const fourth = acmeTrials[3]!;
    const [wait] = await eventually(async () => {
      const w = await h.sql<{ reason: string; quota_version: number }>(`SELECT reason, quota_version FROM compute.decision WHERE trial_id = ? AND kind = 'wait'`, [fourth]);
      return w.length > 0 && w;
    });
    expect(wait).toEqual({ reason: 'tenant acme borrowing limit: gpus of flavor h100 3/3 in use (nominal 1), 1 requested (quota v1)', quota_version: 1 });
    const borrowed = await h.sql<{ attempt_id: string; trial_id: string }>(
      `SELECT attempt_id::text, trial_id FROM compute.allocation WHERE tenant = 'acme' AND borrowed ORDER BY admitted_at`,
    );
    expect(borrowed).toHaveLength(2); // within its 4 total GPUs, but above its H100 nominal: reclaimable
    const admits = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE tenant = 'acme' AND kind = 'admit' ORDER BY id`);
    expect(admits.map((a) => a.reason.includes('borrowing cohort quota'))).toEqual([false, true, true]);
    await eventually(async () => {
      const dirs = await h.sql<{ work_dir: string | null }>(`SELECT work_dir FROM compute.allocation WHERE tenant = 'acme' AND state = 'active'`);
      return dirs.length === 3 && dirs.every((d) => d.work_dir !== null && existsSync(join(d.work_dir, 'ready')));
    }, 20_000);

    // beta wants its three H100s: one is free, two come back from acme's borrowed attempts.
    await h.createTrials('beta', randomUUID(), 3, SHORT_TRIAL, gpu, undefined, 60);
    const preempted = await eventually(async () => {
      const e = await h.events(TOPICS.trialPreempted, 'acme');
      return e.length === 2 && e;
    }, 20_000);
    expect(new Set(preempted.map((e) => e.payload.trialId))).toEqual(new Set(borrowed.map((b) => b.trial_id)));
    expect(preempted[0]!.payload.reason).toBe('preempted: tenant beta reclaims its nominal quota lent to cohort lab');
    const betaDone = await eventually(async () => {
      const f = await h.events(TOPICS.trialFinished, 'beta');
      return f.length === 3 && f;
    }, 30_000);
    expect(betaDone.every((e) => e.payload.outcome === 'succeeded')).toBe(true);
    const ended = await h.sql<{ outcome: string; work_dir: string }>(
      `SELECT outcome, work_dir FROM compute.allocation WHERE attempt_id = ANY(?::uuid[])`, [`{${borrowed.map((b) => b.attempt_id).join(',')}}`],
    );
    expect(ended.map((e) => e.outcome)).toEqual(['preempted', 'preempted']);
    expect(ended.every((e) => existsSync(join(e.work_dir, 'sigterm')))).toBe(true);

    // beta done: acme borrows again (new attempts), never more than nominal + limit; nothing failed.
    await eventually(async () => (await active('acme')) === 3, 20_000);
    expect(await h.maxOverlap('acme')).toBeLessThanOrEqual(3);
    expect((await h.events(TOPICS.trialFinished, 'acme')).length).toBe(0);
    const log = await h.sql<{ kind: string; tenant: string }>(`SELECT kind, tenant FROM compute.decision WHERE kind = 'preempt' ORDER BY id`);
    expect(log).toEqual([{ kind: 'preempt', tenant: 'acme' }, { kind: 'preempt', tenant: 'acme' }]);
  }, 90_000);
});
