import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually } from '@fairsweep/service-kit/testing';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';

type Loose = any;

const spec = (name: string, strategy: string) => `
apiVersion: fairsweep/v1
name: ${name}
seed: 3
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
strategy: ${strategy}
budget: { maxTrials: 2, maxParallel: 2 }
trial: { command: [node, train.js] }
`;

describe('compareExperiments', () => {
  let h: Harness;
  const alice = claimsFor.member('alpha');
  const bob = claimsFor.member('beta');

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Plays compute: runs both trials of an experiment on a pool with the given hardware. */
  const run = async (name: string, strategy: string, hw: { deviceType?: string; throughputFactor?: number }, secs: number, losses: number[]) => {
    const exp = (await h.q<Loose>(alice, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id trials { id index } } }', { s: spec(name, strategy) })).data.submitExperiment;
    for (const t of exp.trials) {
      const base = { trialId: t.id, experimentId: exp.id, tenant: 'alpha', attemptId: `${t.id}-1` };
      const start = Date.parse('2026-01-01T00:00:00Z') + t.index * 1000;
      await h.computeEvent(TOPICS.trialStarted, {
        ...base, attempt: 1, pool: 'p', host: 'h', devices: hw.deviceType ? ['0'] : [], at: new Date(start).toISOString(), ...hw,
        executor: { name: 'local', version: '0.1.0' }, quotaVersion: 7, gpus: hw.deviceType ? [{ id: '0', uuid: 'GPU-1234', name: hw.deviceType, memoryMb: 81920 }] : [],
        notes: ['cgroup v2 limits applied'],
      });
      await h.computeEvent(TOPICS.trialMetricReported, { ...base, name: 'loss', value: losses[t.index], step: null, at: new Date(start + secs * 500).toISOString() });
      await h.computeEvent(TOPICS.trialFinished, { ...base, outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exit 0', at: new Date(start + secs * 1000).toISOString() });
    }
    await eventually(async () => (await h.sql("SELECT count(*)::int AS n FROM experiments.trial WHERE experiment_id = $1 AND state = 'succeeded'", [exp.id]))[0]!.n === 2);
    return exp.id as string;
  };

  it('puts experiments side by side with trial times normalised across device types', async () => {
    const a = await run('on-a100', 'random', { deviceType: 'a100', throughputFactor: 2 }, 10, [0.4, 0.3]);
    const b = await run('on-t4', 'tpe', { deviceType: 't4', throughputFactor: 0.5 }, 40, [0.2, 0.5]);
    const c = await run('undeclared', 'random', {}, 5, [0.9, 0.8]);
    const res = await h.q<Loose>(alice, `query($ids: [ID!]!) { compareExperiments(ids: $ids) {
      metric direction comparable notes
      experiments { experiment { id name } rank trials { total succeeded } bestValue bestTrialIndex medianTrialSeconds medianNormalizedTrialSeconds
        normalizedComputeSeconds devices { deviceType throughputFactor attempts seconds } }
      specDifferences { path values } } }`, { ids: [a, b, c] });
    expect(res.errors).toBeUndefined();
    const cmp = res.data.compareExperiments;
    expect(cmp).toMatchObject({ metric: 'loss', direction: 'minimize', comparable: true });
    expect(cmp.experiments.map((e: Loose) => [e.experiment.name, e.rank, e.bestValue, e.medianTrialSeconds, e.medianNormalizedTrialSeconds])).toEqual([
      ['on-a100', 2, 0.3, 10, 20],
      ['on-t4', 1, 0.2, 40, 20],
      ['undeclared', 3, 0.8, 5, 5],
    ]);
    expect(cmp.experiments[1].devices).toEqual([{ deviceType: 't4', throughputFactor: 0.5, attempts: 2, seconds: 80 }]);
    expect(cmp.notes).toEqual(['2 attempt(s) ran on pools that declare no throughput factor; their times count at factor 1']);
    expect(cmp.specDifferences).toEqual(expect.arrayContaining([
      { path: 'name', values: ['on-a100', 'on-t4', 'undeclared'] },
      { path: 'strategy.name', values: ['random', 'tpe', 'random'] },
    ]));
    // The attempt's hardware, executor, quota version and isolation are part of its provenance too.
    const trialId = (await h.sql('SELECT id FROM experiments.trial WHERE experiment_id = $1 ORDER BY trial_index LIMIT 1', [b]))[0]!.id;
    const prov = (await h.q<Loose>(alice, 'query($id: ID!) { provenance(trialId: $id) { attempts { deviceType throughputFactor executor executorVersion quotaVersion gpus isolation } } }', { id: trialId })).data.provenance;
    expect(prov.attempts).toEqual([{
      deviceType: 't4', throughputFactor: 0.5, executor: 'local', executorVersion: '0.1.0', quotaVersion: 7,
      gpus: [{ id: '0', uuid: 'GPU-1234', name: 't4', memoryMb: 81920 }], isolation: ['cgroup v2 limits applied'],
    }]);

    // Another tenant's experiment is "not found", exactly like a missing one; bad arguments are named.
    const notFound = await h.q<Loose>(bob, 'query($ids: [ID!]!) { compareExperiments(ids: $ids) { metric } }', { ids: [a, b] });
    expect(notFound.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const one = await h.q<Loose>(alice, 'query($ids: [ID!]!) { compareExperiments(ids: $ids) { metric } }', { ids: [a] });
    expect(one.errors![0]!.message).toContain('give 2 to 20 experiment ids, got 1');
    const twice = await h.q<Loose>(alice, 'query($ids: [ID!]!) { compareExperiments(ids: $ids) { metric } }', { ids: [a, a] });
    expect(twice.errors![0]!.message).toContain('listed twice');
  });
});
