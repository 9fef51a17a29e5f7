import { erfc, logGaussMass, logNdtr, ndtr, ndtri, truncnormPpf } from './normal.math.js';

// Reference values from Python's math.erfc, statistics.NormalDist and Optuna 3.1's _truncnorm.
const close = (actual: number, expected: number, rel = 1e-13) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);

describe('normal maths', () => {
  it.each([
    [0.5, 0.4795001221869535],
    [-1.2, 1.9103139782296354],
    [2.4, 0.0006885138966450789],
    [3, 2.2090496998585438e-5],
    [10, 2.088487583762545e-45],
  ])('erfc(%p)', (x, expected) => close(erfc(x), expected, 1e-12));

  it.each([
    [-20, -203.91715537109727],
    [-40, -804.6084420137538],
    [3, -0.0013508099647482027],
    [-1, -1.8410216450092634],
  ])('log Φ(%p)', (z, expected) => close(logNdtr(z), expected, 1e-12));

  it('gives the log Gaussian mass of an interval in either tail', () => {
    close(logGaussMass(-30, -29.5), -439.42947495, 1e-9);
    close(logGaussMass(1, 2), -1.99579827, 1e-8);
    close(logGaussMass(-1, 0.5), -0.62959563, 1e-8);
  });

  it('inverts Φ', () => {
    close(ndtri(1e-10), -6.361340902404056, 1e-12);
    close(ndtri(0.3), -0.5244005127080407, 1e-12);
    close(ndtri(0.99), 2.3263478740408408, 1e-12);
    for (const z of [-8, -3, -0.1, 0, 0.7, 5]) expect(Math.abs(ndtri(ndtr(z)) - z)).toBeLessThan(1e-9);
  });

  it('samples a truncated normal inside its bounds, by inversion', () => {
    for (const [a, b] of [[-100, 0.5], [-0.2, 80], [2, 3], [-3, -2]]) {
      for (const u of [0, 1e-12, 0.3, 0.5, 0.999999]) {
        const x = truncnormPpf(u, a, b);
        expect(x).toBeGreaterThanOrEqual(a);
        expect(x).toBeLessThanOrEqual(b);
      }
    }
    expect(Math.abs(truncnormPpf(0.5, -1, 1))).toBeLessThan(1e-12);
    close(truncnormPpf(0.25, -Infinity, Infinity), ndtri(0.25), 1e-12);
  });
});
