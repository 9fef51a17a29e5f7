import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPlugin, type SearchSpace, type SuggestContext } from '@fairsweep/sdk';
import { describeStrategyConformance, KIT_SPACE } from '@fairsweep/sdk/testing';
import createDefault, { createGridStrategy, GRID_STRATEGY_VERSION, gridSize } from './index.js';

describeStrategyConformance('grid', createGridStrategy);
describeStrategyConformance('grid with points', createGridStrategy, {
  options: [{ resolution: 3, points: { units: 4, act: ['relu', 3] } }],
  spaces: [KIT_SPACE],
});

const space: SearchSpace = {
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  drop: { type: 'float', low: 0, high: 0.5, log: false },
  layers: { type: 'int', low: 2, high: 8, step: 2, log: false },
  opt: { type: 'categorical', choices: ['adam', 'sgd'] },
};
const ctx = (trialIndex: number, experimentSeed = 5, s: SearchSpace = space): SuggestContext => ({
  space: s, objective: { metric: 'loss', direction: 'minimize' }, experimentSeed, trialIndex, observations: [],
});
const run = (options: Record<string, unknown>, n: number, seed = 5) => {
  const strategy = createGridStrategy(options);
  return Array.from({ length: n }, (_, i) => strategy.suggest(ctx(i, seed)).params);
};

describe('grid strategy', () => {
  it('is a valid strategy plugin named grid, versioned like its package', () => {
    expect(() => assertPlugin(createGridStrategy(), 'strategy')).not.toThrow();
    expect(createDefault).toBe(createGridStrategy);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(GRID_STRATEGY_VERSION).toBe(pkg.version);
  });

  it('visits every grid point exactly once in the first N trials, then cycles in the same order', () => {
    const options = { resolution: 3 };
    const n = gridSize(space, options);
    expect(n).toBe(3 * 3 * 4 * 2);
    const first = run(options, 2 * n);
    expect(new Set(first.slice(0, n).map((p) => JSON.stringify(p))).size).toBe(n);
    expect(first.slice(n)).toEqual(first.slice(0, n));
    expect(new Set(first.map((p) => p.lr))).toEqual(new Set([1e-4, 0.01, 1]));
    expect(new Set(first.map((p) => p.drop))).toEqual(new Set([0, 0.25, 0.5]));
    expect(new Set(first.map((p) => p.layers))).toEqual(new Set([2, 4, 6, 8]));
  });

  it('shuffles by seed, deterministically', () => {
    expect(run({ resolution: 3 }, 10, 5)).toEqual(run({ resolution: 3 }, 10, 5));
    expect(run({ resolution: 3 }, 10, 5)).not.toEqual(run({ resolution: 3 }, 10, 6));
  });

  it('takes counts or exact values per parameter', () => {
    const values = run({ points: { lr: [0.001, 0.1], drop: 2, layers: 2 } }, 16);
    expect(new Set(values.map((p) => p.lr))).toEqual(new Set([0.001, 0.1]));
    expect(new Set(values.map((p) => p.drop))).toEqual(new Set([0, 0.5]));
    expect(new Set(values.map((p) => p.layers))).toEqual(new Set([2, 8]));
    expect(new Set(values.map((p) => JSON.stringify(p))).size).toBe(16);
  });

  it('reports exhaustion clearly with onExhausted: error', () => {
    const options = { resolution: 2, onExhausted: 'error' };
    const strategy = createGridStrategy(options);
    expect(() => strategy.suggest(ctx(31))).not.toThrow();
    expect(() => strategy.suggest(ctx(32))).toThrow('strategy "grid": all 32 grid points were suggested by trial 31; trial 32 has none left (set budget.maxTrials <= 32, or onExhausted: cycle)');
  });

  it('orders a huge grid without listing it', () => {
    const huge: SearchSpace = { a: { type: 'int', low: 0, high: 999999, step: 1, log: false }, b: { type: 'int', low: 0, high: 99999, step: 1, log: false } };
    expect(gridSize(huge)).toBe(1e11);
    const strategy = createGridStrategy();
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => JSON.stringify(strategy.suggest(ctx(i, 1, huge)).params)));
    expect(seen.size).toBe(2000);
    const tooBig: SearchSpace = { ...huge, c: { type: 'int', low: 0, high: 99999, step: 1, log: false } };
    expect(() => strategy.suggest(ctx(0, 1, tooBig))).toThrow(/more than 2\^40; give fewer "points" or a lower "resolution"/);
  });

  it('in a conditional space, visits only valid combinations, each exactly once, in seeded order', () => {
    const conditional: SearchSpace = {
      opt: { type: 'categorical', choices: ['adam', 'sgd'] },
      momentum: { type: 'float', low: 0.5, high: 0.9, log: false, when: { opt: ['sgd'] } },
      nesterov: { type: 'categorical', choices: [true, false], when: { opt: ['sgd'] } },
      damp: { type: 'float', low: 0, high: 0.5, log: false, when: { nesterov: [false] } },
      depth: { type: 'int', low: 1, high: 2, step: 1, log: false },
    };
    const options = { resolution: 3 };
    // adam: depth(2) = 2; sgd: momentum(3) × (nesterov true: 1 + nesterov false: damp 3) × depth(2) = 24
    const n = gridSize(conditional, options);
    expect(n).toBe(2 + 24);
    const strategy = createGridStrategy(options);
    const points = Array.from({ length: n }, (_, i) => strategy.suggest(ctx(i, 5, conditional)).params);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(n);
    expect(points.filter((p) => p.opt === 'adam')).toHaveLength(2);
    for (const p of points.filter((q) => q.opt === 'adam')) expect(Object.keys(p).sort()).toEqual(['depth', 'opt']);
    expect(points.filter((p) => 'damp' in p).every((p) => p.nesterov === false && p.opt === 'sgd')).toBe(true);
    const other = createGridStrategy(options);
    expect(Array.from({ length: n }, (_, i) => other.suggest(ctx(i, 6, conditional)).params)).not.toEqual(points);
  });

  it.each([
    [{ resolution: 1 }, 'option "resolution" must be an integer >= 2, got 1'],
    [{ steps: 3 }, 'unknown option "steps"; allowed: resolution, points, onExhausted'],
    [{ points: { lr: [] } }, 'option "points.lr" must be an integer >= 2 or a non-empty list of values, got []'],
    [{ onExhausted: 'stop' }, 'option "onExhausted" must be "cycle" or "error", got "stop"'],
  ])('refuses options %j', (options, message) => {
    expect(() => createGridStrategy(options)).toThrow(`strategy "grid": ${message}`);
  });

  it('refuses points that do not fit the space, naming them', () => {
    expect(() => createGridStrategy({ points: { lr: [5] } }).suggest(ctx(0))).toThrow('strategy "grid": points.lr: lr: 5 is outside [0.0001, 1]');
    expect(() => createGridStrategy({ points: { nope: 3 } }).suggest(ctx(0))).toThrow('strategy "grid": points.nope: not a parameter of the search space');
  });
});
