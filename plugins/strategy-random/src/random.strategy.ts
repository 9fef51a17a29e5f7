import {
  buildConfiguration,
  createRng,
  deriveTrialSeed,
  sampleParameter,
  STRATEGY_API_VERSION,
  type SearchStrategy,
  type SuggestContext,
  type Suggestion,
} from '@fairsweep/sdk';

/** The package version; a test keeps it equal to package.json. */
export const RANDOM_STRATEGY_VERSION = '0.1.0';

/** The Rng stream this strategy draws from (part of its replay contract). */
export const RANDOM_STREAM = 'random';

/**
 * Random search. The configuration of trial i is a pure function of (space, experimentSeed, i):
 * parameters are drawn in sorted name order from `createRng(deriveTrialSeed(seed, i), 'random')`,
 * so it does not depend on scheduling order or on observations. In a conditional space, parents
 * are drawn before their children (`parameterOrder`) and an inactive parameter is neither drawn
 * nor suggested. Takes no options.
 */
export function createRandomStrategy(options: Record<string, unknown> = {}): SearchStrategy {
  assertNoOptions(options);
  return {
    name: 'random',
    kind: 'strategy',
    apiVersion: STRATEGY_API_VERSION,
    version: RANDOM_STRATEGY_VERSION,
    suggest(ctx: SuggestContext): Suggestion {
      const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), RANDOM_STREAM);
      const params = buildConfiguration(ctx.space, (name) => sampleParameter(ctx.space[name], rng));
      return { params, rngPosition: rng.position };
    },
  };
}

function assertNoOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`strategy "random": options must be a mapping, got ${Array.isArray(options) ? 'a list' : String(options)}`);
  }
  const unknown = Object.keys(options);
  if (unknown.length > 0) {
    throw new TypeError(`strategy "random": unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; it takes no options`);
  }
}
