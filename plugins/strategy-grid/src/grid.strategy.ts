import { STRATEGY_API_VERSION, type SearchStrategy, type SuggestContext, type Suggestion } from '@fairsweep/sdk';
import { parseGridOptions } from './grid.options.js';
import { MAX_GRID_POINTS, seededPermutation } from './grid.permutation.js';
import { gridPlan, type GridPlan } from './grid.plan.js';

/** The package version; a test keeps it equal to package.json. */
export const GRID_STRATEGY_VERSION = '0.1.0';

/**
 * Grid search in a seeded shuffled order. The grid is the product of each parameter's values
 * (categorical: every choice; int: every value on its step grid, or `points` of them; float:
 * `points` or `resolution` evenly spaced values, ends included, log-spaced with `log`). Trial i
 * gets grid point perm(i mod N), perm a pseudo-random permutation keyed by the experiment seed:
 * a pure function of (space, options, seed, i); observations are ignored. After N trials the
 * same order starts again (`onExhausted: cycle`), or suggest throws (`onExhausted: error`).
 * In a conditional space the grid holds only valid combinations: an inactive parameter has no
 * axis there, so each point has exactly the active parameters and none is repeated (`gridPlan`).
 */
export function createGridStrategy(options: Record<string, unknown> = {}): SearchStrategy {
  const opts = parseGridOptions(options);
  const plans = new WeakMap<SuggestContext['space'], GridPlan>();
  return {
    name: 'grid',
    kind: 'strategy',
    apiVersion: STRATEGY_API_VERSION,
    version: GRID_STRATEGY_VERSION,
    suggest(ctx: SuggestContext): Suggestion {
      // Memoised per space object (a pure function of it and the options): listing big axes is the slow part.
      let plan = plans.get(ctx.space);
      if (!plan) plans.set(ctx.space, (plan = gridPlan(ctx.space, opts)));
      const size = plan.size;
      if (size > MAX_GRID_POINTS) throw new RangeError(`strategy "grid": the grid has ${size} points, more than 2^40; give fewer "points" or a lower "resolution"`);
      if (!Number.isSafeInteger(ctx.trialIndex) || ctx.trialIndex < 0) throw new RangeError(`strategy "grid": trialIndex must be a non-negative integer, got ${ctx.trialIndex}`);
      if (ctx.trialIndex >= size && opts.onExhausted === 'error') {
        throw new Error(`strategy "grid": all ${size} grid points were suggested by trial ${size - 1}; trial ${ctx.trialIndex} has none left (set budget.maxTrials <= ${size}, or onExhausted: cycle)`);
      }
      return { params: plan.point(seededPermutation(size, ctx.experimentSeed)(ctx.trialIndex % size)) };
    },
  };
}

/** How many points the grid for `space` has with these options (what `onExhausted` counts). */
export function gridSize(space: SuggestContext['space'], options: Record<string, unknown> = {}): number {
  return gridPlan(space, parseGridOptions(options)).size;
}
