/**
 * Standard normal helpers accurate to near double precision, with no dependency: erfc, log Φ,
 * Φ⁻¹, and the log of the Gaussian mass in an interval (what truncated normals need).
 */

const SQRT2 = Math.SQRT2;
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const CF_FROM = 2.5;

/** erfc(x) for x ≥ 2.5 as e^{-x²}/√π · 1/f(x), f by its continued fraction; returns log(1/f). */
function logCfTail(x: number): number {
  // f = x + (1/2)/(x + 1/(x + (3/2)/(x + ...))), modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return -Math.log(f);
}

/** erf(x) for |x| < 2.5 by the all-positive series 2/√π e^{-x²} Σ 2ⁿx^{2n+1}/(2n+1)!!. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * Math.abs(sum) || term === 0) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/** The complementary error function. */
export function erfc(x: number): number {
  if (x > 27.3) return 0; // below the smallest double
  if (x >= CF_FROM) return Math.exp(-x * x - LOG_SQRT_PI + logCfTail(x));
  if (x <= -CF_FROM) return 2 - erfc(-x);
  return 1 - (x >= 0 ? erfSeries(x) : -erfSeries(-x));
}

/** Φ(z), the standard normal CDF. */
export function ndtr(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** log Φ(z), accurate far into the left tail. */
export function logNdtr(z: number): number {
  if (z === -Infinity) return -Infinity;
  const t = -z / SQRT2;
  if (t >= CF_FROM) return Math.log(0.5) - t * t - LOG_SQRT_PI + logCfTail(t);
  if (z > 0) return Math.log1p(-0.5 * erfc(z / SQRT2));
  return Math.log(0.5 * erfc(t));
}

/** log of the standard normal density. */
export function logNormPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation plus one Halley step. */
export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    return -ndtri(1 - p);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  const e = ndtr(x) - p;
  const u = e * Math.exp(LOG_SQRT_2PI + (x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** log(Φ(b) − Φ(a)) for a < b, without cancellation in either tail. */
export function logGaussMass(a: number, b: number): number {
  if (a < -38.5 && b > 38.5) return 0; // the whole mass, to double precision
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

/**
 * A draw from N(0, 1) truncated to [a, b] by inversion of uniform `u` in [0, 1), computed in the
 * tail where it is accurate; clipped to [a, b].
 */
export function truncnormPpf(u: number, a: number, b: number): number {
  if (a > 0) return -truncnormPpf(1 - u, -b, -a);
  const pa = ndtr(a);
  const qb = ndtr(-b);
  const mass = b <= 0 ? ndtr(b) - pa : 1 - pa - qb;
  const p = pa + u * mass;
  const x = p < 0.5 || b <= 0 ? ndtri(p) : -ndtri(qb + (1 - u) * mass);
  return Math.min(Math.max(x, a), b);
}
