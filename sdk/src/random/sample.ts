import type { ParameterSpec, ParamValue } from '../spec/spec.types.js';
import type { Rng } from './rng.js';

/**
 * One value drawn from a parameter's distribution, using exactly one `rng.next()`:
 * - float: uniform in [low, high], or log-uniform when `log`;
 * - int: uniform over low, low + step, ..., high; with `log`, log-uniform over [low - 0.5, high + 0.5]
 *   rounded to the nearest integer (so each integer k is drawn with weight log((k + 0.5) / (k - 0.5)));
 * - categorical: each choice with equal probability.
 */
export function sampleParameter(spec: ParameterSpec, rng: Rng): ParamValue {
  const u = rng.next();
  switch (spec.type) {
    case 'float': {
      const value = spec.log ? logUniform(spec.low, spec.high, u) : spec.low + u * (spec.high - spec.low);
      return clamp(value, spec.low, spec.high);
    }
    case 'int': {
      if (spec.log) return clamp(Math.round(logUniform(spec.low - 0.5, spec.high + 0.5, u)), spec.low, spec.high);
      const count = Math.floor((spec.high - spec.low) / spec.step) + 1;
      return spec.low + pick(count, u) * spec.step;
    }
    case 'categorical':
      return spec.choices[pick(spec.choices.length, u)];
  }
}

function logUniform(low: number, high: number, u: number): number {
  const a = Math.log(low);
  return Math.exp(a + u * (Math.log(high) - a));
}

function pick(count: number, u: number): number {
  return Math.min(Math.floor(u * count), count - 1);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
