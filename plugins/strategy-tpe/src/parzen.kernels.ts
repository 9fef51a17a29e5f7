import { logGaussMass, logNormPdf } from './normal.math.js';
import { numpyArgsort } from './numpy.argsort.js';
import type { Dim } from './tpe.space.js';

/** Kernel settings shared by both estimators; Optuna 3.1's names in the TPE options. */
export interface ParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  multivariate: boolean;
}

/** One parameter's kernels: index k < n for observation k, the last one the prior. */
export type Kernel = { kind: 'numerical'; mus: number[]; sigmas: number[]; logMass: number[] } | { kind: 'categorical'; logProbs: number[][] };

/**
 * Adds each kernel's log density at x to acc. With `skipFar` (a one-parameter estimator), a
 * stepped int's kernel whose log term is bounded above by e^−40 times the prior kernel's term
 * (always present) is left out: it cannot change the mixture's density in double precision, and
 * the exact log mass of such far tails is the costliest part of a suggestion.
 */
export function addKernelLogPdf(acc: Float64Array, dim: Dim, kernel: Kernel, x: number, skipFar: boolean): void {
  const K = acc.length;
  if (kernel.kind === 'categorical') {
    for (let k = 0; k < K; k++) acc[k] += kernel.logProbs[k][x];
    return;
  }
  if (dim.kind !== 'numerical') return;
  const { mus, sigmas, logMass } = kernel;
  if (dim.q === null) {
    // Optuna 3.1's truncated-normal log density, which leaves out the −log σ term: kept for the
    // same suggestions (with it, Branin regret after 100 trials was several times worse).
    for (let k = 0; k < K; k++) {
      const z = (x - mus[k]) / sigmas[k];
      acc[k] += logNormPdf(z) - logMass[k];
    }
    return;
  }
  const upper = Math.min(x + dim.q / 2, dim.high);
  const lower = Math.max(x - dim.q / 2, dim.low);
  const prior = K - 1;
  acc[prior] += logGaussMass((lower - mus[prior]) / sigmas[prior], (upper - mus[prior]) / sigmas[prior]) - logMass[prior];
  const floor = skipFar ? acc[prior] - 40 : -Infinity;
  const logWidth = Math.log(upper - lower);
  for (let k = 0; k < prior; k++) {
    const a = (lower - mus[k]) / sigmas[k];
    const b = (upper - mus[k]) / sigmas[k];
    // mass <= (b − a) · φ(the point of [a, b] nearest 0)
    const bound = acc[k] - logMass[k] + logWidth - Math.log(sigmas[k]) + logNormPdf(a > 0 ? a : b < 0 ? b : 0);
    acc[k] = bound < floor ? -Infinity : acc[k] + logGaussMass(a, b) - logMass[k];
  }
}

/** Optuna's `default_weights`: 1 for the last 25, a linear ramp from 1/n for older ones. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const step = ramp > 1 ? (1 - 1 / n) / (ramp - 1) : 0;
  return [...Array.from({ length: ramp }, (_, i) => 1 / n + i * step), ...new Array<number>(25).fill(1)];
}

export function numericalKernel(column: readonly number[], low: number, high: number, opts: ParzenOptions, sigma0: number): Kernel {
  const mus = [...column, 0.5 * (low + high)];
  const range = high - low;
  let sigmas: number[];
  if (opts.multivariate) {
    sigmas = mus.map(() => sigma0 * range);
  } else {
    // numpy's (unstable) argsort, as Optuna: equal observations (ints) get their bandwidths in its order
    const order = numpyArgsort(mus);
    const ends = [low, ...order.map((i) => mus[i]), high];
    const sorted = order.map((_, j) => Math.max(ends[j + 1] - ends[j], ends[j + 2] - ends[j + 1]));
    if (!opts.considerEndpoints && ends.length >= 4) {
      sorted[0] = ends[2] - ends[1];
      sorted[sorted.length - 1] = ends[ends.length - 2] - ends[ends.length - 3];
    }
    sigmas = new Array<number>(mus.length);
    order.forEach((i, j) => (sigmas[i] = sorted[j]));
  }
  const minSigma = opts.considerMagicClip ? range / Math.min(100, 1 + mus.length) : 1e-12;
  sigmas = sigmas.map((s) => Math.min(Math.max(s, minSigma), range));
  sigmas[sigmas.length - 1] = range;
  const logMass = mus.map((mu, k) => logGaussMass((low - mu) / sigmas[k], (high - mu) / sigmas[k]));
  return { kind: 'numerical', mus, sigmas, logMass };
}

export function categoricalKernel(column: readonly number[], nChoices: number, priorWeight: number): Kernel {
  const fill = priorWeight / (column.length + 1);
  const rows = [...column, -1].map((observed) => {
    const row = new Array<number>(nChoices).fill(fill);
    if (observed >= 0) row[observed] += 1;
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((w) => Math.log(w / sum));
  });
  return { kind: 'categorical', logProbs: rows };
}

export function logSumExp(terms: ArrayLike<number>): number {
  let max = -Infinity;
  for (let k = 0; k < terms.length; k++) if (terms[k] > max) max = terms[k];
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < terms.length; k++) if (terms[k] > max - 50) sum += Math.exp(terms[k] - max); // smaller terms cannot change the sum
  return max + Math.log(sum);
}
