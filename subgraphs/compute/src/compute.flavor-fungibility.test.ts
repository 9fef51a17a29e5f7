import { randomUUID } from 'node:crypto';
import { eventually } from '@fairsweep/service-kit/testing';
import { ComputeHarness } from './testing-internal/compute-harness.js';

/**
 * Flavor fungibility on real PostgreSQL with two real local executors (docs/designs/3-gpu-flavors.md):
 * trials that list `gpuType: [h100, a100]` fill the H100 pool first; once it is full the A100
 * pool takes the rest, and each of those admissions says why in the decision log.
 */
describe('compute: a trial listing several GPU types runs on the first with room (real PostgreSQL, real processes)', () => {
  let h: ComputeHarness;
  let index = 0;
  const experimentId = randomUUID();

  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ pool: { name: 'box', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'], deviceType: 'h100' } });
    await h.start({ pool: { name: 'hpc', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'], deviceType: 'a100' } });
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  const create = (gpuType: string | string[]) => h.createGpuTrial('acme', experimentId, index++, gpuType);
  const poolOf = (trialId: string) => h.activePool(trialId);

  it('fills the preferred H100 pool, then runs on A100 saying why; a fifth waits for either', async () => {
    await h.setQuota('acme', 1, { cpus: 16, gpus: 8, concurrentTrials: 50 });
    const first = [await create(['h100', 'a100']), await create(['h100', 'a100'])];
    for (const t of first) expect(await poolOf(t)).toBe('box');
    const rest = await Promise.all([1, 2].map(() => create(['h100', 'a100'])));
    for (const t of rest) expect(await poolOf(t)).toBe('hpc');
    for (const t of rest) {
      const [admit] = await h.sql<{ kind: string; reason: string }>(`SELECT kind, reason FROM compute.decision WHERE trial_id = ? AND kind = 'admit'`, [t]);
      expect(admit!.reason).toContain('; GPU type a100 is choice 2 of h100, a100: no room for it now on box (h100)');
    }
    const [onBox] = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE trial_id = ? AND kind = 'admit'`, [first[0]]);
    expect(onBox!.reason).not.toContain('choice');
    // The queued run keeps its preference list; both pools are full, so the fifth waits.
    const fifth = await create(['h100', 'a100']);
    const row = await eventually(async () =>
      (await h.sql<{ state: string; gpu_types: string[]; pending_reason: string | null }>(
        `SELECT state, gpu_types, pending_reason FROM compute.trial_run WHERE trial_id = ?`, [fifth])).find((r) => r.pending_reason !== null));
    expect(row).toMatchObject({ state: 'queued', gpu_types: ['h100', 'a100'], pending_reason: expect.stringMatching(/^pool (box|hpc): gpus 0 free, 1 requested/) });
  });
});
