'use strict';
// node bench/strategies/run.js --streams: are the per-trial random streams TPE draws from
// (createRng(deriveTrialSeed(seed, trialIndex), 'tpe')) uniform and independent of one another?
// Consecutive trials of one sweep and the same trial of consecutive seeds must not start alike,
// and the doubles of one stream must be uniform with no dependence between the positions TPE
// uses (kernel choice, then the truncated-normal draw of the same candidate, 24 apart).
const { createRng, deriveTrialSeed } = require('@fairsweep/sdk');
const { TPE_STREAM } = require('@fairsweep/strategy-tpe');
const { ks, chi2Uniform, correlation, histogram } = require('./stats.js');

const N = 20000;
const r4 = (x) => Number(x.toPrecision(4));
const uniform = (n) => Array.from({ length: n }, (_, i) => (i + 0.5) / n);
const first = (seed, trial, k = 1) => {
  const rng = createRng(deriveTrialSeed(seed, trial), TPE_STREAM);
  return Array.from({ length: k }, () => rng.next());
};

/** Uniformity of xs (KS against the uniform quantiles) and of the pairs (xs[i], ys[i]) on a 10 x 10 grid, plus their correlation. */
function pairCheck(xs, ys) {
  const cells = new Array(100).fill(0);
  xs.forEach((x, i) => cells[Math.min(9, Math.floor(x * 10)) * 10 + Math.min(9, Math.floor(ys[i] * 10))]++);
  const grid = chi2Uniform(cells);
  return { ksUniform: r4(ks(xs, uniform(xs.length)).p), correlation: r4(correlation(xs, ys)), grid10x10: { chi2: r4(grid.chi2), p: r4(grid.p) } };
}

function streams() {
  const results = [];
  // 1. One sweep: the first double of trials 0..N-1 (seed 0) and its successor trial's.
  for (const seed of [0, 1, 7]) {
    const u = Array.from({ length: N + 1 }, (_, t) => first(seed, t)[0]);
    results.push({ what: `first double of consecutive trials, seed ${seed}`, ...pairCheck(u.slice(0, N), u.slice(1)) });
  }
  // 2. One trial index: the first double for seeds 0..N-1, against the next seed's.
  for (const trial of [0, 10, 150]) {
    const u = Array.from({ length: N + 1 }, (_, s) => first(s, trial)[0]);
    results.push({ what: `first double of consecutive seeds, trial ${trial}`, ...pairCheck(u.slice(0, N), u.slice(1)) });
  }
  // 3. Inside a stream: positions TPE pairs up (kernel choice k vs the same candidate's normal 24
  //    later; consecutive draws; the second parameter's first draw 48 later), over N streams.
  const draws = Array.from({ length: N }, (_, t) => first(3, t, 96));
  for (const [i, j] of [[0, 1], [0, 24], [5, 29], [0, 48], [23, 24], [47, 48]]) {
    results.push({ what: `draws ${i} and ${j} of one trial's stream`, ...pairCheck(draws.map((d) => d[i]), draws.map((d) => d[j])) });
  }
  // 4. All draws pooled, and the bits of the 53-bit doubles.
  const pooled = draws.flat();
  const bits = new Array(53).fill(0);
  for (const u of pooled) {
    let m = u * 2 ** 53;
    for (let b = 0; b < 53; b++) {
      bits[b] += m % 2;
      m = Math.floor(m / 2);
    }
  }
  const worstBit = Math.max(...bits.map((c) => Math.abs(c / pooled.length - 0.5)));
  const hist = chi2Uniform(histogram(pooled, 0, 1, 100));
  results.push({ what: `${pooled.length} pooled doubles`, ksUniform: r4(ks(pooled, uniform(pooled.length)).p), hist100: { chi2: r4(hist.chi2), p: r4(hist.p) }, worstBitBias: r4(worstBit), bitBiasSe: r4(0.5 / Math.sqrt(pooled.length)) });
  for (const r of results) console.log(JSON.stringify({ check: 'streams', ...r }));
}

module.exports = { streams };
