import { randomUUID } from 'node:crypto';
import { publishEvent, TOPICS, type ProjectQuotaChanged, type TrialCreated } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';

/** Per-project GPU-hour budgets on real PostgreSQL: events → replica → admission → decision log → GraphQL. */
describe('compute: per-project GPU-hour budget (real PostgreSQL)', () => {
  let h: ComputeHarness;
  let url: string;
  const vision = randomUUID();
  const nlp = randomUUID();
  let trial = 0;

  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start({ executor: stubExecutor(), pool: { name: 'local', cpus: 8, gpus: 4, memoryMb: 16384, gpuIds: ['0', '1', '2', '3'] } })).url;
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  /** tenancy publishes a project quota version with a budget; waits until compute consumed it. */
  const setProjectBudget = async (project: string, version: number, budget: Pick<ProjectQuotaChanged, 'gpuHoursBudget' | 'budgetPeriod' | 'budgetSafeMode'>) => {
    const payload: ProjectQuotaChanged = {
      tenant: 'acme', project, version, cpus: null, gpus: null, memoryMb: null, concurrentTrials: null, ...budget, changedBy: 'tenant-admin@acme', reason: 'test',
    };
    await h.tenancy.em.fork().transactional((em) => publishEvent(em, 'tenancy', { topic: TOPICS.projectQuotaChanged, aggregateId: `acme/${project}`, tenant: 'acme', payload: { ...payload } }));
    await eventually(async () => (await h.sql<{ done: boolean }>(
      `SELECT coalesce((SELECT last_id FROM compute.consumer_offset WHERE consumer = 'compute.project-quota'), 0) >= (SELECT max(id) FROM tenancy.outbox_event) AS done`,
    ))[0]!.done);
  };
  /** experiments publishes one trial of `project` on 1 GPU for at most 30 min (0.5 GPU-hours). */
  const createGpuTrial = async (project: string, experimentId: string): Promise<string> => {
    const trialId = randomUUID();
    const t: TrialCreated = {
      trialId, experimentId, tenant: 'acme', trialIndex: trial, command: [process.execPath, '-e', LONG_TRIAL], env: {}, params: {}, seed: trial++,
      resources: { cpus: 1, gpus: 1, memoryMb: 128 }, executor: 'local', maxRuntimeSeconds: 1800, project,
    };
    await h.experiments.em.fork().transactional((em) => publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant: 'acme', payload: { ...t } }));
    return trialId;
  };
  const stateOf = async (trialId: string) => (await h.sql<{ state: string; pending_reason: string | null }>(`SELECT state, pending_reason FROM compute.trial_run WHERE trial_id = ?`, [trialId]))[0];
  const budgetOf = async (claims: Parameters<typeof signedRequest>[2], project: string) => (await signedRequest<{ _entities: ({ budget: Record<string, any> | null } | null)[] }>(
    url, TEST_SECRET, claims,
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { budget { gpuHours period safeMode consumedGpuHours committedGpuHours remainingGpuHours burnRateGpuHoursPerHour periodEnd } } } }',
    { r: [{ __typename: 'Project', id: randomUUID(), tenantSlug: 'acme', slug: project }] },
  )).data!._entities[0];

  it("holds a project's GPU trial with the project-budget reason while another project of the tenant starts, logs why, and follows a raise", async () => {
    await h.setQuota('acme', 1, { cpus: 8, gpus: 4, concurrentTrials: 10, gpuHoursBudget: 10 });
    await setProjectBudget('vision', 2, { gpuHoursBudget: 0.8, budgetPeriod: 'week', budgetSafeMode: true });
    await setProjectBudget('vision', 1, { gpuHoursBudget: 50 }); // late, older version: ignored
    expect(await h.sql(`SELECT project, version, gpu_hours_budget, budget_period, budget_safe_mode FROM compute.project_quota`)).toEqual([
      { project: 'vision', version: 2, gpu_hours_budget: 0.8, budget_period: 'week', budget_safe_mode: true },
    ]);

    // 0.8 GPU-hours fit one 0.5 GPU-hour trial of vision; the tenant's 10 and its 4 GPUs would allow all three.
    const first = await createGpuTrial('vision', vision);
    await eventually(async () => (await stateOf(first))!.state === 'running');
    const second = await createGpuTrial('vision', vision);
    const other = await createGpuTrial('nlp', nlp);
    await eventually(async () => (await stateOf(other))!.state === 'running');
    const reasonPattern = /^PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget \(v2, safe mode\): requested 0\.5 GPU-hours, remaining 0\.3 of 0\.8 \(0(\.\d+)? used, 0\.\d+ committed to running trials\)$/;
    const waiting = await eventually(async () => {
      const s = await stateOf(second);
      return s!.pending_reason !== null && s;
    });
    expect(waiting).toMatchObject({ state: 'queued', pending_reason: expect.stringMatching(reasonPattern) });
    const [logged] = await h.sql<{ tenant: string; kind: string; reason: string; quota_version: number }>(
      `SELECT tenant, kind, reason, quota_version FROM compute.decision WHERE trial_id = ? ORDER BY id LIMIT 1`, [second],
    );
    expect(logged).toEqual({ tenant: 'acme', kind: 'wait', reason: expect.stringMatching(reasonPattern), quota_version: 1 });
    await new Promise((r) => setTimeout(r, 500)); // several more cycles: still held
    expect((await stateOf(second))!.state).toBe('queued');

    // The project's account through GraphQL, for members of the tenant only; no budget: null.
    const viewed = await budgetOf(claimsFor.member('acme', 'viewer'), 'vision');
    expect(viewed!.budget).toMatchObject({ gpuHours: 0.8, period: 'week', safeMode: true });
    const b = viewed!.budget!;
    expect(b.consumedGpuHours + b.committedGpuHours).toBeCloseTo(0.5, 6); // one running attempt within its maximum runtime
    expect(b.remainingGpuHours).toBeCloseTo(0.3, 6);
    expect(b.burnRateGpuHoursPerHour).toBeGreaterThan(0);
    expect(new Date(b.periodEnd).getUTCDay()).toBe(1); // weeks reset on Monday 00:00 UTC
    expect(await budgetOf(claimsFor.member('acme', 'viewer'), 'nlp')).toEqual({ budget: null });
    expect(await budgetOf(claimsFor.member('other', 'viewer'), 'vision')).toBeNull();

    // Raising the budget lets the held trial start.
    await setProjectBudget('vision', 3, { gpuHoursBudget: 2 });
    await eventually(async () => (await stateOf(second))!.state === 'running');
    const admits = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE kind = 'admit' AND trial_id = ?`, [second]);
    expect(admits[0]!.reason).toMatch(/within project vision limits v3\)(;|$)/);
  });
});
