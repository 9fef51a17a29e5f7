import { createRng } from '../random/rng.js';
import { sampleParameter } from '../random/sample.js';
import { deriveTrialSeed } from '../random/trial-seed.js';
import { checkParamValues } from '../spec/param-values.js';
import type { SearchSpace } from '../spec/spec.types.js';
import { checkStrategyConformance } from './strategy.conformance.js';
import type { SearchStrategy, SuggestContext } from './strategy.types.js';

const shape = { name: 'toy', kind: 'strategy' as const, apiVersion: '1', version: '0.0.1' };

function pure(): SearchStrategy {
  return {
    ...shape,
    suggest(ctx: SuggestContext) {
      const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), 'toy');
      const params = Object.fromEntries(Object.keys(ctx.space).sort().map((n) => [n, sampleParameter(ctx.space[n], rng)]));
      return { params, rngPosition: rng.position };
    },
  };
}

describe('checkStrategyConformance', () => {
  it('passes a pure strategy', () => {
    expect(checkStrategyConformance(pure)).toEqual([]);
  });

  it('catches a strategy with hidden state', () => {
    let calls = 0;
    const stateful = (): SearchStrategy => ({ ...pure(), suggest: (ctx) => ({ params: pure().suggest({ ...ctx, trialIndex: calls++ }).params }) });
    expect(checkStrategyConformance(stateful, { trials: 2, seeds: [1] })).toEqual([
      'seed 1, trial 0: a second call gave another suggestion',
      'seed 1, trial 0: a fresh instance gave another suggestion',
      'seed 1, trial 1: a second call gave another suggestion',
      'seed 1, trial 1: a fresh instance gave another suggestion',
    ]);
  });

  it('catches suggestions outside the space', () => {
    const sloppy = (): SearchStrategy => ({ ...shape, suggest: () => ({ params: { lr: 5 } }) });
    const problems = checkStrategyConformance(sloppy, { trials: 1, seeds: [0] });
    expect(problems).toContain('seed 0, trial 0: lr: 5 is outside [0.00001, 1]');
    expect(problems).toContain('seed 0, trial 0: optimizer: missing');
  });

  it('catches a strategy that mutates its context', () => {
    const mutating = (): SearchStrategy => ({
      ...pure(),
      suggest: (ctx) => {
        (ctx.observations as unknown[]).push({});
        return pure().suggest(ctx);
      },
    });
    expect(checkStrategyConformance(mutating, { trials: 1, seeds: [0] })[0]).toMatch(/^seed 0, trial 0: suggest threw /);
  });

  it('reports a bad plugin shape', () => {
    const shapeless = () => ({ suggest: pure().suggest }) as unknown as SearchStrategy;
    expect(checkStrategyConformance(shapeless)[0]).toMatch(/is not a valid plugin/);
  });
});

describe('checkParamValues', () => {
  const space: SearchSpace = {
    x: { type: 'float', low: 0, high: 1, log: false },
    n: { type: 'int', low: 1, high: 9, step: 2, log: false },
    c: { type: 'categorical', choices: ['a', 1] },
  };

  it('accepts a configuration inside the space', () => {
    expect(checkParamValues(space, { x: 1, n: 9, c: 1 })).toEqual([]);
  });

  it('lists every problem', () => {
    expect(checkParamValues(space, { x: '0.5', n: 4, c: '1', extra: 1 })).toEqual([
      'extra: not a parameter of the search space',
      'x: expected a finite number, got "0.5"',
      'n: 4 is not low + k * step (step 2)',
      'c: "1" is not one of the choices',
    ]);
    expect(checkParamValues(space, { x: -1, n: 2.5 })).toEqual([
      'x: -1 is outside [0, 1]',
      'n: 2.5 is not an integer',
      'c: missing',
    ]);
  });
});
