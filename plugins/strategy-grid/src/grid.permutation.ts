import { createRng } from '@fairsweep/sdk';

/** The largest grid this strategy orders: 2^40 points. */
export const MAX_GRID_POINTS = 2 ** 40;

/**
 * A seeded pseudo-random permutation of 0..n−1, evaluated one index at a time without listing
 * the grid: a 4-round Feistel network over the smallest even number of bits that covers n, with
 * round keys from `createRng(seed, 'grid')`, and cycle-walking back into range.
 */
export function seededPermutation(n: number, seed: number): (index: number) => number {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_GRID_POINTS) throw new RangeError(`grid of ${n} points: must be 1..2^40`);
  let half = 1;
  while (2 ** (2 * half) < n) half += 1;
  const mask = 2 ** half - 1;
  const rng = createRng(seed, 'grid');
  const keys = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
  const round = (x: number, key: number) => (mix(x ^ key) >>> 0) & mask;
  const encrypt = (i: number) => {
    let left = Math.floor(i / 2 ** half);
    let right = i % 2 ** half;
    for (const key of keys) [left, right] = [right, (left ^ round(right, key)) >>> 0];
    return left * 2 ** half + right;
  };
  return (index) => {
    let x = encrypt(index);
    while (x >= n) x = encrypt(x);
    return x;
  };
}

/** A 32-bit integer hash (the murmur3 finaliser). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
