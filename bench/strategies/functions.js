'use strict';
// Benchmark functions, defined once here; optuna_bench.py mirrors the same formulas.

/** Branin on [-5, 10] x [0, 15]; minimum 0.397887 (three minimisers). */
function branin(p) {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (p.x2 - b * p.x1 ** 2 + c * p.x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(p.x1) + 10;
}

/** Rosenbrock in 4-D on [-2.048, 2.048]^4; minimum 0 at (1, 1, 1, 1). */
function rosenbrock(p) {
  const x = [p.x1, p.x2, p.x3, p.x4];
  let total = 0;
  for (let i = 0; i < 3; i++) total += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return total;
}

const OFFSET = { sgd: 0, adam: 0.3, rmsprop: 0.6 };
/** Mixed: log-float lr, int units, categorical optimizer; minimum 0 at lr = 10^-2.5, units = 24, sgd. */
function mixed(p) {
  return (Math.log10(p.lr) + 2.5) ** 2 + ((p.units - 24) / 16) ** 2 + OFFSET[p.optimizer];
}

const float = (low, high, log = false) => ({ type: 'float', low, high, log });

const FUNCTIONS = {
  branin: { f: branin, optimum: 0.397887357729738, space: { x1: float(-5, 10), x2: float(0, 15) } },
  rosenbrock4: {
    f: rosenbrock,
    optimum: 0,
    space: { x1: float(-2.048, 2.048), x2: float(-2.048, 2.048), x3: float(-2.048, 2.048), x4: float(-2.048, 2.048) },
  },
  mixed: {
    f: mixed,
    optimum: 0,
    space: {
      lr: float(1e-5, 1, true),
      units: { type: 'int', low: 1, high: 128, step: 1, log: false },
      optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
    },
  },
};

module.exports = { FUNCTIONS };
