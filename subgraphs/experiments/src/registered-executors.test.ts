import { claimsFor, eventually } from '@fairsweep/service-kit/testing';
import { TOPICS } from '@fairsweep/service-kit';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';

const spec = (executor: string) => `
apiVersion: fairsweep/v1
name: registered-executor
seed: 1
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 1 }
trial: { command: [node, train.js], executor: ${executor} }
`;

/**
 * Specs may name the executors of the pools compute registered (pool.registered events), without
 * an operator listing them again in FAIRSWEEP_EXECUTORS; a decommissioned pool's executor is no
 * longer offered (unless another pool runs it).
 */
describe('executors of registered pools (real PostgreSQL)', () => {
  let h: Harness;
  const alice = claimsFor.member('alpha');
  const submit = (executor: string) =>
    h.q(alice, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id spec } }', { s: spec(executor) });
  const saved = { listed: process.env.FAIRSWEEP_EXECUTORS, selected: process.env.FAIRSWEEP_EXECUTOR };

  beforeAll(async () => {
    delete process.env.FAIRSWEEP_EXECUTORS;
    delete process.env.FAIRSWEEP_EXECUTOR;
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    for (const [k, v] of [['FAIRSWEEP_EXECUTORS', saved.listed], ['FAIRSWEEP_EXECUTOR', saved.selected]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('accepts the executor of a pool compute registered, and stops once that pool is decommissioned', async () => {
    const refused = (await submit('slurm')).errors![0]!;
    expect(refused.extensions!.code).toBe('INVALID_SPEC');
    expect(refused.message).toContain('trial.executor: "slurm" is not an installed executor; installed: local');

    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const register = (pool: string, executor: string, at: number) => h.computeEvent(TOPICS.poolRegistered, {
      pool, executor: { name: executor, version: '1.2.0', apiVersion: '1' }, deviceType: null, at: new Date(at).toISOString(),
    });
    await register('hpc', 'slurm', t0);
    await register('hpc-2', 'slurm', t0);
    await eventually(async () => (await h.sql('SELECT count(*)::int AS n FROM experiments.registered_pool'))[0].n === 2);
    const accepted = await submit('slurm');
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.submitExperiment.spec.trial.executor).toBe('slurm');

    // A second pool still runs slurm after the first is decommissioned; an event replayed late changes nothing.
    await h.computeEvent(TOPICS.poolDecommissioned, { pool: 'hpc', at: new Date(t0 + 1000).toISOString() });
    await register('hpc', 'slurm', t0 - 1000);
    await eventually(async () => (await h.sql('SELECT pool FROM experiments.registered_pool WHERE executor IS NULL')).map((r) => r.pool).join() === 'hpc');
    await new Promise((r) => setTimeout(r, 300)); // the late registration is consumed too, and ignored
    expect(await h.sql('SELECT pool, executor FROM experiments.registered_pool ORDER BY pool')).toEqual([{ pool: 'hpc', executor: null }, { pool: 'hpc-2', executor: 'slurm' }]);
    expect((await submit('slurm')).errors).toBeUndefined();

    // hpc-2 is restarted with another executor: slurm is offered by no pool any more.
    await register('hpc-2', 'kubernetes', t0 + 2000);
    await eventually(async () => (await h.sql('SELECT executor FROM experiments.registered_pool WHERE executor IS NOT NULL')).map((r) => r.executor).join() === 'kubernetes');
    expect((await submit('slurm')).errors?.[0]?.message).toContain('"slurm" is not an installed executor; installed: local, kubernetes');
    expect((await submit('kubernetes')).errors).toBeUndefined();
  });
});
