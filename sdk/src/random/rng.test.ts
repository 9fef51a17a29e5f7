import { createRng, xoshiro128ss } from './rng.js';

describe('xoshiro128ss', () => {
  it('matches the reference C implementation', () => {
    // Output of the authors' xoshiro128starstar.c with s = {0x9e3779b9, 0x243f6a88, 0xb7e15162, 1}.
    const next = xoshiro128ss([0x9e3779b9, 0x243f6a88, 0xb7e15162, 1]);
    expect(Array.from({ length: 6 }, next)).toEqual([2463954730, 5524658, 3863653826, 2452062841, 1929329008, 1763631513]);
  });
});

describe('createRng', () => {
  it('is deterministic per (seed, stream)', () => {
    const a = createRng(7, 'x');
    const b = createRng(7, 'x');
    const drawsA = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(drawsA);
  });

  it('is pinned (changing it breaks replay of recorded experiments)', () => {
    // Independently: state = first 16 bytes of `echo -n "fairsweep/v1/rng:42:random" | sha256sum`
    // as four big-endian words, fed to the reference C xoshiro128**.
    const rng = createRng(42, 'random');
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([
      1636590912, 2201712897, 3642007904, 1120827808, 1659934750, 3113722750,
    ]);
  });

  it('gives different sequences for different seeds and streams', () => {
    const first = (seed: number, stream?: string) => createRng(seed, stream).nextUint32();
    expect(new Set([first(1), first(2), first(1, 'a'), first(1, 'b'), first(2, 'a')]).size).toBe(5);
  });

  it('counts 32-bit draws in position: next() uses two', () => {
    const rng = createRng(1);
    expect(rng.position).toBe(0);
    rng.nextUint32();
    expect(rng.position).toBe(1);
    rng.next();
    expect(rng.position).toBe(3);
  });

  it('draws floats in [0, 1) with 53 bits, roughly uniformly', () => {
    const rng = createRng(123, 'uniformity');
    const bins = new Array<number>(10).fill(0);
    let fine = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside += 1;
      bins[Math.floor(u * 10)] += 1;
      if (u * 2 ** 32 !== Math.floor(u * 2 ** 32)) fine += 1;
    }
    expect(outside).toBe(0);
    const expected = n / 10;
    const chiSquare = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.9); // 9 degrees of freedom, p = 0.001
    expect(fine).toBeGreaterThan(n * 0.99); // more resolution than 32 bits
  });

  it('draws uint32 values whose bits are balanced', () => {
    const rng = createRng(5);
    const ones = new Array<number>(32).fill(0);
    const n = 20_000;
    let invalid = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.nextUint32();
      if (!(Number.isInteger(x) && x >= 0 && x < 2 ** 32)) invalid += 1;
      for (let bit = 0; bit < 32; bit++) ones[bit] += (x >>> bit) & 1;
    }
    expect(invalid).toBe(0);
    for (const count of ones) expect(Math.abs(count / n - 0.5)).toBeLessThan(0.02);
  });

  it('refuses a seed that is not a uint32', () => {
    expect(() => createRng(-1)).toThrow(/createRng: seed must be an integer in 0..4294967295, got -1/);
    expect(() => createRng(0.5)).toThrow(RangeError);
  });
});
