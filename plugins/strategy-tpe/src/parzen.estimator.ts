import type { Rng } from '@fairsweep/sdk';
import { truncnormPpf } from './normal.math.js';
import { addKernelLogPdf, categoricalKernel, defaultWeights, logSumExp, numericalKernel, type Kernel, type ParzenOptions } from './parzen.kernels.js';
import { snapInternal, type Dim } from './tpe.space.js';

export { defaultWeights, type ParzenOptions } from './parzen.kernels.js';

/**
 * A mixture of one kernel per observation plus a prior kernel, Optuna 3.1's `_ParzenEstimator`:
 * kernel weights from `default_weights` (a ramp for observations older than the last 25) plus
 * the prior weight, normalised. Numerical kernels are normals truncated to the bounds with the
 * neighbour-distance bandwidth (univariate) or Scott's rule 0.2·n^(−1/(d+4))·range
 * (multivariate), clipped to [range / min(100, 1 + kernels), range]; the prior kernel is centred
 * with σ = range. Categorical kernels put prior_weight/kernels on each choice plus 1 on the
 * observed one. `columns[d][i]` is observation i's internal coordinate for `dims[d]`.
 */
export class ParzenEstimator {
  readonly logWeights: Float64Array;
  private readonly cumulative: number[];
  private readonly kernels: Kernel[];

  constructor(
    private readonly dims: readonly Dim[],
    columns: readonly (readonly number[])[],
    opts: ParzenOptions,
  ) {
    const n = columns[0]?.length ?? 0;
    const weights = [...defaultWeights(n), opts.priorWeight];
    const total = weights.reduce((a, b) => a + b, 0);
    this.logWeights = Float64Array.from(weights, (w) => Math.log(w / total));
    let acc = 0;
    this.cumulative = weights.map((w) => (acc += w / total));
    const sigma0 = 0.2 * Math.max(n, 1) ** (-1 / (dims.length + 4));
    this.kernels = dims.map((dim, d) => {
      const column = columns[d];
      if (dim.kind === 'categorical') return categoricalKernel(column, dim.choices.length, opts.priorWeight);
      return numericalKernel(column, dim.low, dim.high, opts, sigma0);
    });
  }

  /**
   * `size` draws: a kernel per draw (by weight), then each coordinate from that kernel, snapped
   * to the value a trial would get (`snapInternal`; ints rounded), as Optuna's `sample`.
   */
  sample(rng: Rng, size: number): number[][] {
    const active = Array.from({ length: size }, () => {
      const u = rng.next();
      const k = this.cumulative.findIndex((c) => c > u);
      return k < 0 ? this.cumulative.length - 1 : k;
    });
    const draws = active.map(() => new Array<number>(this.dims.length));
    this.dims.forEach((dim, d) => {
      const kernel = this.kernels[d];
      active.forEach((k, i) => {
        const u = rng.next();
        if (kernel.kind === 'categorical') {
          let c = 0;
          let cum = Math.exp(kernel.logProbs[k][0]);
          while (cum < u && c < kernel.logProbs[k].length - 1) cum += Math.exp(kernel.logProbs[k][++c]);
          draws[i][d] = c;
        } else if (dim.kind === 'numerical') {
          const mu = kernel.mus[k];
          const sigma = kernel.sigmas[k];
          const z = truncnormPpf(u, (dim.low - mu) / sigma, (dim.high - mu) / sigma);
          draws[i][d] = snapInternal(dim, Math.min(Math.max(mu + z * sigma, dim.low), dim.high));
        }
      });
    });
    return draws;
  }

  /** The mixture's log density (log mass on the step grid for stepped ints) at each point. */
  logPdf(points: readonly (readonly number[])[]): number[] {
    const K = this.logWeights.length;
    const acc = new Float64Array(K);
    const seen = new Map<string, number>(); // ints and choices repeat among candidates
    return points.map((x) => {
      const key = x.join(',');
      const known = seen.get(key);
      if (known !== undefined) return known;
      acc.set(this.logWeights);
      this.dims.forEach((dim, d) => addKernelLogPdf(acc, dim, this.kernels[d], x[d], this.dims.length === 1));
      const value = logSumExp(acc);
      seen.set(key, value);
      return value;
    });
  }
}

