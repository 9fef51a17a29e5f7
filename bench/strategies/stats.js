'use strict';
// Two-sample tests for the bench's distribution and stream checks (no dependencies).
const { erfc } = require('@fairsweep/strategy-tpe/dist/normal.math.js');

/** Two-sample Kolmogorov–Smirnov: the statistic D and its asymptotic p-value (Numerical Recipes' correction). */
function ks(a, b) {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const ne = Math.sqrt((x.length * y.length) / (x.length + y.length));
  return { d, p: kolmogorovQ((ne + 0.12 + 0.11 / ne) * d) };
}

function kolmogorovQ(lambda) {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(Math.max(sum, 0), 1);
}

/**
 * Chi-square test of homogeneity of two count vectors over the same bins; bins holding fewer
 * than 10 of both together are pooled into one (the approximation needs expected counts >= 5).
 */
function chi2Homogeneity(countsA, countsB) {
  const a = [];
  const b = [];
  let restA = 0;
  let restB = 0;
  countsA.forEach((ca, k) => {
    if (ca + countsB[k] >= 10) {
      a.push(ca);
      b.push(countsB[k]);
    } else {
      restA += ca;
      restB += countsB[k];
    }
  });
  if (restA + restB > 0) {
    a.push(restA);
    b.push(restB);
  }
  const na = a.reduce((s, c) => s + c, 0);
  const nb = b.reduce((s, c) => s + c, 0);
  let stat = 0;
  a.forEach((ca, k) => {
    const cb = b[k];
    const ea = ((ca + cb) * na) / (na + nb);
    const eb = ((ca + cb) * nb) / (na + nb);
    stat += (ca - ea) ** 2 / ea + (cb - eb) ** 2 / eb;
  });
  const df = a.length - 1;
  return { chi2: stat, df, p: df > 0 ? upperGamma(df / 2, stat / 2) : 1 };
}

/** Chi-square goodness of fit of counts to equal expected counts in every bin. */
function chi2Uniform(counts) {
  const e = counts.reduce((s, c) => s + c, 0) / counts.length;
  const stat = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
  return { chi2: stat, df: counts.length - 1, p: upperGamma((counts.length - 1) / 2, stat / 2) };
}

/** The regularised upper incomplete gamma Q(s, x). */
function upperGamma(s, x) {
  if (x <= 0) return 1;
  const lnPre = s * Math.log(x) - x - logGamma(s);
  if (x < s + 1) {
    let term = 1 / s;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (s + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return Math.max(0, 1 - Math.exp(lnPre) * sum);
  }
  // continued fraction (modified Lentz)
  let b = x + 1 - s;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(lnPre) * h;
}

function logGamma(z) {
  const g = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = z;
  const t = z + 5.5 - (z + 0.5) * Math.log(z + 5.5);
  let ser = 1.000000000190015;
  for (const c of g) ser += c / ++y;
  return -t + Math.log((2.5066282746310005 * ser) / z);
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Welch's z-test of equal means (large samples): the difference, its standard error and the two-sided p-value. */
function meanDiff(a, b) {
  const diff = mean(a) - mean(b);
  const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
  return { diff, se, p: erfc(Math.abs(diff / se) / Math.SQRT2) };
}

/** Counts of `xs` in `bins` equal-width bins over [low, high] (the top edge goes in the last bin). */
function histogram(xs, low, high, bins) {
  const counts = new Array(bins).fill(0);
  for (const x of xs) counts[Math.min(bins - 1, Math.max(0, Math.floor(((x - low) / (high - low)) * bins)))]++;
  return counts;
}

/** Pearson correlation. */
function correlation(a, b) {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

module.exports = { ks, chi2Homogeneity, chi2Uniform, upperGamma, meanDiff, mean, variance, histogram, correlation };
