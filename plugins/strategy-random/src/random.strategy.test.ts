import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertPlugin,
  checkParamValues,
  checkStrategyConformance,
  CONFORMANCE_SPACE,
  type Observation,
  type SearchSpace,
  type SuggestContext,
} from '@fairsweep/sdk';
import createDefault, { createRandomStrategy, RANDOM_STRATEGY_VERSION } from './index.js';

const space: SearchSpace = {
  lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
  dropout: { type: 'float', low: 0, high: 0.5, log: false },
  units: { type: 'int', low: 16, high: 256, step: 16, log: false },
  batch: { type: 'int', low: 1, high: 1024, step: 1, log: true },
  optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
  augment: { type: 'categorical', choices: [true, false] },
};

const ctx = (trialIndex: number, over: Partial<SuggestContext> = {}): SuggestContext => ({
  space,
  objective: { metric: 'loss', direction: 'minimize' },
  experimentSeed: 42,
  trialIndex,
  observations: [],
  ...over,
});

const strategy = createRandomStrategy();
const many = (n: number, seed = 42) => Array.from({ length: n }, (_, i) => strategy.suggest(ctx(i, { experimentSeed: seed })).params);

describe('random strategy', () => {
  it('is a valid strategy plugin, exported as default too', () => {
    expect(() => assertPlugin(strategy, 'strategy')).not.toThrow();
    expect(strategy).toMatchObject({ name: 'random', kind: 'strategy', apiVersion: '1', version: '0.1.0' });
    expect(createDefault).toBe(createRandomStrategy);
  });

  it('declares the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(RANDOM_STRATEGY_VERSION).toBe(pkg.version);
  });

  it('gives the same suggestions with `sampler: random` as with no options', () => {
    const explicit = createRandomStrategy({ sampler: 'random' });
    for (let i = 0; i < 20; i++) expect(explicit.suggest(ctx(i))).toEqual(strategy.suggest(ctx(i)));
  });

  it('passes the SDK conformance check', () => {
    expect(checkStrategyConformance(() => createRandomStrategy({}))).toEqual([]);
    expect(checkStrategyConformance(() => createRandomStrategy(), { spaces: [space], seeds: [7], trials: 50 })).toEqual([]);
  });

  it('is a pure function of (space, seed, trial index)', () => {
    const a = createRandomStrategy().suggest(ctx(5));
    const b = createRandomStrategy().suggest(ctx(5));
    expect(b).toEqual(a);
    // independent of scheduling order: compute 0..9 forwards and backwards
    const forwards = Array.from({ length: 10 }, (_, i) => strategy.suggest(ctx(i)).params);
    const backwards = Array.from({ length: 10 }, (_, i) => strategy.suggest(ctx(9 - i)).params).reverse();
    expect(backwards).toEqual(forwards);
  });

  it('is pinned (changing it breaks replay of recorded experiments)', () => {
    const { params, rngPosition } = strategy.suggest(ctx(0, { space: CONFORMANCE_SPACE }));
    expect(rngPosition).toBe(10);
    expect(params).toEqual(PINNED_TRIAL_0);
  });

  it('draws only the active parameters of a conditional space, parents first', () => {
    const conditional: SearchSpace = {
      optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
      momentum: { type: 'float', low: 0.5, high: 0.99, log: false, when: { optimizer: ['sgd'] } },
    };
    const draws = Array.from({ length: 200 }, (_, i) => strategy.suggest(ctx(i, { space: conditional })));
    for (const { params } of draws) expect(checkParamValues(conditional, params)).toEqual([]);
    // one draw per active parameter: sgd trials advance the stream twice as far as adam trials
    const perParam = new Set(draws.map((d) => d.rngPosition! / Object.keys(d.params).length));
    expect(perParam.size).toBe(1);
    expect(new Set(draws.map((d) => d.params.optimizer))).toEqual(new Set(['adam', 'sgd']));
  });

  it('ignores observations', () => {
    const observations: Observation[] = [
      { trialIndex: 0, params: { lr: 0.01 }, state: 'succeeded', value: 0.2 },
      { trialIndex: 1, params: { lr: 0.02 }, state: 'failed', value: null },
    ];
    expect(strategy.suggest(ctx(3, { observations }))).toEqual(strategy.suggest(ctx(3)));
  });

  it('does not depend on the order parameters are listed in', () => {
    const reversed = Object.fromEntries(Object.entries(space).reverse());
    expect(strategy.suggest(ctx(2, { space: reversed })).params).toEqual(strategy.suggest(ctx(2)).params);
  });

  it('gives different configurations for different trial indices and seeds', () => {
    const keys = new Set(many(200).map((p) => JSON.stringify(p)));
    expect(keys.size).toBe(200);
    expect(strategy.suggest(ctx(0, { experimentSeed: 1 })).params).not.toEqual(strategy.suggest(ctx(0, { experimentSeed: 2 })).params);
  });

  it('respects bounds, types, steps and choices over many draws', () => {
    const draws = many(5000);
    for (const params of draws) expect(checkParamValues(space, params)).toEqual([]);
    expect(new Set(draws.map((p) => p.units))).toEqual(new Set(Array.from({ length: 16 }, (_, i) => 16 + 16 * i)));
    expect(new Set(draws.map((p) => p.optimizer))).toEqual(new Set(['adam', 'sgd', 'rmsprop']));
    expect(new Set(draws.map((p) => typeof p.augment))).toEqual(new Set(['boolean']));
  });

  it('samples log-uniformly: median near the geometric mean, one quarter per decade', () => {
    const lrs = many(8000).map((p) => p.lr as number).sort((a, b) => a - b);
    const median = lrs[lrs.length / 2];
    expect(Math.abs(Math.log10(median) - -3)).toBeLessThan(0.1);
    for (const [lo, hi] of [[1e-5, 1e-4], [1e-4, 1e-3], [1e-3, 1e-2], [1e-2, 1e-1]]) {
      const share = lrs.filter((x) => x >= lo && x < hi).length / lrs.length;
      expect(Math.abs(share - 0.25)).toBeLessThan(0.03);
    }
    // log-scale ints are log-uniform on [low - 0.5, high + 0.5], then rounded
    const batches = many(8000).map((p) => p.batch as number).sort((a, b) => a - b);
    expect(Math.abs(Math.log2(batches[4000]) - Math.log2(Math.sqrt(0.5 * 1024.5)))).toBeLessThan(0.2);
  });

  it('samples uniform floats with mean near the middle', () => {
    const dropouts = many(8000).map((p) => p.dropout as number);
    expect(Math.abs(dropouts.reduce((a, b) => a + b, 0) / dropouts.length - 0.25)).toBeLessThan(0.01);
  });

  it.each([
    [{ n_startup: 10 }, 'strategy "random": unknown option "n_startup"; allowed: sampler'],
    [{ a: 1, b: 2 }, 'strategy "random": unknown options "a", "b"; allowed: sampler'],
    [[] as unknown as Record<string, unknown>, 'strategy "random": options must be a mapping, got a list'],
    [{ sampler: 'halton' }, 'strategy "random": option "sampler" must be "random" or "sobol", got "halton"'],
    [{ sampler: null, seed: 1 }, 'strategy "random": unknown option "seed"; allowed: sampler; option "sampler" must be "random" or "sobol", got null'],
  ])('refuses options %j', (options, message) => {
    expect(() => createRandomStrategy(options)).toThrow(message);
  });

  it('refuses a context with an invalid seed or index', () => {
    expect(() => strategy.suggest(ctx(-1))).toThrow(/trialIndex must be a non-negative integer/);
    expect(() => strategy.suggest(ctx(0, { experimentSeed: 2 ** 32 }))).toThrow(/experimentSeed must be an integer/);
  });
});

// Recorded from this implementation; SDK tests pin the generator underneath against the reference C code.
const PINNED_TRIAL_0 = { batch: 22, dropout: 0.18861473953510455, layers: 3, lr: 0.00022422524302425826, optimizer: 1 };
