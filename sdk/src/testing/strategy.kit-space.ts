import type { ObjectiveDirection, ParamValues, SearchSpace } from '../spec/spec.types.js';
import type { Observation, SearchStrategy } from '../strategy/strategy.types.js';

/** A space with the awkward corners: negative floats, log floats and ints, steps, one-value ints, mixed choices. */
export const KIT_SPACE: SearchSpace = {
  lr: { type: 'float', low: 1e-6, high: 10, log: true },
  shift: { type: 'float', low: -3.5, high: -1.25, log: false },
  units: { type: 'int', low: 16, high: 256, step: 16, log: false },
  batch: { type: 'int', low: 1, high: 4096, step: 1, log: true },
  fixed: { type: 'int', low: 7, high: 7, step: 1, log: false },
  act: { type: 'categorical', choices: ['relu', 0.5, false, 3] },
};

/**
 * A conditional space: `momentum` only for sgd and rmsprop, `nesterov` only for sgd, `dampening`
 * only without nesterov (nested two deep), `width` only when depth is 2 or 3 (an int parent).
 */
export const KIT_CONDITIONAL_SPACE: SearchSpace = {
  optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
  lr: { type: 'float', low: 1e-5, high: 1, log: true },
  momentum: { type: 'float', low: 0.5, high: 0.99, log: false, when: { optimizer: ['sgd', 'rmsprop'] } },
  nesterov: { type: 'categorical', choices: [true, false], when: { optimizer: ['sgd'] } },
  dampening: { type: 'float', low: 0, high: 0.5, log: false, when: { nesterov: [false] } },
  depth: { type: 'int', low: 1, high: 3, step: 1, log: false },
  width: { type: 'int', low: 16, high: 64, step: 16, log: false, when: { depth: [2, 3] } },
};

/**
 * A deterministic, smooth-ish objective on any space: distance to the middle (log middle for log
 * scales), over the parameters present (inactive conditional ones are absent).
 */
export function kitObjective(space: SearchSpace, params: ParamValues): number {
  let total = 0;
  for (const [name, spec] of Object.entries(space)) {
    if (!Object.hasOwn(params, name)) continue;
    const v = params[name];
    if (spec.type === 'categorical') total += spec.choices.indexOf(v as never) / Math.max(1, spec.choices.length);
    else if (spec.high > spec.low) {
      const t = spec.log ? Math.log(v as number) : (v as number);
      const lo = spec.log ? Math.log(spec.low) : spec.low;
      const hi = spec.log ? Math.log(spec.high) : spec.high;
      total += ((t - (lo + hi) / 2) / (hi - lo)) ** 2;
    }
  }
  return total;
}

/**
 * Runs a sequential sweep of `trials` suggestions, observing each with `kitObjective`; trial
 * k % 7 === 3 fails, k % 7 === 5 is pruned (with a value and a step, or without a value).
 */
export function kitSweep(strategy: SearchStrategy, space: SearchSpace, seed: number, trials: number, direction: ObjectiveDirection = 'minimize'): Observation[] {
  const observations: Observation[] = [];
  for (let trialIndex = 0; trialIndex < trials; trialIndex++) {
    const { params } = strategy.suggest({ space, objective: { metric: 'loss', direction }, experimentSeed: seed, trialIndex, observations: observations.slice() });
    const value = kitObjective(space, params);
    if (trialIndex % 7 === 3) observations.push({ trialIndex, params, state: 'failed', value: null });
    else if (trialIndex % 7 === 5) observations.push({ trialIndex, params, state: 'pruned', value: trialIndex % 2 ? value * 2 : null, step: trialIndex % 2 ? 3 : null });
    else observations.push({ trialIndex, params, state: 'succeeded', value });
  }
  return observations;
}
