'use strict';
// node bench/strategies/run.js --equivalence [--function f] [--seeds N]: does our TPE, given the same
// history and the same uniform numbers, suggest what Optuna 3.1's TPESampler suggested? For each
// function and seed, Optuna runs 200 trials (optuna_bench.py, mode "trace") and reports the doubles
// its sampler's numpy RandomState drew; every suggestion after the 10 startup trials is then
// recomputed by `suggestTpeWithRng` from the trials before it, drawing those same doubles in order.
const { suggestTpeWithRng } = require('@fairsweep/strategy-tpe');
const { FUNCTIONS } = require('./functions.js');

const TRIALS = 200;
const STARTUP = 10;
const OBJECTIVE = { metric: 'value', direction: 'minimize' };

/** An Rng over a list of doubles (numpy's `random_sample` output). */
function replayRng(uniforms, start) {
  let position = start;
  return {
    next: () => {
      if (position >= uniforms.length) throw new Error('equivalence: ran out of recorded uniforms');
      return uniforms[position++];
    },
    nextUint32: () => {
      throw new Error('equivalence: TPE drew a 32-bit integer; Optuna draws doubles only');
    },
    get position() {
      return position;
    },
  };
}

const same = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) : a === b);

async function equivalence(functions, seeds, optuna) {
  for (const name of functions) {
    const fn = FUNCTIONS[name];
    const params = Object.keys(fn.space).sort(); // both sides suggest in sorted name order
    for (let seed = 0; seed < seeds; seed++) {
      const [trace] = await optuna({ mode: 'trace', function: name, space: fn.space, seed, trials: TRIALS });
      const observations = trace.history.map((h, i) => ({ trialIndex: i, params: h.params, state: 'succeeded', value: h.value }));
      let compared = 0;
      const differences = [];
      for (let t = STARTUP; t < TRIALS; t++) {
        const ctx = { space: fn.space, objective: OBJECTIVE, experimentSeed: seed, trialIndex: t, observations: observations.slice(0, t) };
        const ours = suggestTpeWithRng(ctx, {}, replayRng(trace.uniforms, (t - STARTUP) * params.length * 48)).params;
        for (const p of params) {
          compared++;
          if (!same(ours[p], trace.history[t].params[p])) differences.push({ trial: t, param: p, ours: ours[p], optuna: trace.history[t].params[p] });
        }
      }
      console.log(JSON.stringify({ check: 'equivalence', function: name, seed, trials: TRIALS, suggestionsCompared: compared, identical: compared - differences.length, differences: differences.slice(0, 3) }));
    }
  }
}

module.exports = { equivalence };
