import { canonicalJson } from '../json/canonical-json.js';
import { assertPruner } from './pruner.assert.js';
import type { Pruner, PruneContext, TrialCurve } from './pruner.types.js';

/**
 * The checks every pruner must pass: a valid shape; a decision with a boolean and a reason for
 * every report of a synthetic asynchronous sweep (learning curves of varying quality, some
 * trials still running), both directions; the same context gives the same decision from the
 * same and from a fresh instance; contexts are not mutated. Returns the problems, `[]` when it conforms.
 */
export function checkPrunerConformance(create: () => Pruner, trials = 24, steps = 27): string[] {
  const pruner = create();
  try {
    assertPruner(pruner);
  } catch (error) {
    return [(error as Error).message];
  }
  const twin = create();
  const problems: string[] = [];
  for (const direction of ['minimize', 'maximize'] as const) {
    const sign = direction === 'minimize' ? 1 : -1;
    const curves: TrialCurve[] = [];
    // trial i starts at round i / 2 and reports once a round; final quality varies with i
    for (let round = 0; round < trials / 2 + steps; round++) {
      for (let i = 0; i < trials; i++) {
        const step = round - Math.floor(i / 2) + 1;
        if (step < 1 || step > steps) continue;
        let curve = curves.find((c) => c.trialIndex === i);
        if (!curve) curves.push((curve = { trialIndex: i, state: 'running', values: [] }));
        if (curve.state !== 'running') continue;
        const value = sign * (1 + ((i * 7) % 11) / 10 + 3 / step);
        (curve.values as { step: number; value: number }[]).push({ step, value });
        const ctx: PruneContext = deepFreeze(structuredClone({ trialIndex: i, step, value, direction, history: curves }));
        const where = `${direction}, trial ${i}, step ${step}`;
        try {
          const decision = pruner.shouldPrune(ctx);
          if (typeof decision?.prune !== 'boolean' || typeof decision.reason !== 'string' || decision.reason.length === 0) {
            problems.push(`${where}: expected { prune: boolean, reason: non-empty string }, got ${JSON.stringify(decision)}`);
            continue;
          }
          if (canonicalJson(pruner.shouldPrune(ctx)) !== canonicalJson(decision)) problems.push(`${where}: a second call gave another decision`);
          if (canonicalJson(twin.shouldPrune(ctx)) !== canonicalJson(decision)) problems.push(`${where}: a fresh instance gave another decision`);
          if (decision.prune) curve.state = 'pruned';
          else if (step === steps) curve.state = 'succeeded';
        } catch (error) {
          problems.push(`${where}: shouldPrune threw ${(error as Error).message}`);
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
