'use strict';
// node bench/strategies/compare.js RAW.json [RAW2.json ...]: is the regret gap between our strategy
// and Optuna's in `run.js --raw` files (several files with disjoint seeds are pooled) more than
// seed noise? Per (function, strategy, trials): medians, a bootstrap 95% interval of the ratio of
// medians (ours / Optuna's, 2,000 resamples of the seeds on each side, fixed generator) and the
// two-sided Mann–Whitney U p-value (normal approximation with tie correction), with
// probOursLower = P(a seed of ours ends lower than a seed of Optuna's) (ties count half).
const { readFileSync } = require('node:fs');
const { createRng } = require('@fairsweep/sdk');
const { erfc } = require('@fairsweep/strategy-tpe/dist/normal.math.js');
const { FUNCTIONS } = require('./functions.js');
const { median, quantile } = require('./measure.js');

function mannWhitney(a, b) {
  const all = [...a.map((v) => ({ v, s: 0 })), ...b.map((v) => ({ v, s: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array(all.length);
  let tie = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    const t = j - i + 1;
    tie += t ** 3 - t;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const r1 = all.reduce((s, x, i) => s + (x.s === 0 ? ranks[i] : 0), 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1))));
  const z = (u - (n1 * n2) / 2) / sd;
  return { u, z, p: erfc(Math.abs(z) / Math.SQRT2), probOursLower: 1 - u / (n1 * n2) };
}

function bootstrapRatio(a, b, reps = 2000) {
  const rng = createRng(20240601, 'bench/compare');
  const pick = (xs) => Array.from(xs, () => xs[Math.floor(rng.next() * xs.length)]);
  const ratios = Array.from({ length: reps }, () => median(pick(a)) / median(pick(b)));
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

const r4 = (x) => Number(x.toPrecision(4));

function compare(files) {
  const ours = [];
  const theirs = [];
  for (const file of files) {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    ours.push(...raw.ours);
    theirs.push(...raw.theirs);
  }
  const keys = [...new Set(ours.map((r) => `${r.function}/${r.strategy}`))];
  for (const key of keys) {
    const [fn, strategy] = key.split('/');
    for (const trials of Object.keys(ours.find((r) => r.function === fn).best)) {
      const regrets = (rows, field) => rows.filter((r) => r.function === fn && r[field] === strategy).map((r) => r.best[trials] - FUNCTIONS[fn].optimum);
      const a = regrets(ours, 'strategy');
      const b = regrets(theirs, 'sampler');
      const mw = mannWhitney(a, b);
      const [lo, hi] = bootstrapRatio(a, b);
      console.log(JSON.stringify({
        function: fn, strategy, trials: Number(trials), seeds: [a.length, b.length],
        medianRegret: r4(median(a)), optunaMedianRegret: r4(median(b)), ratio: r4(median(a) / median(b)), ratioCi95: [r4(lo), r4(hi)],
        mannWhitneyP: r4(mw.p), probOursLower: r4(mw.probOursLower),
      }));
    }
  }
}

if (process.argv.length < 3) {
  console.error('usage: node bench/strategies/compare.js RAW.json [RAW2.json ...] (files written by run.js --raw)');
  process.exit(1);
}
compare(process.argv.slice(2));
