import { randomUUID } from 'node:crypto';
import { publishEvent, TOPICS, type TrialCreated } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';

/** GPU types as quota flavors on real PostgreSQL: events → replicas → admission on an h100 pool → decision log. */
describe('compute: GPU flavors (real PostgreSQL)', () => {
  let h: ComputeHarness;
  let url: string;
  let trial = 0;
  const experimentId = randomUUID();

  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start({ executor: stubExecutor(), pool: { name: 'hopper', cpus: 8, gpus: 4, memoryMb: 16384, gpuIds: ['0', '1', '2', '3'], deviceType: 'h100' } })).url;
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  /** experiments publishes one 1-GPU trial, with the spec's gpuType when given. */
  const createGpuTrial = async (tenant: string, gpuType?: string): Promise<string> => {
    const trialId = randomUUID();
    const t: TrialCreated = {
      trialId, experimentId, tenant, trialIndex: trial, command: [process.execPath, '-e', LONG_TRIAL], env: {}, params: {}, seed: trial++,
      resources: { cpus: 1, gpus: 1, memoryMb: 128, ...(gpuType ? { gpuType } : {}) }, executor: 'local', maxRuntimeSeconds: 1800,
    };
    await h.experiments.em.fork().transactional((em) => publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant, payload: { ...t } }));
    return trialId;
  };
  const stateOf = async (trialId: string) => (await h.sql<{ state: string; pending_reason: string | null; finish_reason: string | null; gpu_types: string[] | null }>(
    `SELECT state, pending_reason, finish_reason, gpu_types FROM compute.trial_run WHERE trial_id = ?`, [trialId]))[0]!;
  const waitingWith = (trialId: string) => eventually(async () => {
    const s = await stateOf(trialId);
    return s.pending_reason !== null && s;
  });

  it('caps a tenant at its h100 flavor quota, and routes a GPU type no pool offers to a wait with the reason', async () => {
    await h.setQuota('acme', 1, { cpus: 8, gpus: 4, concurrentTrials: 10, gpuFlavors: [{ flavor: 'h100', gpus: 1 }] });
    await h.setQuota('beta', 1, { cpus: 8, gpus: 4, concurrentTrials: 10 });
    expect(await h.sql(`SELECT tenant, gpu_flavors FROM compute.tenant_quota ORDER BY tenant`)).toEqual([
      { tenant: 'acme', gpu_flavors: [{ flavor: 'h100', gpus: 1 }] },
      { tenant: 'beta', gpu_flavors: null },
    ]);
    expect(await h.sql(`SELECT name, device_type FROM compute.pool`)).toEqual([{ name: 'hopper', device_type: 'h100' }]);

    // The tenant's 4 GPUs and the pool's 4 would take both trials; the h100 cap of 1 takes one.
    const first = await createGpuTrial('acme', 'h100');
    await eventually(async () => (await stateOf(first)).state === 'running');
    expect((await stateOf(first)).gpu_types).toEqual(['h100']);
    const second = await createGpuTrial('acme');
    const flavorReason = 'tenant acme quota: gpus of flavor h100 1/1 in use, 1 requested (quota v1)';
    expect(await waitingWith(second)).toMatchObject({ state: 'queued', pending_reason: flavorReason, gpu_types: null });
    expect(await h.sql(`SELECT kind, reason, quota_version FROM compute.decision WHERE trial_id = ? ORDER BY id LIMIT 1`, [second]))
      .toEqual([{ kind: 'wait', reason: flavorReason, quota_version: 1 }]);

    // No pool offers a100: the trial waits (a pool may be added), saying which pools there are.
    const a100 = await createGpuTrial('beta', 'a100');
    expect(await waitingWith(a100)).toMatchObject({ state: 'queued', pending_reason: 'no pool offers GPU type a100 (pools: hopper (h100))', gpu_types: ['a100'] });
    // A type the tenant's quota does not list can never run: rejected, naming the type and the list.
    const unlisted = await createGpuTrial('acme', 'a100');
    await eventually(async () => (await stateOf(unlisted)).state === 'finished');
    expect((await stateOf(unlisted)).finish_reason).toBe("GPU type a100 is not in tenant acme's quota (quota v1 lists GPU flavors h100)");

    await new Promise((r) => setTimeout(r, 400)); // several more cycles: still held
    expect((await stateOf(second)).state).toBe('queued');
    expect((await stateOf(a100)).state).toBe('queued');

    // Raising the h100 cap (a new policy version) lets the second trial start.
    await h.setQuota('acme', 2, { cpus: 8, gpus: 4, concurrentTrials: 10, gpuFlavors: [{ flavor: 'h100', gpus: 2 }] });
    await eventually(async () => (await stateOf(second)).state === 'running');

    // Tenant.usage shows the GPUs in use per flavor.
    const res = await signedRequest<{ _entities: { usage: { gpus: number; gpusByFlavor: { flavor: string; gpus: number }[] } }[] }>(
      url, TEST_SECRET, claimsFor.member('acme', 'viewer'),
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { usage { gpus gpusByFlavor { flavor gpus } } } } }',
      { r: [{ __typename: 'Tenant', slug: 'acme' }] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]!.usage).toEqual({ gpus: 2, gpusByFlavor: [{ flavor: 'h100', gpus: 2 }] });
  });
});
