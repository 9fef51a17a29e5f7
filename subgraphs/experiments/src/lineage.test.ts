import { claimsFor, eventually } from '@fairsweep/service-kit/testing';
import { TOPICS } from '@fairsweep/service-kit';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';

const SPEC = `
apiVersion: fairsweep/v1
kind: Experiment
name: lineage
seed: 99
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 2, maxParallel: 2 }
trial: { command: [node, train.js], resources: { cpus: 1, gpus: 0, memoryMb: 128 } }
`;
const ENV = {
  git: { commit: 'a'.repeat(40), dirty: true, diffSha256: 'b'.repeat(64) },
  lockfiles: { 'package-lock.json': 'c'.repeat(64) },
  imageDigest: `sha256:${'d'.repeat(64)}`,
  runtimes: { node: 'v20.11.0', python: 'Python 3.12.1' },
  env: { CUDA_VISIBLE_DEVICES: '0,1' },
  collectedAt: '2026-01-01T00:00:00.000Z',
};
const FIELDS = 'id seed specHash environment parent { id } children { id } trials { id index params seed }';

describe('environment snapshots, reruns and provenance', () => {
  let h: Harness;
  const alice = claimsFor.member('alpha');
  const bob = claimsFor.member('beta');
  const submit = (environment: unknown) =>
    h.q(alice, `mutation($s: String!, $e: JSON) { submitExperiment(tenant: "alpha", spec: $s, environment: $e) { ${FIELDS} } }`, { s: SPEC, e: environment });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stores the environment snapshot with the experiment, immutably', async () => {
    const exp = (await submit(ENV)).data!.submitExperiment;
    expect(exp.environment).toEqual(ENV);
    await expect(h.sql(`UPDATE experiments.experiment SET environment = '{}' WHERE id = $1`, [exp.id])).rejects.toThrow(/immutable/);
    await expect(h.sql(`UPDATE experiments.experiment SET environment = NULL WHERE id = $1`, [exp.id])).rejects.toThrow(/immutable/);
    await expect(h.sql(`UPDATE experiments.experiment SET parent_id = id WHERE id = $1`, [exp.id])).rejects.toThrow(/immutable/);
    await h.sql(`UPDATE experiments.experiment SET status = 'running' WHERE id = $1`, [exp.id]); // live status may change
    expect((await submit(null)).data!.submitExperiment.environment).toBeNull();
  });

  it('refuses a malformed snapshot naming each bad field, and stores nothing', async () => {
    const [{ n: before }] = await h.sql('SELECT count(*)::int AS n FROM experiments.experiment');
    const res = await submit({ ...ENV, git: { commit: 'HEAD', dirty: 'yes', diffSha256: null }, env: { 'BAD-NAME': 'x' }, extra: 1 });
    const err = res.errors![0]!;
    expect(err.extensions!.code).toBe('INVALID_INPUT');
    for (const part of ['environment.extra: unknown field', 'environment.git.commit', 'environment.git.dirty', 'environment.env: key "BAD-NAME"']) expect(err.message).toContain(part);
    expect((await submit({ env: { BIG: 'x'.repeat(70_000) } })).errors![0]!.message).toMatch(/at most 65536 allowed/);
    expect((await submit([1])).errors![0]!.message).toContain('expected an object');
    const [{ n: after }] = await h.sql('SELECT count(*)::int AS n FROM experiments.experiment');
    expect(after).toBe(before);
  });

  it('reruns an experiment from its record: same spec and seed, same suggestions, linked as parent and child', async () => {
    const parent = (await submit(ENV)).data!.submitExperiment;
    const env2 = { ...ENV, git: { ...ENV.git, dirty: false, diffSha256: null } };
    const res = await h.q(alice, `mutation($id: ID!, $e: JSON) { rerunExperiment(id: $id, environment: $e) { ${FIELDS} } }`, { id: parent.id, e: env2 });
    expect(res.errors).toBeUndefined();
    const child = res.data!.rerunExperiment;
    expect(child.id).not.toBe(parent.id);
    expect(child).toMatchObject({ seed: 99, specHash: parent.specHash, environment: env2, parent: { id: parent.id }, children: [] });
    expect(child.trials.map((t: any) => [t.index, t.params, t.seed])).toEqual(parent.trials.map((t: any) => [t.index, t.params, t.seed]));
    const again = await h.q(alice, `query($id: ID!) { experiment(id: $id) { parent { id } children { id parent { id } } } }`, { id: parent.id });
    expect(again.data!.experiment).toEqual({ parent: null, children: [{ id: child.id, parent: { id: parent.id } }] });
    expect((await h.q(bob, 'mutation($id: ID!) { rerunExperiment(id: $id) { id } }', { id: parent.id })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await h.q(claimsFor.member('alpha', 'viewer'), 'mutation($id: ID!) { rerunExperiment(id: $id) { id } }', { id: parent.id })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('reruns on another executor: same seed and suggestions, trial.executor overridden and recorded as the override', async () => {
    const saved = process.env.FAIRSWEEP_EXECUTORS;
    process.env.FAIRSWEEP_EXECUTORS = 'slurm';
    try {
      const parent = (await submit(ENV)).data!.submitExperiment;
      const rerun = (executor: string | null) => h.q(alice, `mutation($id: ID!, $x: String) { rerunExperiment(id: $id, executor: $x) {
        ${FIELDS} spec rerunOverrides } }`, { id: parent.id, x: executor });
      const res = await rerun('slurm');
      expect(res.errors).toBeUndefined();
      const child = res.data!.rerunExperiment;
      expect(child).toMatchObject({ seed: 99, parent: { id: parent.id }, spec: { trial: { executor: 'slurm' } } });
      expect(child.specHash).not.toBe(parent.specHash);
      expect(child.trials.map((t: any) => [t.index, t.params, t.seed])).toEqual(parent.trials.map((t: any) => [t.index, t.params, t.seed]));
      expect(child.rerunOverrides).toEqual([{ path: 'trial.executor', parent: 'local', child: 'slurm' }]);
      // a plain rerun overrides nothing; a first submission is no rerun
      const plain = (await rerun(null)).data!.rerunExperiment;
      expect([plain.rerunOverrides, plain.specHash]).toEqual([[], parent.specHash]);
      const first = await h.q(alice, 'query($id: ID!) { experiment(id: $id) { rerunOverrides } }', { id: parent.id });
      expect(first.data!.experiment.rerunOverrides).toBeNull();
      // an executor this deployment does not have: a clear error, nothing stored
      const [{ n: before }] = await h.sql('SELECT count(*)::int AS n FROM experiments.experiment');
      const bad = (await rerun('kubernetes')).errors![0]!;
      expect(bad.extensions!.code).toBe('INVALID_INPUT');
      expect(bad.message).toBe('executor: "kubernetes" is not an installed executor; installed: local, slurm');
      const [{ n: after }] = await h.sql('SELECT count(*)::int AS n FROM experiments.experiment');
      expect(after).toBe(before);
      // the override cannot be rewritten afterwards: it is the difference of two immutable specs
      await expect(h.sql(`UPDATE experiments.experiment SET spec = $2 WHERE id = $1`, [child.id, JSON.stringify(parent.spec ?? {})])).rejects.toThrow(/immutable/);
    } finally {
      if (saved === undefined) delete process.env.FAIRSWEEP_EXECUTORS;
      else process.env.FAIRSWEEP_EXECUTORS = saved;
    }
  });

  it('answers provenance(trialId) in one query: record, suggestion, seed derivation, attempts, environment', async () => {
    const exp = (await submit(ENV)).data!.submitExperiment;
    const t = exp.trials[1];
    const base = { trialId: t.id, experimentId: exp.id, tenant: 'alpha', attemptId: 'alloc-7', at: '2026-01-01T00:00:01.000Z' };
    await h.computeEvent(TOPICS.trialStarted, { ...base, attempt: 1, pool: 'local', host: 'gpu-host-3', devices: ['GPU-0'] });
    await h.computeEvent(TOPICS.trialMetricReported, { ...base, name: 'loss', value: 0.1, step: 1 });
    await h.computeEvent(TOPICS.trialFinished, { ...base, at: '2026-01-01T00:00:09.000Z', outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exit 0' });
    const query = `query($id: ID!) { provenance(trialId: $id) {
      trial { id index params seed } experiment { id specHash seed strategy strategyVersion createdBy createdAt }
      suggestion { strategy strategyVersion options observedTrials rngPosition } experimentSeed seedDerivation environment
      attempts { attemptId attempt pool host devices startedAt finishedAt outcome exitCode signal reason } } }`;
    const p = await h.q(alice, query, { id: t.id });
    expect(p.errors).toBeUndefined();
    const prov = await eventually(async () => {
      const r = (await h.q(alice, query, { id: t.id })).data!.provenance;
      return r.attempts[0]?.finishedAt ? r : null;
    });
    expect(prov).toMatchObject({
      trial: { id: t.id, index: 1, params: t.params, seed: t.seed },
      experiment: { id: exp.id, specHash: exp.specHash, seed: 99, strategy: 'random', strategyVersion: '0.1.0', createdBy: 'member@alpha' },
      suggestion: { strategy: 'random', strategyVersion: '0.1.0', options: {}, observedTrials: [], rngPosition: expect.any(Number) },
      experimentSeed: 99,
      seedDerivation: `derive(99, 1) = ${t.seed}`,
      environment: ENV,
      attempts: [{ attemptId: 'alloc-7', attempt: 1, pool: 'local', host: 'gpu-host-3', devices: ['GPU-0'], startedAt: '2026-01-01T00:00:01.000Z',
        finishedAt: '2026-01-01T00:00:09.000Z', outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exit 0' }],
    });
    expect((await h.q(bob, query, { id: t.id })).data!.provenance).toBeNull();
    expect((await h.q(alice, query, { id: 'x' })).data!.provenance).toBeNull();
  });
});
