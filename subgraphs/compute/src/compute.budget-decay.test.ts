import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness, SHORT_TRIAL } from './testing-internal/compute-harness.js';

const BUDGET_FIELDS = 'gpuHours period halfLifeHours safeMode periodStart periodEnd consumedGpuHours committedGpuHours remainingGpuHours burnRateGpuHoursPerHour exhaustsAt';

/**
 * Usage-decay GPU-hour budgets on real PostgreSQL: consumption is Σ gpus × ∫ 2^(−age / half-life)
 * over the time held, so a spent budget recovers as its use ages instead of at a period reset.
 * Allocation times are moved into the past to make the ages exact.
 */
describe('compute: GPU-hour budget with usage decay', () => {
  let h: ComputeHarness;
  let url: string;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start({ pool: { name: 'local', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'] } })).url;
  });
  afterAll(async () => {
    await h?.close();
  });

  const budgetOf = async (tenant: string) => {
    const res = await signedRequest<{ _entities: { budget: Record<string, unknown> | null }[] }>(
      url, TEST_SECRET, claimsFor.member(tenant, 'viewer'),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { budget { ${BUDGET_FIELDS} } } } }`,
      { r: [{ __typename: 'Tenant', slug: tenant }] },
    );
    expect(res.errors).toBeUndefined();
    return res.data!._entities[0]!.budget!;
  };
  /** One finished GPU trial of `tenant`, then its allocation moved to [now − heldFrom h, now − heldUntil h]. */
  const usedInThePast = async (tenant: string, heldFromHoursAgo: number, heldUntilHoursAgo: number) => {
    const [trial] = await h.createTrials(tenant, randomUUID(), 1, SHORT_TRIAL, { cpus: 1, gpus: 1, memoryMb: 64 }, undefined, 4);
    await eventually(async () => (await h.events(TOPICS.trialFinished, tenant)).some((e) => e.payload.trialId === trial));
    await h.sql(
      `UPDATE compute.allocation SET admitted_at = clock_timestamp() - ? * interval '1 hour', released_at = clock_timestamp() - ? * interval '1 hour' WHERE trial_id = ?`,
      [heldFromHoursAgo, heldUntilHoursAgo, trial],
    );
  };

  it('counts decayed GPU-hours, shows no period, and admits again once old use has faded', async () => {
    await h.setQuota('fading', 1, { cpus: 8, gpus: 2, concurrentTrials: 4, gpuHoursBudget: 0.1, budgetPeriod: 'decay', budgetHalfLifeHours: 1 });
    await h.setQuota('monthly', 1, { cpus: 8, gpus: 2, concurrentTrials: 4, gpuHoursBudget: 1 });
    // 1 GPU held from 2.5 h to 2 h ago: 0.5 GPU-hours; decayed with a 1 h half-life:
    // (1 / ln 2) × (2^−2 − 2^−2.5) = 0.10563 GPU-hours, over the budget of 0.1.
    await usedInThePast('fading', 2.5, 2);
    await usedInThePast('monthly', 2.5, 2);
    const expected = (2 ** -2 - 2 ** -2.5) / Math.LN2;

    const fading = await budgetOf('fading');
    expect(fading).toMatchObject({ gpuHours: 0.1, period: 'decay', halfLifeHours: 1, safeMode: true, periodStart: null, periodEnd: null, committedGpuHours: 0, remainingGpuHours: 0 });
    expect(fading.consumedGpuHours as number).toBeCloseTo(expected, 4);
    expect(fading.burnRateGpuHoursPerHour as number).toBeCloseTo(expected * Math.LN2, 4);
    expect(Math.abs(Date.parse(fading.exhaustsAt as string) - Date.now())).toBeLessThan(60_000); // spent: it runs out now
    const monthly = await budgetOf('monthly');
    expect(monthly).toMatchObject({ period: 'month', halfLifeHours: null });
    // The reset period counts the whole half hour, unless the month began in the last 2.5 h.
    expect(monthly.consumedGpuHours as number).toBeGreaterThan(0.49);

    // Spent: a GPU trial waits, and the reason names the decay window.
    const [waiting] = await h.createTrials('fading', randomUUID(), 1, SHORT_TRIAL, { cpus: 1, gpus: 1, memoryMb: 64 }, undefined, 4);
    const [wait] = await eventually(async () => {
      const w = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE trial_id = ? AND kind = 'wait'`, [waiting]);
      return w.length > 0 && w;
    });
    expect(wait!.reason).toMatch(/^tenant fading GPU-hour budget: 0\.106\/0\.1 used, 0 committed to running trials, 0\.001 requested \(safe mode\)$/);

    // Its estimated start is when the decayed use has fallen to 0.1 − 0.00111 (the trial's 4 s on
    // one GPU): 1 h × log2(0.10563 / 0.09889) = 343 s from now — not "never", as nothing runs.
    type Q = { queue: { trialId: string; estimatedStartAt: string | null; estimatedStartReason: string | null }[] };
    const q = await eventually(async () => {
      const r = await signedRequest<Q>(url, TEST_SECRET, claimsFor.member('fading', 'viewer'), '{ queue(tenant: "fading") { trialId estimatedStartAt estimatedStartReason } }');
      return r.data!.queue.find((x) => x.trialId === waiting && (x.estimatedStartAt !== null || x.estimatedStartReason !== null));
    });
    expect(q.estimatedStartReason).toBeNull();
    const recoversInSec = 3600 * Math.log2(expected / (0.1 - 4 / 3600));
    expect(recoversInSec).toBeCloseTo(343, 0);
    const etaSec = (Date.parse(q.estimatedStartAt!) - Date.now()) / 1000;
    expect(etaSec).toBeGreaterThan(recoversInSec - 10); // an estimate may be up to 2 s old
    expect(etaSec).toBeLessThan(recoversInSec + 5);

    // Four more hours later the same use weighs 2^−4 as much (0.0066 GPU-hours): the trial starts.
    await h.sql(`UPDATE compute.allocation SET admitted_at = admitted_at - interval '4 hours', released_at = released_at - interval '4 hours' WHERE tenant = 'fading'`);
    await eventually(async () => (await h.events(TOPICS.trialFinished, 'fading')).some((e) => e.payload.trialId === waiting && e.payload.outcome === 'succeeded'), 20_000);
    expect((await budgetOf('fading')).consumedGpuHours as number).toBeLessThan(0.01);
  });
});
