import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';
import { publishTrials, setProjectQuota } from './testing-internal/project-quota.helpers.js';

describe('compute: per-project limits from tenancy events (real PostgreSQL)', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ executor: stubExecutor() });
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  const running = async (project: string) =>
    (await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.trial_run WHERE tenant = 'acme' AND project = ? AND state = 'running'`, [project]))[0]!.n;

  it('keeps the latest project limits, admits within them, says why the rest waits, and follows a raise', async () => {
    await h.setQuota('acme', 1, { cpus: 8, concurrentTrials: 10 });
    await setProjectQuota(h, 'acme', 'vision', 2, { concurrentTrials: 2, cpus: 4 });
    await setProjectQuota(h, 'acme', 'vision', 1, { concurrentTrials: 0 }); // late, older version: ignored
    expect(await h.sql(`SELECT tenant, project, version, cpus, concurrent_trials FROM compute.project_quota`)).toEqual([
      { tenant: 'acme', project: 'vision', version: 2, cpus: 4, concurrent_trials: 2 },
    ]);
    const res = { cpus: 1, gpus: 0, memoryMb: 128 };
    const ids = await publishTrials(h, [
      ...Array.from({ length: 4 }, () => ({ tenant: 'acme', project: 'vision', resources: res })),
      { tenant: 'acme', project: 'nlp', resources: res },
    ], LONG_TRIAL);
    await eventually(async () => (await running('vision')) === 2 && (await running('nlp')) === 1);
    const waits = await eventually(async () => {
      const rows = await h.sql<{ pending_reason: string }>(`SELECT pending_reason FROM compute.trial_run WHERE project = 'vision' AND state = 'queued' AND pending_reason IS NOT NULL`);
      return rows.length === 2 && rows.map((r) => r.pending_reason);
    });
    expect(waits).toEqual(Array(2).fill('project quota: concurrentTrials 2/2 in use in project vision (v2)'));
    const admits = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE kind = 'admit' AND trial_id = ?`, [ids[0]]);
    expect(admits[0]!.reason).toMatch(/within project vision limits v2\)(;|$)/);

    await setProjectQuota(h, 'acme', 'vision', 3, { concurrentTrials: 3, cpus: 4 });
    await eventually(async () => (await running('vision')) === 3);
    await new Promise((r) => setTimeout(r, 500)); // several more cycles: still 3
    expect(await running('vision')).toBe(3);
    const [last] = await h.sql<{ pending_reason: string }>(`SELECT pending_reason FROM compute.trial_run WHERE project = 'vision' AND state = 'queued'`);
    expect(last!.pending_reason).toBe('project quota: concurrentTrials 3/3 in use in project vision (v3)');
  });
});
