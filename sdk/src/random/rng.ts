import { createHash } from 'node:crypto';
import { assertUint32 } from './trial-seed.js';

/** A deterministic random number generator. */
export interface Rng {
  /** A float in [0, 1) with 53 random bits; uses two 32-bit draws. */
  next(): number;
  /** An integer in [0, 2^32); one 32-bit draw. */
  nextUint32(): number;
  /** How many 32-bit draws were made so far (`next()` counts two). */
  readonly position: number;
}

/**
 * A xoshiro128** generator whose 128-bit state is the first 16 bytes of
 * SHA-256(`fairsweep/v1/rng:${seed}:${stream}`). Different streams from one seed are independent.
 * The output sequence for a given (seed, stream) is part of the replay contract: do not change it.
 */
export function createRng(seed: number, stream = ''): Rng {
  assertUint32(seed, 'createRng: seed');
  const digest = createHash('sha256').update(`fairsweep/v1/rng:${seed}:${stream}`, 'utf8').digest();
  const state: [number, number, number, number] = [0, 4, 8, 12].map((o) => digest.readUInt32BE(o)) as never;
  if (state.every((word) => word === 0)) state[0] = 1; // xoshiro needs a non-zero state
  const draw = xoshiro128ss(state);
  let position = 0;
  const nextUint32 = () => {
    position += 1;
    return draw();
  };
  return {
    nextUint32,
    next: () => {
      const high = nextUint32() >>> 5; // 27 bits
      const low = nextUint32() >>> 6; // 26 bits
      return (high * 67108864 + low) / 9007199254740992;
    },
    get position() {
      return position;
    },
  };
}

/** xoshiro128** 1.1 (Blackman and Vigna) over the given state, which it advances in place. */
export function xoshiro128ss(s: [number, number, number, number]): () => number {
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
