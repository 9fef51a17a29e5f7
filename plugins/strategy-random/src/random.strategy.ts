import {
  buildConfiguration,
  createRng,
  deriveTrialSeed,
  isUint32,
  parameterOrder,
  sampleParameter,
  STRATEGY_API_VERSION,
  type Rng,
  type SearchStrategy,
  type SuggestContext,
  type Suggestion,
} from '@fairsweep/sdk';
import { parseRandomOptions } from './random.options.js';
import { shiftedUnitPoint, SOBOL_LENGTH, SOBOL_MAX_DIMENSIONS } from './sobol.js';

/** The package version; a test keeps it equal to package.json. */
export const RANDOM_STRATEGY_VERSION = '0.1.0';

/** The Rng stream this strategy draws from (part of its replay contract). */
export const RANDOM_STREAM = 'random';

/** The Rng stream of the experiment seed that the Sobol sampler's digital shift comes from (replay contract). */
export const SOBOL_STREAM = 'sobol';

/**
 * Random search. The configuration of trial i is a pure function of (space, experimentSeed, i),
 * so it does not depend on scheduling order or on observations. In a conditional space, parents
 * are drawn before their children (`parameterOrder`) and an inactive parameter is not suggested.
 *
 * - `sampler: random` (default): parameters are drawn in that order from
 *   `createRng(deriveTrialSeed(seed, i), 'random')`.
 * - `sampler: sobol`: trial i takes point i of a Sobol sequence (Joe & Kuo directions), with one
 *   dimension per parameter (its index in `parameterOrder`), XOR-shifted by 32 bits per dimension
 *   from `createRng(seed, 'sobol')`; each coordinate goes through `sampleParameter` as its uniform.
 */
export function createRandomStrategy(options: Record<string, unknown> = {}): SearchStrategy {
  const { sampler } = parseRandomOptions(options);
  return {
    name: 'random',
    kind: 'strategy',
    apiVersion: STRATEGY_API_VERSION,
    version: RANDOM_STRATEGY_VERSION,
    suggest: sampler === 'sobol' ? suggestSobol : suggestRandom,
  };
}

function suggestRandom(ctx: SuggestContext): Suggestion {
  const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), RANDOM_STREAM);
  const params = buildConfiguration(ctx.space, (name) => sampleParameter(ctx.space[name], rng));
  return { params, rngPosition: rng.position };
}

/** `rngPosition` is the number of shift words drawn: one per parameter of the space, active or not. */
function suggestSobol(ctx: SuggestContext): Suggestion {
  const { experimentSeed, trialIndex } = ctx;
  if (!isUint32(experimentSeed)) {
    throw new RangeError(`strategy "random" (sampler "sobol"): experimentSeed must be an integer in 0..4294967295, got ${String(experimentSeed)}`);
  }
  if (!Number.isSafeInteger(trialIndex) || trialIndex < 0 || trialIndex >= SOBOL_LENGTH) {
    throw new RangeError(`strategy "random" (sampler "sobol"): trialIndex must be a non-negative integer below 2^32 (the sequence's length), got ${String(trialIndex)}`);
  }
  const order = parameterOrder(ctx.space);
  if (order.length > SOBOL_MAX_DIMENSIONS) {
    throw new RangeError(
      `strategy "random": sampler "sobol" supports at most ${SOBOL_MAX_DIMENSIONS} parameters, the search space has ${order.length}; use sampler "random" for larger spaces`,
    );
  }
  const rng = createRng(experimentSeed, SOBOL_STREAM);
  const shift = Uint32Array.from(order, () => rng.nextUint32());
  const point = shiftedUnitPoint(trialIndex, shift);
  const dimension = new Map(order.map((name, k) => [name, k]));
  const params = buildConfiguration(ctx.space, (name) => sampleParameter(ctx.space[name], uniform(point[dimension.get(name) as number])));
  return { params, rngPosition: rng.position };
}

/**
 * An Rng whose one `next()` is the given unit coordinate, so `sampleParameter` maps it exactly as
 * it maps a random draw (bounds, steps, log scales, choices are shared).
 */
function uniform(u: number): Rng {
  let used = false;
  return {
    next() {
      if (used) throw new Error('sampleParameter asked for a second uniform; the Sobol sampler gives one per parameter');
      used = true;
      return u;
    },
    nextUint32() {
      throw new Error('sampleParameter asked for raw bits; the Sobol sampler gives one uniform per parameter');
    },
    get position() {
      return used ? 2 : 0;
    },
  };
}
