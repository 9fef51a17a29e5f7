import type { Observation, ObjectiveDirection, ParamValues } from '@fairsweep/sdk';

/** An observation as TPE ranks it: lower (step, score) is better, Optuna's `(−step, sign·value)`. */
export interface Scored {
  params: ParamValues;
  step: number;
  score: number;
  /** A constant-liar stand-in for a trial still running. */
  lie: boolean;
}

/**
 * Optuna 3.1's observation pairs, in observation order: succeeded trials with a value rank by
 * it (step −∞); pruned trials after every succeeded one, later steps first, then by value (no
 * value: after every pruned one with a value; NaN: worst at its step); failed trials and
 * succeeded ones without a value are left out; pending trials (constant liar) rank last.
 */
export function scoreObservations(
  observations: readonly Observation[],
  direction: ObjectiveDirection,
  pending: readonly ParamValues[] = [],
): Scored[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const scored: Scored[] = [];
  for (const o of observations) {
    if (o.state === 'succeeded') {
      if (o.value === null || !Number.isFinite(o.value)) continue;
      scored.push({ params: o.params, step: -Infinity, score: sign * o.value, lie: false });
    } else if (o.state === 'pruned') {
      if (o.value === null) scored.push({ params: o.params, step: 1, score: 0, lie: false });
      else scored.push({ params: o.params, step: -(o.step ?? 0), score: Number.isNaN(o.value) ? Infinity : sign * o.value, lie: false });
    }
  }
  for (const params of pending) scored.push({ params, step: Infinity, score: Infinity, lie: true });
  return scored;
}

/**
 * Splits into the `nBelow` best ("below", l(x)) and the rest ("above", g(x)), each kept in
 * observation order; ties keep observation order (a stable sort, as Optuna's).
 */
export function splitBelowAbove(scored: readonly Scored[], nBelow: number): { below: Scored[]; above: Scored[] } {
  const ranked = scored.map((_, i) => i).sort((a, b) => compare(scored[a], scored[b]) || a - b);
  const isBelow = new Array<boolean>(scored.length).fill(false);
  for (const i of ranked.slice(0, nBelow)) isBelow[i] = true;
  return { below: scored.filter((_, i) => isBelow[i]), above: scored.filter((_, i) => !isBelow[i]) };
}

function compare(a: Scored, b: Scored): number {
  if (a.step !== b.step) return a.step < b.step ? -1 : 1;
  if (a.score === b.score) return 0;
  return a.score < b.score ? -1 : 1;
}

/** Optuna's `default_gamma`: how many observations form l(x). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}
