import { createHash } from 'node:crypto';
import { canonicalJson, createRng, deriveTrialSeed, sampleParameter, STRATEGY_API_VERSION, type SearchStrategy } from '@fairsweep/sdk';

/**
 * A test-only strategy whose suggestions depend on every observation (its random stream is keyed
 * by a hash of them), so a changed observation changes every later suggestion.
 */
export const OBSERVING_STRATEGY = 'test-observing';

export function createObservingStrategy(): SearchStrategy {
  return {
    name: OBSERVING_STRATEGY,
    kind: 'strategy',
    apiVersion: STRATEGY_API_VERSION,
    version: '1.0.0',
    suggest(ctx) {
      const digest = createHash('sha256').update(canonicalJson(ctx.observations)).digest('hex');
      const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), `observing:${digest}`);
      const params = Object.fromEntries(Object.keys(ctx.space).sort().map((name) => [name, sampleParameter(ctx.space[name]!, rng)]));
      return { params, rngPosition: rng.position };
    },
  };
}
