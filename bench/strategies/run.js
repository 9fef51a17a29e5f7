'use strict';
// npm run bench:strategies [-- --quick] [--function f,g] [--strategy s] [--seeds N] — our TPE and
// random against Optuna 3.1's, in one run. Checks: --equivalence (equivalence.js), --distribution
// [--draws N] [--history random:30] (distribution.js), --streams (streams.js), --replica (replica.js).
// Prints one JSON line per (function, strategy, trials). Needs the SDK and both strategies built
// (the npm script builds them) and Debian's python3-optuna (apt-get install -y python3-optuna).
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { createRandomStrategy } = require('@fairsweep/strategy-random');
const { createTpeStrategy } = require('@fairsweep/strategy-tpe');
const { FUNCTIONS } = require('./functions.js');
const { median, quantile, sweep, suggestMs, randomHistory } = require('./measure.js');
const { equivalence } = require('./equivalence.js');
const { distribution } = require('./distribution.js');
const { streams } = require('./streams.js');
const { replica } = require('./replica.js');

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const quick = argv.includes('--quick');
// --function branin,mixed and --strategy tpe: run only those (while iterating); --seeds N: seeds 0..N-1
// (--seed-from K: K..K+N-1);
// --raw FILE: also write every seed's best values, both sides, to FILE (JSON), for compare.js.
const only = (name, all) => {
  const wanted = option(name)?.split(',') ?? all;
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')}; allowed: ${all.join(', ')}`);
  return wanted;
};
const SEEDS = Array.from({ length: Number(option('--seeds') ?? (quick ? 5 : 20)) }, (_, i) => Number(option('--seed-from') ?? 0) + i);
const TRIALS = [100, 200];
const LATENCY_AT = [100, 1000];
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const ALL_STRATEGIES = { tpe: () => createTpeStrategy({}), random: () => createRandomStrategy({}) };
const STRATEGIES = Object.fromEntries(only('--strategy', Object.keys(ALL_STRATEGIES)).map((s) => [s, ALL_STRATEGIES[s]]));

/** Runs optuna_bench.py with a JSON job on stdin; resolves to its JSON lines. */
function optuna(job) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [join(__dirname, 'optuna_bench.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`optuna_bench.py exited ${code} (is python3-optuna installed? apt-get install -y python3-optuna)`));
      resolve(out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)));
    });
    child.stdin.end(JSON.stringify(job));
  });
}

async function main() {
  const names = only('--function', Object.keys(FUNCTIONS));
  const spaces = Object.fromEntries(names.map((n) => [n, FUNCTIONS[n].space]));
  // Regret: Optuna in a child process while ours runs here (one CPU each).
  const optunaRuns = optuna({ mode: 'regret', functions: names, samplers: Object.keys(STRATEGIES), seeds: SEEDS, trials: TRIALS, spaces });
  const ours = [];
  for (const fn of names) {
    for (const [strategy, create] of Object.entries(STRATEGIES)) {
      for (const seed of SEEDS) ours.push({ function: fn, strategy, seed, best: sweep(create(), FUNCTIONS[fn], seed, TRIALS) });
    }
  }
  const theirs = await optunaRuns;
  if (option('--raw')) writeFileSync(option('--raw'), JSON.stringify({ ours, theirs }));
  // Latency: one at a time, nothing else running. Same history (random search) for both.
  const latency = {};
  for (const fn of names) {
    const history = randomHistory(FUNCTIONS[fn], Math.max(...LATENCY_AT));
    for (const [strategy, create] of Object.entries(STRATEGIES)) {
      const mine = Object.fromEntries(LATENCY_AT.map((n) => [n, suggestMs(create(), FUNCTIONS[fn], history.slice(0, n), quick ? 5 : 15)]));
      const [other] = await optuna({ mode: 'latency', function: fn, sampler: strategy, space: FUNCTIONS[fn].space, history, at: LATENCY_AT, reps: quick ? 5 : 15 });
      latency[`${fn}/${strategy}`] = { mine, theirs: other.ms };
    }
  }
  for (const fn of names) {
    for (const strategy of Object.keys(STRATEGIES)) {
      const lat = latency[`${fn}/${strategy}`];
      for (const trials of TRIALS) {
        const regrets = (rows, key) => rows.filter((r) => r.function === fn && r[key] === strategy).map((r) => r.best[trials] - FUNCTIONS[fn].optimum);
        const mine = regrets(ours, 'strategy');
        const other = regrets(theirs, 'sampler');
        const round = (x) => Number(x.toPrecision(4));
        console.log(JSON.stringify({
          function: fn, strategy, trials, seeds: SEEDS.length,
          medianRegret: round(median(mine)), iqr: [round(quantile(mine, 0.25)), round(quantile(mine, 0.75))],
          optunaMedianRegret: round(median(other)), optunaIqr: [round(quantile(other, 0.25)), round(quantile(other, 0.75))],
          suggestMsAt100: round(lat.mine[100]), optunaSuggestMsAt100: round(lat.theirs['100']),
          suggestMsAt1000: round(lat.mine[1000]), optunaSuggestMsAt1000: round(lat.theirs['1000']),
        }));
      }
    }
  }
}

function mode() {
  const functions = only('--function', Object.keys(FUNCTIONS));
  const raw = (rows) => option('--raw') && writeFileSync(option('--raw'), JSON.stringify(rows));
  if (argv.includes('--equivalence')) return equivalence(functions, Number(option('--seeds') ?? 3), optuna);
  if (argv.includes('--streams')) return Promise.resolve(streams());
  if (argv.includes('--replica')) return replica(option('--function') ? functions : ['branin', 'rosenbrock4'], SEEDS, optuna).then(raw);
  if (argv.includes('--distribution')) {
    const settings = { seedFrom: Number(option('--seed-from') ?? 0), save: option('--save') };
    return distribution(functions, Number(option('--draws') ?? 20000), option('--history') ?? 'random:30', optuna, settings);
  }
  return main();
}

mode().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
