import { SOBOL_DIRECTION_TABLE, SOBOL_MAX_DIMENSIONS } from './sobol.directions.js';

export { SOBOL_MAX_DIMENSIONS };

/** Bits per coordinate: points are integers in [0, 2^32), so the sequence has 2^32 points. */
export const SOBOL_BITS = 32;

/** The number of points of the sequence (indices 0 .. SOBOL_LENGTH - 1). */
export const SOBOL_LENGTH = 2 ** SOBOL_BITS;

let directions: Uint32Array[] | undefined;

/**
 * The direction numbers v_0..v_31 of every tabulated dimension, as 32-bit integers
 * (v_j = m_j · 2^(31 − j)). The first s integers m_j of a dimension come from the table; the rest
 * follow Bratley and Fox's recurrence for its primitive polynomial
 * x^s + a_1 x^(s−1) + … + a_(s−1) x + 1:
 *   m_j = 2 a_1 m_(j−1) ⊕ 4 a_2 m_(j−2) ⊕ … ⊕ 2^s m_(j−s) ⊕ m_(j−s).
 * Dimension 0 has m_j = 1 for every j (van der Corput), as in Joe & Kuo and scipy.
 */
export function sobolDirections(): readonly Uint32Array[] {
  directions ??= SOBOL_DIRECTION_TABLE.map(([poly, initial], dim) => {
    const m = new Array<number>(SOBOL_BITS);
    if (dim === 0) m.fill(1);
    else {
      const s = 31 - Math.clz32(poly); // the polynomial's degree
      for (let j = 0; j < SOBOL_BITS; j++) {
        if (j < s) {
          m[j] = initial[j];
          continue;
        }
        let next = m[j - s];
        for (let k = 1; k <= s; k++) {
          if ((poly >>> (s - k)) & 1) next = (next ^ (m[j - k] << k)) >>> 0;
        }
        m[j] = next;
      }
    }
    return Uint32Array.from(m, (mj, j) => (mj << (SOBOL_BITS - 1 - j)) >>> 0);
  });
  return directions;
}

/**
 * Point `index` of the unscrambled `dims`-dimensional Sobol sequence, coordinate k as an integer
 * x_k in [0, 2^32) (the point is x / 2^32). Gray-code construction in closed form: x is the XOR of
 * the direction numbers v_j for the bits j set in gray(index) = index ⊕ (index >> 1), which is the
 * point the usual iterative update reaches at step `index` — the order scipy's
 * `qmc.Sobol(d, scramble=False)` draws. O(dims · 32), independent of every other index.
 */
export function sobolPoint(index: number, dims: number): Uint32Array {
  if (!Number.isInteger(index) || index < 0 || index >= SOBOL_LENGTH) {
    throw new RangeError(`Sobol point index must be an integer in 0..${SOBOL_LENGTH - 1}, got ${index}`);
  }
  assertDimensions(dims);
  const v = sobolDirections();
  const gray = (index ^ Math.floor(index / 2)) >>> 0;
  const point = new Uint32Array(dims);
  for (let k = 0; k < dims; k++) {
    let x = 0;
    for (let j = 0; j < SOBOL_BITS; j++) if ((gray >>> j) & 1) x ^= v[k][j];
    point[k] = x >>> 0;
  }
  return point;
}

/**
 * A random digital shift of a Sobol point: coordinate k XOR shift[k], as a unit float in [0, 1).
 * XOR with a constant maps every elementary dyadic box onto another of the same shape, so the
 * shifted points keep the net properties (every 2^-m box still holds its share of points).
 */
export function shiftedUnitPoint(index: number, shift: Uint32Array): number[] {
  const point = sobolPoint(index, shift.length);
  return Array.from(point, (x, k) => ((x ^ shift[k]) >>> 0) / SOBOL_LENGTH);
}

export function assertDimensions(dims: number): void {
  if (!Number.isInteger(dims) || dims < 0 || dims > SOBOL_MAX_DIMENSIONS) {
    throw new RangeError(`the Sobol sequence here has at most ${SOBOL_MAX_DIMENSIONS} dimensions, asked for ${dims}`);
  }
}
