#!/usr/bin/env node
// npm run bench:executors — platform overhead per trial and throughput of the local and Slurm
// executors; prints one JSON line per executor (see docs/benchmarks.md, "Executors").
//   local: BENCH_LOCAL_TRIALS (1000) short trials one at a time (overhead), then again BENCH_LOCAL_PARALLEL
//          (os.availableParallelism()) at a time (trials/sec, and the overhead under that load)
//   slurm: BENCH_SLURM_SUBMITS (200) raw sbatch vs as many executor submissions, sequential, in 4
//          alternating blocks; trials/sec and overhead from the executor's blocks
// Overhead = (trial's first instruction − submit call) + (exited event − trial's last instruction),
// clocked by bash's $EPOCHREALTIME inside the trial (so it includes bash's own start-up, ~1 ms).
'use strict';
const { execFileSync, execFile } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { createLocalExecutor } = require('@fairsweep/executor-local');
const { createSlurmExecutor } = require('@fairsweep/executor-slurm');

const run = promisify(execFile);
const now = () => performance.timeOrigin + performance.now();
const TRIAL = ['/bin/bash', '-c', 'echo "S $EPOCHREALTIME"; echo "E $EPOCHREALTIME"'];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (x) => Math.round(x * 100) / 100;
let counter = 0;

function launchOf(tenant, memoryMb) {
  counter += 1;
  const id = `bench-${process.pid}-${Date.now().toString(36)}-${counter}`;
  return {
    attemptId: id, trialId: id, experimentId: 'bench', tenant, trialIndex: counter, attempt: 1, command: TRIAL,
    env: {}, params: { x: counter }, seed: counter, resources: { cpus: 1, gpus: 0, memoryMb }, maxRuntimeSeconds: null,
  };
}

/** Records per attempt: submit time, trial start/end (from its output), exited time. */
function track(executor) {
  const t = new Map();
  const waiters = new Map();
  executor.onEvent((e) => {
    const r = t.get(e.attemptId);
    if (!r) return;
    if (e.type === 'log' && e.stream === 'stdout') {
      const [tag, stamp] = e.line.split(' ');
      if (tag === 'S' || tag === 'E') r[tag] = Number(stamp) * 1000;
    }
    if (e.type === 'exited') {
      r.exited = now();
      r.outcome = e.outcome;
      waiters.get(e.attemptId)?.();
    }
  });
  return {
    async runOne(launch) {
      const done = new Promise((resolve) => waiters.set(launch.attemptId, resolve));
      t.set(launch.attemptId, { submit: now() });
      await executor.submit(launch);
      await done;
    },
    submitMark(launch) {
      t.set(launch.attemptId, { submit: now() });
      const done = new Promise((resolve) => waiters.set(launch.attemptId, resolve));
      return done;
    },
    reset() {
      t.clear();
    },
    overheads() {
      const rows = [...t.values()].filter((r) => r.outcome === 'succeeded' && r.S && r.E);
      return { ok: rows.length, values: rows.map((r) => r.S - r.submit + (r.exited - r.E)).sort((a, b) => a - b) };
    },
  };
}

async function benchLocal() {
  const trials = Number(process.env.BENCH_LOCAL_TRIALS ?? 1000);
  const parallel = Number(process.env.BENCH_LOCAL_PARALLEL ?? os.availableParallelism());
  const executor = createLocalExecutor({ workRoot: mkdtempSync(path.join(os.tmpdir(), 'fs-bench-local-')), gracePeriodMs: 1000 });
  const tracker = track(executor);
  for (let i = 0; i < 20; i++) await tracker.runOne(launchOf('bench', 16)); // warm-up
  // Latency: one trial at a time, so each overhead is the platform's alone.
  tracker.reset();
  for (let i = 0; i < trials; i++) await tracker.runOne(launchOf('bench', 16));
  const { ok, values } = tracker.overheads();
  // Throughput: `parallel` trials at a time.
  tracker.reset();
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < trials) {
      next += 1;
      await tracker.runOne(launchOf('bench', 16));
    }
  }));
  const wall = (now() - t0) / 1000;
  const loaded = tracker.overheads();
  await executor.close();
  return {
    executor: 'local', trials: ok, overheadP50Ms: round(pct(values, 50)), overheadP99Ms: round(pct(values, 99)),
    trialsPerSec: round(loaded.ok / wall), parallel, loadedOverheadP50Ms: round(pct(loaded.values, 50)),
    loadedOverheadP99Ms: round(pct(loaded.values, 99)), failed: 2 * trials - ok - loaded.ok, cpus: os.availableParallelism(),
  };
}

async function benchSlurm() {
  const n = Number(process.env.BENCH_SLURM_SUBMITS ?? 200);
  const fixture = path.join(__dirname, '..', '..', '..', 'scripts', 'slurm-fixture.sh');
  execFileSync('bash', [fixture, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const conf = /SLURM_CONF=(\S+)/.exec(execFileSync('bash', [fixture, 'env'], { encoding: 'utf8' }))[1];
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', SLURM_CONF: conf };
  const drain = async () => {
    while ((await run('squeue', ['-h', '-o', '%i'], { env })).stdout.trim() !== '') await new Promise((r) => setTimeout(r, 250));
  };
  const executor = createSlurmExecutor({
    workRoot: mkdtempSync(path.join(os.tmpdir(), 'fs-bench-slurm-')), slurmConf: conf, accountFor: (t) => t, // default pollIntervalMs (1000)
  });
  const tracker = track(executor);
  // Alternating blocks of raw sbatch and executor submissions, each on an empty queue, so that drift
  // in the controller's speed (it varies by tens of percent on a small VM) hits both alike.
  const blocks = 4;
  const per = Math.ceil(n / blocks);
  let rawSecs = 0;
  let submitSecs = 0;
  let execWall = 0;
  for (let b = 0; b < blocks; b++) {
    await drain();
    const raw0 = now();
    for (let i = 0; i < per; i++) {
      await run('sbatch', ['--parsable', `--job-name=raw-${b}-${i}`, '--output=/dev/null', '--account=acme', '--cpus-per-task=1', '--mem=16M', '--wrap', 'true'], { env });
    }
    rawSecs += (now() - raw0) / 1000;
    await drain();
    const done = [];
    const sub0 = now();
    for (let i = 0; i < per; i++) {
      const launch = launchOf('acme', 16);
      done.push(tracker.submitMark(launch));
      await executor.submit(launch);
    }
    submitSecs += (now() - sub0) / 1000;
    await Promise.all(done);
    execWall += (now() - sub0) / 1000;
  }
  const rawSbatchPerSec = (per * blocks) / rawSecs;
  const wall = execWall;
  await executor.close();
  const { ok, values } = tracker.overheads();
  return {
    executor: 'slurm', trials: ok, overheadP50Ms: round(pct(values, 50)), overheadP99Ms: round(pct(values, 99)),
    trialsPerSec: round(ok / wall), submitPerSec: round((per * blocks) / submitSecs), rawSbatchPerSec: round(rawSbatchPerSec),
    submitVsRaw: round((per * blocks) / submitSecs / rawSbatchPerSec), failed: per * blocks - ok,
  };
}

(async () => {
  console.log(JSON.stringify(await benchLocal()));
  if (process.env.BENCH_SKIP_SLURM !== '1') console.log(JSON.stringify(await benchSlurm()));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
