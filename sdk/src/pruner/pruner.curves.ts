import type { ObjectiveDirection } from '../spec/spec.types.js';
import type { TrialCurve } from './pruner.types.js';

/** The value a curve reported at the first step >= `step`, or null when it has not got that far. */
export function valueAtOrAfter(curve: TrialCurve, step: number): { step: number; value: number } | null {
  for (const v of curve.values) if (v.step >= step) return v;
  return null;
}

/** The best value a curve reported at a step <= `step`, NaN ignored; null when none. */
export function bestUpTo(curve: TrialCurve, step: number, direction: ObjectiveDirection): number | null {
  let best: number | null = null;
  for (const v of curve.values) {
    if (v.step > step || Number.isNaN(v.value)) continue;
    if (best === null || (direction === 'minimize' ? v.value < best : v.value > best)) best = v.value;
  }
  return best;
}

/** numpy.percentile's default (linear interpolation) of a non-empty list; p in [0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
