import { canonicalJson } from '../json/canonical-json.js';
import { assertPlugin } from '../plugin/plugin.assert.js';
import { checkParamValues } from '../spec/param-values.js';
import type { SearchSpace } from '../spec/spec.types.js';
import type { Observation, SearchStrategy, SuggestContext } from './strategy.types.js';

/** A space with every parameter kind, used when the caller gives none. */
export const CONFORMANCE_SPACE: SearchSpace = {
  lr: { type: 'float', low: 1e-5, high: 1, log: true },
  dropout: { type: 'float', low: 0, high: 0.5, log: false },
  layers: { type: 'int', low: 1, high: 9, step: 2, log: false },
  batch: { type: 'int', low: 8, high: 512, step: 1, log: true },
  optimizer: { type: 'categorical', choices: ['adam', 'sgd', 1, true] },
};

export interface ConformanceOptions {
  spaces?: SearchSpace[];
  seeds?: number[];
  trials?: number;
}

/**
 * The checks every strategy must pass, third-party ones too: a valid plugin shape; suggestions
 * inside the space; the same context gives the same suggestion, from the same instance and from
 * a fresh one; contexts are not mutated (they are frozen here). Returns the problems found, `[]`
 * when it conforms; use it in a test as `expect(checkStrategyConformance(create)).toEqual([])`.
 */
export function checkStrategyConformance(create: () => SearchStrategy, opts: ConformanceOptions = {}): string[] {
  const problems: string[] = [];
  const strategy = create();
  try {
    assertPlugin(strategy, 'strategy');
  } catch (error) {
    return [(error as Error).message];
  }
  const twin = create();
  for (const space of opts.spaces ?? [CONFORMANCE_SPACE]) {
    for (const seed of opts.seeds ?? [0, 1, 4294967295]) {
      const observations: Observation[] = [];
      for (let trialIndex = 0; trialIndex < (opts.trials ?? 20); trialIndex++) {
        const ctx = deepFreeze(structuredClone<SuggestContext>({
          space,
          objective: { metric: 'loss', direction: 'minimize' },
          experimentSeed: seed,
          trialIndex,
          observations,
        }));
        const where = `seed ${seed}, trial ${trialIndex}`;
        try {
          const first = strategy.suggest(ctx);
          for (const p of checkParamValues(space, first.params)) problems.push(`${where}: ${p}`);
          if (canonicalJson(strategy.suggest(ctx)) !== canonicalJson(first)) problems.push(`${where}: a second call gave another suggestion`);
          if (canonicalJson(twin.suggest(ctx)) !== canonicalJson(first)) problems.push(`${where}: a fresh instance gave another suggestion`);
          const failed = trialIndex % 5 === 4;
          observations.push({ trialIndex, params: first.params, state: failed ? 'failed' : 'succeeded', value: failed ? null : trialIndex / 10 });
        } catch (error) {
          problems.push(`${where}: suggest threw ${(error as Error).message}`);
        }
      }
    }
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
