import type { ParameterSpec } from '../spec/spec.types.js';
import { createRng } from './rng.js';
import { sampleParameter } from './sample.js';

function draws(spec: ParameterSpec, n = 20_000, seed = 1): (number | string | boolean)[] {
  const rng = createRng(seed, 'sample-test');
  return Array.from({ length: n }, () => sampleParameter(spec, rng));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('sampleParameter', () => {
  it('draws uniform floats inside [low, high] with mean near the middle', () => {
    const xs = draws({ type: 'float', low: -2, high: 6, log: false }) as number[];
    expect(xs.every((x) => typeof x === 'number' && x >= -2 && x <= 6)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 2)).toBeLessThan(0.1);
  });

  it('draws log-uniform floats with median near the geometric mean', () => {
    const xs = draws({ type: 'float', low: 1e-5, high: 1e-1, log: true }) as number[];
    expect(xs.every((x) => x >= 1e-5 && x <= 1e-1)).toBe(true);
    expect(Math.abs(Math.log10(median(xs)) - -3)).toBeLessThan(0.1);
    // a decade each: about a quarter of the draws below 1e-4
    expect(Math.abs(xs.filter((x) => x < 1e-4).length / xs.length - 0.25)).toBeLessThan(0.02);
  });

  it('draws every int on the step grid, roughly equally often', () => {
    const xs = draws({ type: 'int', low: 3, high: 23, step: 5, log: false }) as number[];
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([3, 8, 13, 18, 23]);
    for (const count of counts.values()) expect(Math.abs(count / xs.length - 0.2)).toBeLessThan(0.02);
  });

  it('draws log-scale ints inside the range, favouring small values like a log-uniform', () => {
    const xs = draws({ type: 'int', low: 1, high: 1000, step: 1, log: true }) as number[];
    expect(xs.every((x) => Number.isInteger(x) && x >= 1 && x <= 1000)).toBe(true);
    expect(xs).toContain(1);
    expect(xs).toContain(1000);
    expect(Math.abs(Math.log10(median(xs)) - 1.5)).toBeLessThan(0.15);
  });

  it('handles a single-value int range', () => {
    expect(new Set(draws({ type: 'int', low: 4, high: 4, step: 1, log: false }, 100))).toEqual(new Set([4]));
    expect(new Set(draws({ type: 'int', low: 4, high: 4, step: 1, log: true }, 100))).toEqual(new Set([4]));
  });

  it('draws categorical choices uniformly, keeping their types', () => {
    const choices = ['a', 1, true, 2.5];
    const xs = draws({ type: 'categorical', choices });
    for (const choice of choices) {
      const share = xs.filter((x) => x === choice).length / xs.length;
      expect(Math.abs(share - 0.25)).toBeLessThan(0.02);
    }
  });

  it('uses exactly one next() (two 32-bit draws) per value', () => {
    const rng = createRng(9);
    sampleParameter({ type: 'categorical', choices: ['x'] }, rng);
    sampleParameter({ type: 'float', low: 0, high: 1, log: true }, rng);
    expect(rng.position).toBe(4);
  });

  it('is deterministic for a given rng state', () => {
    expect(draws({ type: 'float', low: 0, high: 1, log: false }, 50, 3)).toEqual(draws({ type: 'float', low: 0, high: 1, log: false }, 50, 3));
  });
});
