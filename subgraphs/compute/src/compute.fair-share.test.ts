import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness, LONG_TRIAL } from './testing-internal/compute-harness.js';

/**
 * Fair share and priorities on real PostgreSQL: a blocker holds the whole pool while two tenants
 * (weights 1 and 3) and a critical tenant queue up; when it is cancelled, one cycle sees them all.
 */
describe('compute: weighted fair share, priority classes and the decision log', () => {
  let h: ComputeHarness;
  let url: string;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start({ pool: { name: 'local', cpus: 4, gpus: 0, memoryMb: 16384 }, cancelGraceMs: 200 })).url;
  });
  afterAll(async () => {
    await h?.close();
  });

  const active = async () =>
    Object.fromEntries(
      (await h.sql<{ tenant: string; n: number }>(`SELECT tenant, count(*)::int AS n FROM compute.allocation WHERE state = 'active' GROUP BY tenant`)).map((r) => [r.tenant, r.n]),
    );

  it('splits a freed pool by weight, serves critical work first, and logs every decision with its policy version', async () => {
    const blockerExp = randomUUID();
    await h.setQuota('blocker', 1, { cpus: 4, concurrentTrials: 1 });
    await h.createTrials('blocker', blockerExp, 1, LONG_TRIAL, { cpus: 4, gpus: 0, memoryMb: 64 });
    await eventually(async () => (await active()).blocker === 1);

    await h.setQuota('light', 1, { cpus: 4, concurrentTrials: 10, weight: 1 });
    await h.setQuota('heavy', 2, { cpus: 4, concurrentTrials: 10, weight: 3 });
    await h.setQuota('ops', 1, { cpus: 4, concurrentTrials: 10, priorityClasses: ['critical', 'standard'] });
    const one = { cpus: 1, gpus: 0, memoryMb: 64 };
    const light = await h.createTrials('light', randomUUID(), 6, LONG_TRIAL, one);
    await h.createTrials('heavy', randomUUID(), 6, LONG_TRIAL, one);
    const [critical] = await h.createTrials('ops', randomUUID(), 1, LONG_TRIAL, one, 'critical');
    const [refused] = await h.createTrials('light', randomUUID(), 1, LONG_TRIAL, one, 'critical');
    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.trial_run WHERE state = 'queued' AND pending_reason LIKE 'pool local: cpus 0 free%'`)).length >= 12);

    await h.cancelExperiment('blocker', blockerExp, 'make room');
    // Critical first (1 cpu); then 3 cpus by progressive filling: light (older, both at share 0),
    // then heavy at 1/4 ÷ 3 ≈ 0.08 and 2/4 ÷ 3 ≈ 0.17, both below light's 1/4 ÷ 1 = 0.25.
    const split = await eventually(async () => {
      const a = await active();
      return !a.blocker && (a.ops ?? 0) + (a.light ?? 0) + (a.heavy ?? 0) === 4 && a;
    }, 20_000);
    expect(split).toEqual({ ops: 1, light: 1, heavy: 2 });

    const decisions = await h.sql<{ trial_id: string; kind: string; reason: string; quota_version: number | null; priority: string; inputs_digest: string }>(
      `SELECT trial_id, kind, reason, quota_version, priority, inputs_digest FROM compute.decision ORDER BY id`,
    );
    const critAdmit = decisions.find((d) => d.trial_id === critical && d.kind === 'admit')!;
    expect(critAdmit).toMatchObject({ priority: 'critical', quota_version: 1 });
    expect(critAdmit.inputs_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(decisions.find((d) => d.trial_id === refused)).toMatchObject({
      kind: 'reject', reason: 'priority critical is not allowed for tenant light (quota v1 allows standard, preemptible)',
    });
    const lightWaits = decisions.filter((d) => light.includes(d.trial_id) && d.kind === 'wait');
    expect(lightWaits.length).toBeGreaterThan(0);
    expect(lightWaits[0]!.reason).toBe('pool local: cpus 0 free, 1 requested');
    // Wait decisions are logged when the reason changes, not every cycle.
    const perTrial = new Map<string, string[]>();
    for (const d of decisions.filter((x) => x.kind === 'wait')) perTrial.set(d.trial_id, [...(perTrial.get(d.trial_id) ?? []), d.reason]);
    for (const reasons of perTrial.values()) for (let i = 1; i < reasons.length; i++) expect(reasons[i]).not.toBe(reasons[i - 1]);

    await expect(h.sql(`UPDATE compute.decision SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`DELETE FROM compute.decision`)).rejects.toThrow(/append-only/);

    const viaApi = await signedRequest<{ decisions: { kind: string; reason: string; quotaVersion: number | null }[] }>(
      url, TEST_SECRET, claimsFor.member('light', 'viewer'), `query($t: ID) { decisions(tenant: "light", trialId: $t) { kind reason quotaVersion } }`, { t: refused },
    );
    expect(viaApi.data!.decisions).toEqual([{ kind: 'reject', reason: expect.stringContaining('not allowed'), quotaVersion: 1 }]);
    const other = await signedRequest(url, TEST_SECRET, claimsFor.member('heavy'), '{ decisions(tenant: "light") { kind } }');
    expect(other.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    const queue = await signedRequest<{ queue: { priority: string; position: number; pendingReason: string }[] }>(
      url, TEST_SECRET, claimsFor.member('light'), '{ queue(tenant: "light") { priority position pendingReason } }',
    );
    expect(queue.data!.queue[0]).toMatchObject({ priority: 'standard', position: 1 });
    expect((await h.events(TOPICS.trialFinished, 'light')).some((e) => e.payload.trialId === refused)).toBe(true);
  });
});
