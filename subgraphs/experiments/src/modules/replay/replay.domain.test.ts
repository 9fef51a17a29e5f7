import { createRng, deriveTrialSeed, type Observation, type SearchSpace, type SearchStrategy } from '@fairsweep/sdk';
import { createRandomStrategy } from '@fairsweep/strategy-random';
import { createObservingStrategy, OBSERVING_STRATEGY } from '../../testing-internal/observing-strategy.js';
import { replay, type ReplayRecord, type ReplayTrial, type StrategyFactoryFn } from './replay.domain.js';

const space: SearchSpace = {
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  units: { type: 'int', low: 8, high: 256, step: 8, log: false },
  opt: { type: 'categorical', choices: ['sgd', 'adam'] },
};
const objective = { metric: 'loss', direction: 'minimize' as const };
const factories: StrategyFactoryFn = (name) =>
  name === 'random' ? createRandomStrategy() : name === OBSERVING_STRATEGY ? createObservingStrategy() : { error: 'not installed', path: 'strategy.name' };

/** An asynchronous sweep in memory: `parallel` trials in flight, completions in a shuffled order. */
function simulate(strategy: SearchStrategy, maxTrials: number, parallel: number, seed: number, orderSeed: number): ReplayRecord {
  const order = createRng(orderSeed, 'completion');
  const trials: ReplayTrial[] = [];
  const observations: Observation[] = [];
  const active: ReplayTrial[] = [];
  const create = () => {
    const index = trials.length;
    const s = strategy.suggest({ space, objective, experimentSeed: seed, trialIndex: index, observations: [...observations] });
    const t: ReplayTrial = {
      index, params: s.params, seed: deriveTrialSeed(seed, index), state: 'pending', value: null,
      suggestion: { strategy: strategy.name, strategyVersion: strategy.version, options: {}, observedTrials: observations.map((o) => o.trialIndex), rngPosition: s.rngPosition ?? null },
    };
    trials.push(t);
    active.push(t);
  };
  while (trials.length < maxTrials || active.length > 0) {
    while (active.length < parallel && trials.length < maxTrials) create();
    const [done] = active.splice(order.nextUint32() % active.length, 1);
    const failed = order.nextUint32() % 10 === 0;
    Object.assign(done!, { state: failed ? 'failed' : 'succeeded', value: failed ? null : order.next() });
    observations.push({ trialIndex: done!.index, params: done!.params, state: failed ? 'failed' : 'succeeded', value: done!.value });
  }
  return { seed, strategy: strategy.name, strategyVersion: strategy.version, spec: { searchSpace: space, objective, strategy: { name: strategy.name, options: {} } }, trials };
}

const clone = (r: ReplayRecord): ReplayRecord => structuredClone(r);

describe('replay', () => {
  it.each([['random', createRandomStrategy()], [OBSERVING_STRATEGY, createObservingStrategy()]])(
    'matches every suggestion of a 100-trial, 8-parallel sweep with shuffled completions (%s)',
    (_name, strategy) => {
      for (const orderSeed of [1, 2, 3]) {
        const record = simulate(strategy, 100, 8, 42, orderSeed);
        expect(replay(record, factories)).toEqual({ match: true, checked: 100, matched: 100 });
      }
    },
  );

  it('reports the first trial conditioned on a changed observation, with the parameter and both values', () => {
    const record = simulate(createObservingStrategy(), 100, 8, 42, 7);
    const tampered = clone(record);
    const victim = tampered.trials.find((t) => t.index === 30 && t.value !== null) ?? tampered.trials.find((t) => t.index > 30 && t.value !== null)!;
    victim.value = victim.value! + 1e-9;
    const first = tampered.trials.filter((t) => t.suggestion.observedTrials.includes(victim.index)).sort((a, b) => a.index - b.index)[0]!;
    const report = replay(tampered, factories);
    expect(report.match).toBe(false);
    expect(report.checked).toBe(100);
    expect(report.matched).toBeLessThan(100);
    expect(report.firstDivergence).toMatchObject({ trialIndex: first.index, field: 'params', parameter: 'lr', expected: first.params.lr });
    expect(report.firstDivergence!.actual).not.toBe(first.params.lr);
    expect(report.firstDivergence!.message).toMatch(new RegExp(`^trial ${first.index}: parameter lr: recorded `));
  });

  it('compares numbers bit for bit', () => {
    const record = simulate(createRandomStrategy(), 5, 2, 1, 1);
    const t = clone(record);
    const lr = t.trials[3]!.params.lr as number;
    t.trials[3]!.params.lr = lr + Number.EPSILON * lr;
    expect(replay(t, factories).firstDivergence).toMatchObject({ trialIndex: 3, field: 'params', parameter: 'lr', expected: t.trials[3]!.params.lr, actual: lr });
  });

  it('reports a changed seed, a missing parameter and an unknown observation', () => {
    const record = simulate(createRandomStrategy(), 6, 2, 9, 3);
    const seed = clone(record);
    seed.trials[2]!.seed += 1;
    expect(replay(seed, factories).firstDivergence).toMatchObject({ trialIndex: 2, field: 'seed', expected: record.trials[2]!.seed + 1, actual: record.trials[2]!.seed });
    const missing = clone(record);
    delete missing.trials[4]!.params.opt;
    expect(replay(missing, factories).firstDivergence).toMatchObject({ trialIndex: 4, field: 'params', parameter: 'opt', expected: null, actual: record.trials[4]!.params.opt });
    const obs = clone(record);
    obs.trials[5]!.suggestion.observedTrials.push(99);
    expect(replay(obs, factories).firstDivergence).toMatchObject({ trialIndex: 5, field: 'observations', actual: 'no trial 99' });
  });

  it('reports a strategy version that differs from the recorded one, and a strategy that is not installed', () => {
    const record = simulate(createRandomStrategy(), 3, 2, 5, 5);
    const old = clone(record);
    for (const t of old.trials) t.suggestion.strategyVersion = '0.0.1';
    const report = replay(old, factories);
    expect(report).toMatchObject({ match: false, matched: 0, firstDivergence: { trialIndex: 0, field: 'strategy', expected: '0.0.1', actual: createRandomStrategy().version } });
    expect(report.firstDivergence!.message).toContain('recorded with random@0.0.1, installed is random@');
    const gone = clone(record);
    gone.strategy = 'nope';
    for (const t of gone.trials) t.suggestion.strategy = 'nope';
    expect(replay(gone, factories).firstDivergence).toMatchObject({ trialIndex: 0, field: 'strategy', message: expect.stringContaining('not installed') });
  });

  it('matches an experiment with no trials', () => {
    expect(replay({ ...simulate(createRandomStrategy(), 1, 1, 0, 0), trials: [] }, factories)).toEqual({ match: true, checked: 0, matched: 0 });
  });
});
