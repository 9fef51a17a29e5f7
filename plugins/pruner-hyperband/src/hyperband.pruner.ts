import { parsePrunerIntOptions, PRUNER_API_VERSION, type Pruner, type PruneContext, type PruneDecision } from '@fairsweep/sdk';
import { successiveHalving } from '@fairsweep/pruner-asha';

/** The package version; a test keeps it equal to package.json. */
export const HYPERBAND_PRUNER_VERSION = '0.1.0';

/**
 * Hyperband, as Optuna 3.1's HyperbandPruner with an explicit `maxResource`: ⌊log_η(max/min)⌋ + 1
 * brackets; bracket b runs asynchronous successive halving with early-stopping rate b, among its
 * own trials only. A trial's bracket is a pure function of its index: a 32-bit hash of the index
 * modulo the brackets' total budget, bracket b's budget being ⌈n·η^(n−1−b)/(n−b)⌉ (Optuna's
 * allocation; Optuna hashes the study name with the trial number instead).
 */
export function createHyperbandPruner(options: Record<string, unknown> = {}): Pruner {
  const opts = parsePrunerIntOptions('hyperband', options, { minResource: 1, maxResource: 0, reductionFactor: 3 }, { minResource: 1, maxResource: 1, reductionFactor: 2 });
  if (!('maxResource' in options)) throw new TypeError('pruner "hyperband": option "maxResource" is required: the step at which a trial is fully trained (an integer >= 1)');
  if (opts.maxResource < opts.minResource) throw new TypeError(`pruner "hyperband": option "maxResource" (${opts.maxResource}) must be >= minResource (${opts.minResource})`);
  const brackets = hyperbandBrackets(opts.minResource, opts.maxResource, opts.reductionFactor);
  const bracketOf = (trialIndex: number) => {
    let slot = hash32(trialIndex) % brackets.totalBudget;
    for (let b = 0; b < brackets.budgets.length; b++) {
      if (slot < brackets.budgets[b]) return b;
      slot -= brackets.budgets[b];
    }
    return brackets.budgets.length - 1;
  };
  return {
    name: 'hyperband',
    kind: 'pruner',
    apiVersion: PRUNER_API_VERSION,
    version: HYPERBAND_PRUNER_VERSION,
    shouldPrune(ctx: PruneContext): PruneDecision {
      const bracket = bracketOf(ctx.trialIndex);
      const decision = successiveHalving(
        ctx,
        { minResource: opts.minResource, reductionFactor: opts.reductionFactor, minEarlyStoppingRate: bracket },
        (other) => bracketOf(other) === bracket,
      );
      return { prune: decision.prune, reason: `bracket ${bracket} of ${brackets.budgets.length}: ${decision.reason}` };
    },
  };
}

/** The number of brackets and each one's trial budget, as Optuna computes them. */
export function hyperbandBrackets(minResource: number, maxResource: number, reductionFactor: number): { budgets: number[]; totalBudget: number } {
  let n = 1;
  while (minResource * reductionFactor ** n <= maxResource) n += 1;
  const budgets = Array.from({ length: n }, (_, b) => Math.ceil((n * reductionFactor ** (n - 1 - b)) / (n - b)));
  return { budgets, totalBudget: budgets.reduce((a, c) => a + c, 0) };
}

/** A 32-bit integer hash (the murmur3 finaliser) of a trial index, as an unsigned integer. */
function hash32(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
