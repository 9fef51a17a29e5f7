import { bestUpTo, parsePrunerIntOptions, percentile, PRUNER_API_VERSION, type Pruner, type PruneContext, type PruneDecision } from '@fairsweep/sdk';

/** The package version; a test keeps it equal to package.json. */
export const MEDIAN_PRUNER_VERSION = '0.1.0';

/**
 * Median stopping, as Optuna 3.1's MedianPruner: once `nStartupTrials` trials succeeded, and
 * past `nWarmupSteps`, every `intervalSteps`, a trial is pruned when its best value so far is
 * worse than the median of the succeeded trials' values at the same step (needs at least
 * `nMinTrials` of them to have reported that step).
 */
export function createMedianPruner(options: Record<string, unknown> = {}): Pruner {
  const opts = parsePrunerIntOptions('median', options, { nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1 }, { intervalSteps: 1, nMinTrials: 1 });
  return {
    name: 'median',
    kind: 'pruner',
    apiVersion: PRUNER_API_VERSION,
    version: MEDIAN_PRUNER_VERSION,
    shouldPrune(ctx: PruneContext): PruneDecision {
      const done = ctx.history.filter((c) => c.state === 'succeeded' && c.trialIndex !== ctx.trialIndex);
      if (done.length < opts.nStartupTrials) return keep(`${done.length} of ${opts.nStartupTrials} startup trials succeeded`);
      if (ctx.step < opts.nWarmupSteps) return keep(`step ${ctx.step} is within the ${opts.nWarmupSteps} warm-up steps`);
      if ((ctx.step - opts.nWarmupSteps) % opts.intervalSteps !== 0) return keep(`step ${ctx.step} is not a checked step (every ${opts.intervalSteps})`);
      const atStep = done.flatMap((c) => c.values.filter((v) => v.step === ctx.step && !Number.isNaN(v.value)).map((v) => v.value));
      if (atStep.length < opts.nMinTrials) return keep(`${atStep.length} succeeded trials reported step ${ctx.step}, fewer than ${opts.nMinTrials}`);
      const own = ctx.history.find((c) => c.trialIndex === ctx.trialIndex);
      const best = own ? bestUpTo(own, ctx.step, ctx.direction) : Number.isNaN(ctx.value) ? null : ctx.value;
      const median = percentile(atStep, 50);
      if (best === null) return { prune: true, reason: `no value other than NaN by step ${ctx.step}` };
      const worse = ctx.direction === 'minimize' ? best > median : best < median;
      return worse
        ? { prune: true, reason: `best value ${best} by step ${ctx.step} is worse than the median ${median} of ${atStep.length} succeeded trials at that step` }
        : keep(`best value ${best} by step ${ctx.step} is no worse than the median ${median} of ${atStep.length} succeeded trials`);
    },
  };
}

const keep = (reason: string): PruneDecision => ({ prune: false, reason });
