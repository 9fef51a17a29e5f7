'use strict';
// node bench/strategies/run.js --replica [--function branin,rosenbrock4] [--seeds N] [--seed-from K] [--raw FILE]:
// the whole benchmark sweep, not single suggestions. For each seed s, our TPE strategy's code runs
// the same sequential sweep as the benchmark (measure.js's `sweep`), but every double comes from
// numpy as Optuna 3.1's TPESampler(seed=s) draws it: startup trial j, parameter d (sorted names)
// from RandomSampler(seed=s)'s RandomState, double j·P + d, through the SDK's `sampleParameter`;
// TPE trial t from the sampler's own RandomState(s), from double (t − 10)·48·P on
// (`suggestTpeWithRng`). The best values after 100 and 200 trials must equal Optuna's own run
// with that seed (to 1e-12: the objective's cos comes from each side's libm). Where they do, our startup, the sweep's feedback (order, states, direction,
// values) and TPE together are Optuna's, and our runs differ from Optuna's only in which random
// numbers they draw. Float spaces only (Optuna draws log, int and categorical startup values
// through transforms this replica does not copy).
const { readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { buildConfiguration, sampleParameter } = require('@fairsweep/sdk');
const { suggestTpeWithRng, TPE_DEFAULTS } = require('@fairsweep/strategy-tpe');
const { FUNCTIONS } = require('./functions.js');
const { sweep } = require('./measure.js');

const MARKS = [100, 200];
const STARTUP = TPE_DEFAULTS.nStartupTrials;
const CANDIDATES = TPE_DEFAULTS.nEiCandidates;

/** Equal to 1e-12 relative: each side computes the objective with its own libm (cos may differ in the last bit). */
const same = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

/** An Rng reading `doubles` from `start` on. */
function cursor(doubles, start) {
  let position = start;
  return {
    next: () => doubles[position++],
    nextUint32: () => {
      throw new Error('replica: a 32-bit draw; Optuna draws doubles only');
    },
    get position() {
      return position - start;
    },
  };
}

/** A strategy drawing seed `i`'s numpy doubles (`perSeed` of them from `i · perSeed`) as Optuna does. */
function numpyDriven(space, doubles, i, perSeed) {
  const p = Object.keys(space).length;
  return {
    suggest: (ctx) => {
      const base = i * perSeed;
      if (ctx.trialIndex < STARTUP) {
        const rng = cursor(doubles, base + ctx.trialIndex * p);
        return { params: buildConfiguration(space, (name) => sampleParameter(space[name], rng)), rngPosition: 0 };
      }
      return suggestTpeWithRng(ctx, {}, cursor(doubles, base + (ctx.trialIndex - STARTUP) * 2 * CANDIDATES * p));
    },
  };
}

async function replica(names, seeds, optuna) {
  const rows = { ours: [], theirs: [] };
  for (const name of names) {
    const fn = FUNCTIONS[name];
    const floats = Object.values(fn.space).every((s) => s.type === 'float' && !s.log);
    if (!floats) throw new Error(`--replica: ${name} has log, int or categorical parameters; the replica covers plain float spaces only`);
    const p = Object.keys(fn.space).length;
    const perSeed = Math.max(STARTUP * p, (Math.max(...MARKS) - STARTUP) * 2 * CANDIDATES * p);
    const path = join(tmpdir(), `fairsweep-replica-${process.pid}-${name}.f64`);
    const first = seeds[0];
    const regret = optuna({ mode: 'regret', functions: [name], samplers: ['tpe'], seeds, trials: MARKS, spaces: { [name]: fn.space } });
    try {
      await optuna({ mode: 'uniforms', seeds: [first, seeds.length], draws: perSeed, path });
      const bytes = readFileSync(path);
      const doubles = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
      const ours = seeds.map((seed, i) => ({ function: name, strategy: 'tpe-on-numpy', seed, best: sweep(numpyDriven(fn.space, doubles, i, perSeed), fn, seed, MARKS) }));
      const theirs = await regret;
      let identical = 0;
      const differences = [];
      for (const mine of ours) {
        const other = theirs.find((r) => r.seed === mine.seed);
        for (const m of MARKS) {
          if (same(mine.best[m], other.best[String(m)])) identical++;
          else differences.push({ seed: mine.seed, trials: m, ours: mine.best[m], optuna: other.best[String(m)] });
        }
      }
      rows.ours.push(...ours);
      rows.theirs.push(...theirs);
      console.log(JSON.stringify({ check: 'replica', function: name, seeds: seeds.length, bestValuesCompared: ours.length * MARKS.length, identical, differences: differences.slice(0, 3) }));
    } finally {
      rmSync(path, { force: true });
    }
  }
  return rows;
}

module.exports = { replica };
