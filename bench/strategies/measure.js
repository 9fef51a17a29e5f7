'use strict';
const { performance } = require('node:perf_hooks');
const { createRandomStrategy } = require('@fairsweep/strategy-random');

const OBJECTIVE = { metric: 'value', direction: 'minimize' };

/** numpy.percentile's default (linear interpolation). */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
const median = (xs) => quantile(xs, 0.5);

/** A sequential sweep; the best value seen after each count in `marks`. */
function sweep(strategy, fn, seed, marks) {
  const observations = [];
  const best = {};
  let bestValue = Infinity;
  for (let i = 0; i < Math.max(...marks); i++) {
    const { params } = strategy.suggest({ space: fn.space, objective: OBJECTIVE, experimentSeed: seed, trialIndex: i, observations });
    const value = fn.f(params);
    bestValue = Math.min(bestValue, value);
    observations.push({ trialIndex: i, params, state: 'succeeded', value });
    if (marks.includes(i + 1)) best[i + 1] = bestValue;
  }
  return best;
}

/** `n` random-search results, as `{ params, value }`, the history both latency measurements use. */
function randomHistory(fn, n) {
  const random = createRandomStrategy({});
  return Array.from({ length: n }, (_, i) => {
    const { params } = random.suggest({ space: fn.space, objective: OBJECTIVE, experimentSeed: 12345, trialIndex: i, observations: [] });
    return { params, value: fn.f(params) };
  });
}

/** Median milliseconds of one suggestion given `history` as completed trials (after one warm-up call). */
function suggestMs(strategy, fn, history, reps) {
  const observations = history.map((h, i) => ({ trialIndex: i, params: h.params, state: 'succeeded', value: h.value }));
  const times = [];
  for (let r = 0; r <= reps; r++) {
    const start = performance.now();
    strategy.suggest({ space: fn.space, objective: OBJECTIVE, experimentSeed: 1, trialIndex: history.length + r, observations });
    times.push(performance.now() - start);
  }
  return median(times.slice(1));
}

module.exports = { median, quantile, sweep, suggestMs, randomHistory };
