import { claimsFor } from '@fairsweep/service-kit/testing';
import { registerStrategy } from './modules/sweep/strategy.registry.js';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';
import { createObservingStrategy, OBSERVING_STRATEGY } from './testing-internal/observing-strategy.js';

const spec = (strategy: string, seed: number) => `
apiVersion: fairsweep/v1
kind: Experiment
name: replay-${strategy}
seed: ${seed}
searchSpace:
  lr: { type: float, low: 0.0001, high: 0.1, log: true }
  units: { type: int, low: 16, high: 256, step: 16 }
  opt: { type: categorical, choices: [sgd, adam] }
objective: { metric: loss, direction: minimize }
strategy: { name: ${strategy} }
budget: { maxTrials: 100, maxParallel: 8 }
trial: { command: [node, train.js], resources: { cpus: 1, gpus: 0, memoryMb: 128 } }
`;

const REPORT = `query($id: ID!) { replayExperiment(id: $id) { experimentId match checked matched strategy strategyVersion
  firstDivergence { trialIndex trialId parameter field expected actual message } } }`;

describe('replay of recorded sweeps', () => {
  let h: Harness;
  let unregister: () => void;
  const alice = claimsFor.member('alpha');
  const sweeps: Record<string, string> = {};

  beforeAll(async () => {
    unregister = registerStrategy(OBSERVING_STRATEGY, createObservingStrategy);
    h = await startHarness();
    for (const [strategy, seed, order] of [['random', 11, 1], [OBSERVING_STRATEGY, 12, 2], ['tpe', 13, 3]] as const) {
      const res = await h.q(alice, 'mutation($t: String!, $s: String!) { submitExperiment(tenant: $t, spec: $s) { id } }', { t: 'alpha', s: spec(strategy, seed) });
      expect(res.errors).toBeUndefined();
      sweeps[strategy] = res.data!.submitExperiment.id;
      await h.runSweep(sweeps[strategy]!, 'alpha', order);
    }
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    unregister?.();
  });

  it.each(['random', OBSERVING_STRATEGY, 'tpe'])('replays a 100-trial sweep run 8 at a time with shuffled completions: 100 %% match (%s)', async (strategy) => {
    const id = sweeps[strategy]!;
    const [{ n, conditioned }] = await h.sql(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE jsonb_array_length(suggestion->'observedTrials') > 0)::int AS conditioned FROM experiments.trial WHERE experiment_id = $1`, [id],
    );
    expect(n).toBe(100);
    expect(conditioned).toBe(92);
    // Completions really were out of index order: some observation lists are not ascending.
    const lists = (await h.sql(`SELECT suggestion->'observedTrials' AS o FROM experiments.trial WHERE experiment_id = $1`, [id])).map((r) => r.o as number[]);
    expect(lists.some((o) => o.some((v, i) => i > 0 && v < o[i - 1]!))).toBe(true);
    const res = await h.q(alice, REPORT, { id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.replayExperiment).toEqual({ experimentId: id, match: true, checked: 100, matched: 100, strategy, strategyVersion: expect.any(String), firstDivergence: null });
  });

  it('reports the first trial conditioned on a changed observation: which trial, which parameter, expected vs actual', async () => {
    const id = sweeps[OBSERVING_STRATEGY]!;
    const [victim] = await h.sql(`SELECT trial_index, value FROM experiments.trial WHERE experiment_id = $1 AND state = 'succeeded' AND trial_index >= 40 ORDER BY trial_index LIMIT 1`, [id]);
    const [first] = await h.sql(
      `SELECT id, trial_index, params FROM experiments.trial WHERE experiment_id = $1 AND suggestion->'observedTrials' @> $2::jsonb ORDER BY trial_index LIMIT 1`,
      [id, JSON.stringify([victim!.trial_index])],
    );
    await h.sql('UPDATE experiments.trial SET value = value + 0.5 WHERE experiment_id = $1 AND trial_index = $2', [id, victim!.trial_index]);
    try {
      const report = (await h.q(alice, REPORT, { id })).data!.replayExperiment;
      expect(report.match).toBe(false);
      expect(report.checked).toBe(100);
      expect(report.firstDivergence).toMatchObject({ trialIndex: first!.trial_index, trialId: first!.id, field: 'PARAMS', parameter: 'lr', expected: first!.params.lr });
      expect(typeof report.firstDivergence.actual).toBe('number');
      expect(report.firstDivergence.actual).not.toBe(first!.params.lr);
      expect(report.firstDivergence.message).toContain(`trial ${first!.trial_index}: parameter lr: recorded ${first!.params.lr}, re-derived ${report.firstDivergence.actual}`);
    } finally {
      await h.sql('UPDATE experiments.trial SET value = $3 WHERE experiment_id = $1 AND trial_index = $2', [id, victim!.trial_index, victim!.value]);
    }
    expect((await h.q(alice, REPORT, { id })).data!.replayExperiment.match).toBe(true);
  });

  it('reports the first divergence of a TPE sweep whose recorded observation changed', async () => {
    const id = sweeps.tpe!;
    const [victim] = await h.sql(`SELECT trial_index FROM experiments.trial WHERE experiment_id = $1 AND state = 'succeeded' AND trial_index < 8 ORDER BY trial_index LIMIT 1`, [id]);
    await h.sql('UPDATE experiments.trial SET value = -1000 WHERE experiment_id = $1 AND trial_index = $2', [id, victim!.trial_index]);
    const report = (await h.q(alice, REPORT, { id })).data!.replayExperiment;
    expect(report).toMatchObject({ match: false, checked: 100, firstDivergence: { field: 'PARAMS' } });
    const d = report.firstDivergence;
    const [rec] = await h.sql('SELECT params, suggestion FROM experiments.trial WHERE experiment_id = $1 AND trial_index = $2', [id, d.trialIndex]);
    expect(rec!.suggestion.observedTrials).toContain(victim!.trial_index);
    expect(d.expected).toEqual(rec!.params[d.parameter]);
    expect(d.actual).not.toEqual(d.expected);
  });

  it('reports a tampered parameter or seed of a random sweep', async () => {
    const id = sweeps.random!;
    await h.sql(`UPDATE experiments.trial SET params = jsonb_set(params, '{units}', '999') WHERE experiment_id = $1 AND trial_index = 57`, [id]);
    await h.sql(`UPDATE experiments.trial SET seed = seed + 1 WHERE experiment_id = $1 AND trial_index = 80`, [id]);
    const report = (await h.q(alice, REPORT, { id })).data!.replayExperiment;
    expect(report).toMatchObject({ match: false, checked: 100, matched: 98, firstDivergence: { trialIndex: 57, field: 'PARAMS', parameter: 'units', expected: 999 } });
  });

  it('answers NOT_FOUND for another tenant experiment and for unknown ids', async () => {
    const bob = claimsFor.member('beta');
    expect((await h.q(bob, REPORT, { id: sweeps.random })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await h.q(alice, REPORT, { id: 'nope' })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});
