#!/usr/bin/env node
// A small, real "training" script for the Fairsweep quickstart: mini-batch SGD with momentum on a
// noisy least-squares problem. It reads its hyperparameters and seed from the files and variables
// every Fairsweep executor provides, and reports the validation loss per epoch on stdout with the
// line protocol (`FAIRSWEEP_METRIC name=value step=N`).
'use strict';
const fs = require('node:fs');

const trial = JSON.parse(fs.readFileSync(process.env.FAIRSWEEP_PARAMS_FILE, 'utf8'));
const { lr, batch_size: batchSize, optimizer } = trial.params;
// quadratic-tpe-pruned.yaml searches momentum only for sgd (a conditional parameter): adam's beta1 stays 0.9.
const momentum = trial.params.momentum ?? 0.9;
const seed = Number(process.env.FAIRSWEEP_SEED);

// Seeded PRNG (mulberry32) so the same trial seed gives the same run.
let state = seed >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

// Data: y = w·x + noise, with 8 features.
const dim = 8;
const wTrue = Array.from({ length: dim }, (_, i) => Math.sin(i + 1));
const sample = () => {
  const x = Array.from({ length: dim }, gauss);
  return { x, y: x.reduce((s, v, i) => s + v * wTrue[i], 0) + 0.1 * gauss() };
};
const train = Array.from({ length: 512 }, sample);
const valid = Array.from({ length: 128 }, sample);
const loss = (w, data) => data.reduce((s, { x, y }) => s + (x.reduce((a, v, i) => a + v * w[i], 0) - y) ** 2, 0) / data.length;

const w = new Array(dim).fill(0);
const velocity = new Array(dim).fill(0);
const sq = new Array(dim).fill(0);
const epochs = 12;
for (let epoch = 1; epoch <= epochs; epoch++) {
  for (let b = 0; b < train.length; b += batchSize) {
    const batch = train.slice(b, b + batchSize);
    const grad = new Array(dim).fill(0);
    for (const { x, y } of batch) {
      const err = x.reduce((a, v, i) => a + v * w[i], 0) - y;
      for (let i = 0; i < dim; i++) grad[i] += (2 * err * x[i]) / batch.length;
    }
    for (let i = 0; i < dim; i++) {
      if (optimizer === 'adam') {
        velocity[i] = momentum * velocity[i] + (1 - momentum) * grad[i];
        sq[i] = 0.999 * sq[i] + 0.001 * grad[i] ** 2;
        w[i] -= (lr * velocity[i]) / (Math.sqrt(sq[i]) + 1e-8);
      } else {
        velocity[i] = momentum * velocity[i] + grad[i];
        w[i] -= lr * velocity[i];
      }
    }
  }
  const v = loss(w, valid);
  console.log(`FAIRSWEEP_METRIC val_loss=${Number.isFinite(v) ? v.toPrecision(6) : 1e9} step=${epoch}`);
  // Pace the run like real training so progress is visible.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
}
