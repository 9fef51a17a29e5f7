import { parsePrunerIntOptions, PRUNER_API_VERSION, valueAtOrAfter, type Pruner, type PruneContext, type PruneDecision, type TrialCurve } from '@fairsweep/sdk';

/** The package version; a test keeps it equal to package.json. */
export const ASHA_PRUNER_VERSION = '0.1.0';

/**
 * Asynchronous successive halving, as Optuna 3.1's SuccessiveHalvingPruner (with an explicit
 * `minResource`). Rung k sits at step minResource · η^(minEarlyStoppingRate + k), η =
 * `reductionFactor`. A trial's value at a rung is the first value it reported at or after that
 * step. When a report takes a trial past a rung, the trial continues only if its rung value is
 * among the best ⌊n/η⌋ (at least the best one) of the n trials that have a value at that rung —
 * judged once, when it gets there, against the trials that got there before it or at the same
 * time in the history, so the decision is a pure function of the history.
 */
export function createAshaPruner(options: Record<string, unknown> = {}): Pruner {
  const opts = parsePrunerIntOptions('asha', options, { minResource: 1, reductionFactor: 4, minEarlyStoppingRate: 0 }, { minResource: 1, reductionFactor: 2 });
  return {
    name: 'asha',
    kind: 'pruner',
    apiVersion: PRUNER_API_VERSION,
    version: ASHA_PRUNER_VERSION,
    shouldPrune: (ctx) => successiveHalving(ctx, opts, () => true),
  };
}

export interface SuccessiveHalvingOptions {
  minResource: number;
  reductionFactor: number;
  minEarlyStoppingRate: number;
}

/** ASHA's decision for the trial that reported, competing only with the trials `rival` accepts. */
export function successiveHalving(ctx: PruneContext, opts: SuccessiveHalvingOptions, rival: (trialIndex: number) => boolean): PruneDecision {
  const rungStep = (k: number) => opts.minResource * opts.reductionFactor ** (opts.minEarlyStoppingRate + k);
  const own = ctx.history.find((c) => c.trialIndex === ctx.trialIndex);
  const previous = own?.values.filter((v) => v.step < ctx.step).at(-1)?.step ?? -Infinity;
  const sign = ctx.direction === 'minimize' ? 1 : -1;
  for (let k = 0; rungStep(k) <= ctx.step; k++) {
    if (rungStep(k) <= previous) continue; // judged at an earlier report
    const mine = Number.isNaN(ctx.value) ? Infinity : sign * ctx.value;
    const rivals = competitors(ctx.history, ctx.trialIndex, rungStep(k), rival).map((v) => (Number.isNaN(v) ? Infinity : sign * v));
    const all = [...rivals, mine].sort((a, b) => a - b);
    const keepCount = Math.max(1, Math.floor(all.length / opts.reductionFactor));
    const cutoff = all[keepCount - 1];
    if (mine > cutoff) {
      return { prune: true, reason: `at rung ${k} (step ${rungStep(k)}) value ${ctx.value} is not among the best ${keepCount} of ${all.length} trials (cutoff ${sign * cutoff})` };
    }
  }
  return { prune: false, reason: `no rung lost by step ${ctx.step} (rungs at steps ${opts.minResource}·${opts.reductionFactor}^(${opts.minEarlyStoppingRate}+k))` };
}

/** Other trials' values at the rung at `step`: the first value each reported at or after it. */
function competitors(history: readonly TrialCurve[], self: number, step: number, rival: (trialIndex: number) => boolean): number[] {
  const out: number[] = [];
  for (const curve of history) {
    if (curve.trialIndex === self || !rival(curve.trialIndex)) continue;
    const v = valueAtOrAfter(curve, step);
    if (v) out.push(v.value);
  }
  return out;
}
