import { randomUUID } from 'node:crypto';
import { ComputeHarness } from './testing-internal/compute-harness.js';

/**
 * The platform's GPU flavor order on real PostgreSQL with two real local executors
 * (FAIRSWEEP_GPU_FLAVOR_ORDER=h100,a100 on both replicas): GPU trials that name no type fill the
 * H100 pool first, then run on A100 saying whose order they followed; a tenant whose quota lists
 * gpuFlavors follows that order instead.
 */
describe('compute: GPU trials that name no type follow the flavor order (real PostgreSQL, real processes)', () => {
  let h: ComputeHarness;
  let index = 0;
  const experimentId = randomUUID();

  beforeAll(async () => {
    h = await ComputeHarness.create();
    const fairShare = { halfLifeSeconds: 3600, historyWeight: 0.5, minRuntimeBeforePreemptSec: 60, gpuFlavorOrder: ['h100', 'a100'] };
    await h.start({ pool: { name: 'box', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'], deviceType: 'h100' }, fairShare });
    await h.start({ pool: { name: 'hpc', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'], deviceType: 'a100' }, fairShare });
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  const create = (tenant: string) => h.createGpuTrial(tenant, experimentId, index++);
  const poolOf = (trialId: string) => h.activePool(trialId);
  const admitReason = async (trialId: string) =>
    (await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE trial_id = ? AND kind = 'admit'`, [trialId]))[0]!.reason;

  it('fills the H100 pool first, then A100 with the reason; a tenant\'s gpuFlavors order goes first', async () => {
    await h.setQuota('acme', 1, { cpus: 16, gpus: 8, concurrentTrials: 50 });
    await h.setQuota('lab', 1, { cpus: 16, gpus: 2, concurrentTrials: 50, gpuFlavors: [{ flavor: 'a100', gpus: 1 }, { flavor: 'h100', gpus: 1 }] });
    // lab lists a100 first: its trial goes to hpc although the platform prefers h100 and box has room.
    const labFirst = await create('lab');
    expect(await poolOf(labFirst)).toBe('hpc');
    expect(await admitReason(labFirst)).not.toContain('choice');

    const first = [await create('acme'), await create('acme')];
    for (const t of first) expect(await poolOf(t)).toBe('box');
    const next = await create('acme');
    expect(await poolOf(next)).toBe('hpc');
    expect(await admitReason(next)).toContain("; GPU type a100 is choice 2 of h100, a100 (the platform's flavor order): no room for it now on box (h100)");
  });
});
