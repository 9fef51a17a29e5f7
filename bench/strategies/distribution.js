'use strict';
// node bench/strategies/run.js --distribution [--function f] [--draws N] [--history random:30|optuna:60]:
// does our TPE, drawing from its own random streams (createRng(deriveTrialSeed(s, n), 'tpe')), suggest
// from the same distribution as Optuna 3.1's TPESampler(seed=s)? One fixed history of n completed
// trials (random search with seed 12345, or the first n trials of Optuna's TPE run with seed 0);
// N suggestions from each side, seeds K..K+N-1 (--seed-from K, default 0; --save PREFIX writes
// them to PREFIX.<function>.json). Unlike the equivalence check, nothing is injected:
// our RNG, its doubles, the per-trial streams and the truncated-normal/categorical transforms are
// all in the path. Reported per parameter: two-sample KS, a 20-bin histogram (chi-square), the
// chosen candidate's log l(x) − log g(x) (what the per-parameter TPE maximises) and the objective.
const { writeFileSync } = require('node:fs');
const { createTpeStrategy } = require('@fairsweep/strategy-tpe');
const { ParzenEstimator } = require('@fairsweep/strategy-tpe/dist/parzen.estimator.js');
const { parseTpeOptions } = require('@fairsweep/strategy-tpe/dist/tpe.options.js');
const { scoreObservations, splitBelowAbove, defaultGamma } = require('@fairsweep/strategy-tpe/dist/tpe.observations.js');
const { toDims, toInternal } = require('@fairsweep/strategy-tpe/dist/tpe.space.js');
const { FUNCTIONS } = require('./functions.js');
const { randomHistory } = require('./measure.js');
const { ks, chi2Homogeneity, meanDiff, mean, histogram } = require('./stats.js');

const OBJECTIVE = { metric: 'value', direction: 'minimize' };
const BINS = 20;

async function fixedHistory(name, kind, n, optuna) {
  const fn = FUNCTIONS[name];
  if (kind === 'random') return randomHistory(fn, n);
  if (kind === 'optuna') {
    const [trace] = await optuna({ mode: 'trace', function: name, space: fn.space, seed: 0, trials: n });
    return trace.history;
  }
  throw new Error(`--history: expected random:N or optuna:N, got ${kind}`);
}

/** Per parameter, log l(x) − log g(x) of a value, with the estimators the suggestion was made with. */
function scorers(space, history) {
  const observations = history.map((h, i) => ({ trialIndex: i, params: h.params, state: 'succeeded', value: h.value }));
  const scored = scoreObservations(observations, 'minimize');
  const { below, above } = splitBelowAbove(scored, defaultGamma(scored.length));
  const opts = parseTpeOptions({});
  return Object.fromEntries(
    Object.keys(space).map((name) => {
      const dims = toDims(space, [name]);
      const column = (rows) => [rows.map((s) => toInternal(dims[0], s.params[name]))];
      const l = new ParzenEstimator(dims, column(below), opts);
      const g = new ParzenEstimator(dims, column(above), opts);
      return [name, (value) => {
        const x = [[toInternal(dims[0], value)]];
        return l.logPdf(x)[0] - g.logPdf(x)[0];
      }];
    }),
  );
}

/** A numeric view of a parameter's values (categorical: the choice's index) and its histogram range. */
function numeric(spec, values) {
  if (spec.type === 'categorical') return { xs: values.map((v) => spec.choices.indexOf(v)), low: 0, high: spec.choices.length, bins: spec.choices.length };
  if (spec.log) return { xs: values.map(Math.log), low: Math.log(spec.low), high: Math.log(spec.high), bins: BINS };
  return { xs: values, low: spec.low, high: spec.high, bins: BINS };
}

const r4 = (x) => Number(x.toPrecision(4));

async function distribution(names, draws, historyArg, optuna, { seedFrom = 0, save } = {}) {
  const [kind, count] = historyArg.split(':');
  for (const name of names) {
    const fn = FUNCTIONS[name];
    const history = await fixedHistory(name, kind, Number(count), optuna);
    const observations = history.map((h, i) => ({ trialIndex: i, params: h.params, state: 'succeeded', value: h.value }));
    const tpe = createTpeStrategy({});
    const started = Date.now();
    const ours = Array.from({ length: draws }, (_, i) =>
      tpe.suggest({ space: fn.space, objective: OBJECTIVE, experimentSeed: seedFrom + i, trialIndex: history.length, observations }).params,
    );
    const oursMs = Date.now() - started;
    const [{ suggestions: theirs }] = await optuna({ mode: 'distribution', space: fn.space, history, seeds: [seedFrom, draws], check: 20 });
    if (save) writeFileSync(`${save}.${name}.json`, JSON.stringify({ history, ours, theirs }));
    const score = scorers(fn.space, history);
    const perParam = {};
    for (const p of Object.keys(fn.space).sort()) {
      const a = numeric(fn.space[p], ours.map((s) => s[p]));
      const b = numeric(fn.space[p], theirs.map((s) => s[p]));
      const ha = histogram(a.xs, a.low, a.high, a.bins);
      const hb = histogram(b.xs, b.low, b.high, b.bins);
      const sa = ours.map((s) => score[p](s[p]));
      const sb = theirs.map((s) => score[p](s[p]));
      const k = ks(a.xs, b.xs);
      const c = chi2Homogeneity(ha, hb);
      const m = meanDiff(sa, sb);
      perParam[p] = {
        ks: { d: r4(k.d), p: r4(k.p) },
        histogram: { ours: ha, optuna: hb, chi2: r4(c.chi2), df: c.df, p: r4(c.p) },
        mean: { ours: r4(mean(a.xs)), optuna: r4(mean(b.xs)) },
        logRatio: { ours: r4(mean(sa)), optuna: r4(mean(sb)), diff: r4(m.diff), se: r4(m.se), p: r4(m.p), ks: r4(ks(sa, sb).p) },
      };
    }
    const fa = ours.map(fn.f);
    const fb = theirs.map(fn.f);
    const fm = meanDiff(fa, fb);
    console.log(JSON.stringify({
      check: 'distribution', function: name, history: historyArg, draws, seedFrom, oursMs,
      objective: { ours: r4(mean(fa)), optuna: r4(mean(fb)), diff: r4(fm.diff), se: r4(fm.se), p: r4(fm.p), ks: r4(ks(fa, fb).p) },
      params: perParam,
    }));
  }
}

module.exports = { distribution };
