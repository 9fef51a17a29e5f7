import { createRng, type SearchSpace } from '@fairsweep/sdk';
import { ParzenEstimator, type ParzenOptions } from './parzen.estimator.js';
import { toDims } from './tpe.space.js';

const opts: ParzenOptions = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false };
const estimator = (space: SearchSpace, columns: number[][], o = opts) => new ParzenEstimator(toDims(space, Object.keys(space)), columns, o);
const close = (actual: number[], expected: number[]) => actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThan(1e-7));

// Reference values: Optuna 3.1's _ParzenEstimator(...).log_pdf on the same observations.
describe('ParzenEstimator', () => {
  it("matches Optuna 3.1's log density for a float", () => {
    const e = estimator({ x: { type: 'float', low: -5, high: 10, log: false } }, [[1, 2, 5, 9.5]]);
    close(e.logPdf([[0], [3], [9]]), [-0.90604066, -0.74031214, -0.91478404]);
  });

  it("matches Optuna 3.1's log mass for a stepped int", () => {
    const e = estimator({ n: { type: 'int', low: 2, high: 20, step: 2, log: false } }, [[4, 8, 20]]);
    close(e.logPdf([[2], [8], [14]]), [-2.27483623, -2.01277601, -2.53236167]);
  });

  it("matches Optuna 3.1's categorical weights (prior weight spread over every kernel)", () => {
    const e = estimator({ c: { type: 'categorical', choices: ['a', 'b', 'c'] } }, [[0, 2, 2]]);
    close(e.logPdf([[0], [1], [2]]), [-1.09861229, -1.65822808, -0.74193734]);
  });

  it('samples the mixture: with no observations, the prior alone', () => {
    const e = estimator({ x: { type: 'float', low: 0, high: 1, log: false } }, [[]]);
    const xs = e.sample(createRng(3), 4000).map((r) => r[0]);
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.02);
  });

  it('gives a far int kernel no weight without changing the density beyond double precision', () => {
    const space: SearchSpace = { n: { type: 'int', low: 1, high: 1000, step: 1, log: false } };
    const column = Array.from({ length: 300 }, (_, i) => 1 + i);
    const one = estimator(space, [column]).logPdf([[900], [150]]);
    // the same estimator as one dimension of two (no skipping there): the other dimension adds the same constant
    const two = new ParzenEstimator(toDims({ ...space, c: { type: 'categorical', choices: ['only'] } }, ['n', 'c']), [column, column.map(() => 0)], opts);
    close(two.logPdf([[900, 0], [150, 0]]), one);
  });
});

describe('ParzenEstimator with repeated int observations (Optuna 3.1 reference values)', () => {
  const space: SearchSpace = { n: { type: 'int', low: 1, high: 32, step: 1, log: false } };
  // 36 observations: more than 25, so older ones get the ramp weights, and equal values get their
  // bandwidths in numpy's argsort order (which is not stable)
  const column = [5, 9, 5, 12, 30, 9, 9, 5, 20, 12, 7, 5, 30, 9, 14, 5, 12, 9, 3, 28, 9, 5, 12, 18, 9, 30, 5, 12, 9, 7, 5, 9, 14, 12, 5, 9];

  it("matches Optuna's log mass", () => {
    close(estimator(space, [column]).logPdf([[5], [9], [12], [21]]), [-2.29872211856189, -2.1261357718865974, -2.6563621706145986, -5.096931711361303]);
  });

  it('draws candidates on the step grid, where they are scored (as Optuna samples)', () => {
    const draws = estimator(space, [column]).sample(createRng(5), 200).map((r) => r[0]);
    expect(draws.every((x) => Number.isInteger(x) && x >= 1 && x <= 32)).toBe(true);
  });
});
