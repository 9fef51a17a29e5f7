/**
 * `npm run bench:scheduler`: the real admission code in virtual time (simulator.ts) over the
 * scenarios in scenarios.ts. Prints one JSON line per scenario. Targets are in issue 3 and
 * docs/benchmarks.md; figures are medians where repeated, ratios are within one run.
 */
import { percentile, simulate, type SimResult, type SimTrial, type SimView } from './simulator.js';
import { s1, s2, s3, s4, s5, s6, s7, s8, type Scenario } from './scenarios.js';
import { remainingSec, runtimeEstimator } from '../modules/eta/eta.js';
import { expectedDurationSec, forecastArrivals, replayStarts, type PlannedTrials } from '../modules/eta/replay.js';
import { ETA_SAMPLES, runtimeSpread, sampledReplayStarts, type RatioSampler } from '../modules/eta/replay-sampled.js';
import { weightedDrfTargets } from './drf-target.js';
import { ETA_COMPUTE_MS, ETA_SAMPLES_MS } from '../modules/eta/eta.reader.js';

function jain(xs: number[]): number {
  const sum = xs.reduce((s, x) => s + x, 0);
  const sq = xs.reduce((s, x) => s + x * x, 0);
  return xs.length && sq > 0 ? (sum * sum) / (xs.length * sq) : 1;
}

function line(s: Scenario, r: SimResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scenario: s.name,
    trials: r.trials,
    realSeconds: round(r.realSeconds),
    simulatedSeconds: round(r.makespanSec),
    admissionsPerSec: Math.round(r.admissions / Math.max(r.admitSeconds, 1e-9)),
    decisionP50Ms: round(percentile(r.decisionMs, 50), 3),
    decisionP99Ms: round(percentile(r.decisionMs, 99), 3),
    ttaMeanSecByClass: r.ttaSecByClass,
    utilization: round(r.utilization, 3),
    preemptions: r.preemptions,
    maxEvictionsPerTrial: r.maxEvictionsPerTrial,
    preemptionCycles: r.preemptionCycles,
    quotaViolations: r.quotaViolations,
    budgetOverrun: round(r.budgetOverrunGpuHours, 4),
    jain: null,
    maxShareDeviation: null,
    etaMape: null,
    backfills: r.backfills,
    ...extra,
  };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function drfShares(s: Scenario, r: SimResult) {
  const caps = s.pool;
  // Weighted dominant share of each tenant at a sample, normalised by weight.
  return r.samples.map((sample) =>
    [...s.quotas.keys()].map((t) => {
      const u = sample.byTenant.get(t) ?? { cpus: 0, gpus: 0, memoryMb: 0 };
      const ds = Math.max(u.cpus / caps.cpus, caps.gpus ? u.gpus / caps.gpus : 0, u.memoryMb / caps.memoryMb);
      return ds / (s.quotas.get(t)!.weight ?? 1);
    }),
  );
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const want = (n: string) => only.length === 0 || only.includes(n);

if (want('S1')) {
  const s = s1();
  const r = simulate(s);
  console.log(JSON.stringify(line(s, r, { kueueBaseline: { simulatedSeconds: 351, utilization: 0.559, ttaMeanSecByClass: { large: 16.5, medium: 76.8, small: 215 } } })));
}
if (want('S2')) {
  // The ETA replay's cost at this depth: every 10 simulated seconds, replayStarts with the
  // production bounds (5,000 cycles, 250 ms) over the whole queue.
  const s = s2();
  const eta: { ms: number; queued: number; estimated: number; cycles: number }[] = [];
  // And as production estimates now (eta.reader.ts): sampled worlds within ETA_COMPUTE_MS of
  // computing time (run here in one piece: slicing changes when it runs, not what it computes).
  const production: { ms: number; queued: number; estimated: number; samples: number }[] = [];
  const spread = runtimeSpread(new Map());
  const r = simulate({
    ...s,
    observe: (v) => {
      if (v.t % 10_000 !== 0 || v.queue.length === 0) return;
      const input = {
        pools: [s.pool], quotas: v.quotas, now: new Date(v.t), cycleSec: s.cycleMs / 1000,
        allocations: v.running.map((x) => ({ ...x, runtimeSec: (v.t - x.startMs) / 1000, expectedRuntimeSec: x.trial.expectedRuntimeSec, endSec: remainingSec(x.trial.expectedRuntimeSec ?? null, (v.t - x.startMs) / 1000) })),
        queue: [...v.queue],
      };
      const e = replayStarts(input);
      eta.push({ ms: e.elapsedMs, queued: v.queue.length, estimated: e.starts.size, cycles: e.cycles });
      const p = sampledReplayStarts({ ...input, maxMs: ETA_COMPUTE_MS }, { samples: ETA_SAMPLES, ratio: spread, samplesMs: ETA_SAMPLES_MS });
      production.push({ ms: p.elapsedMs, queued: v.queue.length, estimated: p.starts.size, samples: p.samples });
    },
  });
  console.log(JSON.stringify(line(s, r, {
    etaReplays: eta.length, etaQueuedMax: Math.max(0, ...eta.map((x) => x.queued)), etaComputeP50Ms: round(percentile(eta.map((x) => x.ms), 50), 1),
    etaComputeMaxMs: round(Math.max(0, ...eta.map((x) => x.ms)), 1), etaCyclesMax: Math.max(0, ...eta.map((x) => x.cycles)),
    etaEstimatedShare: round(eta.reduce((a, x) => a + x.estimated, 0) / Math.max(1, eta.reduce((a, x) => a + x.queued, 0)), 3),
    etaProduction: {
      budgetMs: ETA_COMPUTE_MS, samplesMs: ETA_SAMPLES_MS, computeP50Ms: round(percentile(production.map((x) => x.ms), 50), 1), computeMaxMs: round(Math.max(0, ...production.map((x) => x.ms)), 1),
      samplesP50: percentile(production.map((x) => x.samples), 50),
      estimatedShare: round(production.reduce((a, x) => a + x.estimated, 0) / Math.max(1, production.reduce((a, x) => a + x.queued, 0)), 3),
    },
    target: { admissionsPerSec: 500, decisionP99Ms: 50 },
  })));
}
// S3 three times: the default policy; 1 CPU of lending headroom per steady tenant; 3 CPUs of
// lending headroom kept by the cohort as a whole (cohort policy). What the burst's speed pays for
// the steady tenants' waits is in costVsDefault.
let s3Default: SimResult | null = null;
for (const headroom of [{}, { perTenantCpus: 1 }, { cohortCpus: 3 }]) {
  const s = s3(true, headroom);
  if (!want(s.name) && !(s.name !== 'S3' && want('S3'))) continue;
  const rb = simulate(s3(false, headroom));
  const r = simulate(s);
  const others = (res: SimResult) => [...res.waitsMsByTenant].filter(([t]) => t !== 't0').flatMap(([, w]) => w);
  const p99Base = percentile(others(rb), 99) / 1000;
  const p99 = percentile(others(r), 99) / 1000;
  const extra: Record<string, unknown> = { othersWaitP99Sec: round(p99), othersWaitP99SecWithoutBurst: round(p99Base), othersWaitP99Growth: round(p99Base > 0 ? p99 / p99Base - 1 : 0, 3) };
  if (s.name === 'S3') {
    s3Default = r;
  } else {
    if (headroom.perTenantCpus) extra.lendingHeadroomCpusPerSteadyTenant = headroom.perTenantCpus;
    if (headroom.cohortCpus) extra.cohortLendingHeadroomCpus = headroom.cohortCpus;
    if (s3Default) extra.costVsDefault = { simulatedSecondsRatio: round(r.makespanSec / s3Default.makespanSec, 3), utilizationDefault: round(s3Default.utilization, 3) };
  }
  console.log(JSON.stringify(line(s, r, { ...extra, target: { othersWaitP99Growth: 0.2 } })));
}
for (const scale of [1, 16]) {
  const s = s4(scale);
  if (!want(s.name)) continue;
  const r = simulate({ ...s, maxSimMs: 5_000 });
  const caps = { cpus: s.pool.cpus, gpus: s.pool.gpus, memoryMb: s.pool.memoryMb };
  const tasks = new Map(s.trials.map((t) => [t.tenant, { cpus: t.cpus, gpus: t.gpus, memoryMb: t.memoryMb }]));
  const target = weightedDrfTargets(caps, [...s.quotas].map(([name, q]) => ({ name, weight: q.weight ?? 1, task: tasks.get(name)! })));
  // Cycles needed until every tenant is within 5 % of its weighted-DRF target.
  const deviationAt = (i: number) => {
    const sample = r.samples[i]!;
    return Math.max(...[...target].map(([t, goal]) => {
      const u = sample.byTenant.get(t) ?? { cpus: 0, gpus: 0, memoryMb: 0 };
      const ds = Math.max(u.cpus / caps.cpus, u.gpus / caps.gpus, u.memoryMb / caps.memoryMb);
      return Math.abs(ds - goal) / goal;
    }));
  };
  const cyclesToConverge = r.samples.findIndex((_, i) => deviationAt(i) <= 0.05) + 1;
  // The same deviation in units of one task of that tenant: discrete tasks cannot land closer
  // than half a task to a fluid target, whatever the scheduler does.
  const taskShare = (t: string) => {
    const k = tasks.get(t)!;
    return Math.max(k.cpus / caps.cpus, k.gpus / caps.gpus, k.memoryMb / caps.memoryMb);
  };
  const sample3 = r.samples[Math.min(2, r.samples.length - 1)]!;
  const maxDeviationTasks = Math.max(...[...target].map(([t, goal]) => {
    const u = sample3.byTenant.get(t) ?? { cpus: 0, gpus: 0, memoryMb: 0 };
    return Math.abs(Math.max(u.cpus / caps.cpus, u.gpus / caps.gpus, u.memoryMb / caps.memoryMb) - goal) / taskShare(t);
  }));
  const third = drfShares(s, r)[Math.min(2, r.samples.length - 1)]!;
  const sample = r.samples[2]!;
  const used = { cpus: 0, gpus: 0, memoryMb: 0 };
  for (const u of sample.byTenant.values()) for (const k of ['cpus', 'gpus', 'memoryMb'] as const) used[k] += u[k];
  const bottleneck = Math.max(used.cpus / s.pool.cpus, used.gpus / s.pool.gpus, used.memoryMb / s.pool.memoryMb);
  console.log(JSON.stringify(line(s, r, {
    maxShareDeviation: round(deviationAt(Math.min(2, r.samples.length - 1)), 3), maxDeviationTasks: round(maxDeviationTasks, 2),
    cyclesToConverge: cyclesToConverge || null,
    jain: round(jain(third), 3), bottleneckUtilizationAtCycle3: round(bottleneck, 3),
    target: { maxShareDeviation: 0.05, cycles: 3, jain: 0.95, utilization: 0.95 },
  })));
}
if (want('S5')) {
  const s = s5();
  const r = simulate(s);
  console.log(JSON.stringify(line(s, r, { target: { preemptionCycles: 0, maxEvictionsPerTrial: 2 } })));
}
if (want('S6')) {
  const s = s6();
  const r = simulate(s);
  const crit = r.waitsMsByClass.get('critical') ?? [];
  console.log(JSON.stringify(line(s, r, {
    criticalStartP99Sec: round(percentile(crit, 99) / 1000, 3), criticalStartMaxSec: round(Math.max(0, ...crit) / 1000, 3),
    largeWaitMaxSec: round(Math.max(0, ...(r.waitsMsByClass.get('large') ?? [])) / 1000, 1), idleCapacityFilled: round(r.busyWhileQueued, 3),
    target: { criticalStartP99Sec: (s.cycleMs + s.graceMs!) / 1000, idleCapacityFilled: 0.95 },
  })));
}
if (want('S7')) {
  // S7-decay: the same, with the three budgets decaying (half-life 1 h) instead of a period that
  // never comes round in the 4 simulated hours; budgetOverrun is then the most the decayed use
  // ever exceeded a budget.
  for (const s of [s7(), s7(1)]) {
    const r = simulate(s);
    console.log(JSON.stringify(line(s, r, {
      crashes: r.crashes, lost: r.lost, doubled: r.doubled, unfinishedAtEnd: r.unfinished,
      ...(s.name === 'S7-decay' ? { budgetHalfLifeHours: 1, maxDecayedUseOfBudget: round(r.maxDecayedShareOfBudget, 3) } : {}),
      target: { quotaViolations: 0, budgetOverrun: 0 },
    })));
  }
}
if (want('S8')) {
  // Every 10 simulated seconds, the production ETA (replayStarts, as eta.reader.ts calls it: the
  // real admit() replayed forward) predicts each queued trial's start; afterwards each prediction is
  // compared with when it really started. Run times it is given: for `etaMape`, each experiment's
  // mean (the scenario's "what the scheduler observes"); for `etaObservedDurations`, what compute
  // really has at that moment — the mean run time of the experiment's trials that succeeded so far,
  // else the other experiments' (runtimeEstimator, as eta.reader.ts uses it on DURATIONS_SQL).
  // `--seed N`: another workload of the same generator (the recorded figures are seed 8's).
  const seedAt = process.argv.indexOf('--seed');
  const s = s8(seedAt > 0 ? Number(process.argv[seedAt + 1]) : 8);
  // What compute knows of each experiment: its maximum trial count (trial.created's maxTrials)
  // and the trials created so far; `--no-forecast` leaves trials not created yet out.
  const forecast = !process.argv.includes('--no-forecast');
  const byExperiment = new Map<string, SimTrial[]>();
  for (const x of s.trials) byExperiment.set(x.experimentId!, [...(byExperiment.get(x.experimentId!) ?? []), x]);
  type RuntimeOf = (trial: SimTrial) => number | null;
  const planned = (t: number, runtimeOf: RuntimeOf): PlannedTrials[] => [...byExperiment].flatMap(([experimentId, all]) => {
    const created = all.filter((x) => x.arriveMs <= t).sort((a, b) => a.arriveMs - b.arriveMs);
    if (created.length === 0 || created.length === all.length) return [];
    const latest = created[created.length - 1]!;
    return [{ experimentId, remaining: all.length - created.length, created: created.length, firstCreatedAgoSec: (t - created[0]!.arriveMs) / 1000,
      template: { ...latest, expectedRuntimeSec: runtimeOf(latest) } }];
  });
  // As eta.reader.ts: the replay in sampled worlds (replay-sampled.ts), run-time ratios from the
  // durations of the attempts that succeeded so far; `--no-samples` gives the deterministic replay alone.
  const samples = process.argv.includes('--no-samples') ? 0 : ETA_SAMPLES;
  let spread: RatioSampler = runtimeSpread(new Map());
  const estimate = (v: SimView, runtimeOf: RuntimeOf) => sampledReplayStarts({
    pools: s.pools!,
    quotas: v.quotas,
    now: new Date(v.t),
    cycleSec: s.cycleMs / 1000,
    allocations: v.running.map((x) => {
      const expectedSec = expectedDurationSec({ expectedRuntimeSec: runtimeOf(x.trial), maxRuntimeSeconds: x.trial.maxRuntimeSeconds });
      return {
        ...x, runtimeSec: (v.t - x.startMs) / 1000, expectedRuntimeSec: x.trial.maxRuntimeSeconds ?? runtimeOf(x.trial),
        maxRuntimeSeconds: x.trial.maxRuntimeSeconds ?? null, endSec: remainingSec(Number.isFinite(expectedSec) ? expectedSec : null, (v.t - x.startMs) / 1000),
      };
    }),
    queue: v.queue.map((q) => ({ ...q, expectedRuntimeSec: runtimeOf(q) })),
    arrivals: forecast ? forecastArrivals(planned(v.t, runtimeOf)) : [],
    experimentOf: new Map([...v.queue, ...v.running.map((x) => x.trial)].map((x) => [x.trialId, x.experimentId!])),
    // Deterministic figures: bounded by cycles (the default), not by this machine's speed.
    maxMs: Infinity,
  }, { samples, ratio: spread });
  type Tally = { predictions: { trialId: string; at: number; predicted: number }[]; queued: number; ms: number[] };
  const nominal: Tally = { predictions: [], queued: 0, ms: [] };
  const observed: Tally = { predictions: [], queued: 0, ms: [] };
  const record = (tally: Tally, v: SimView, runtimeOf: RuntimeOf) => {
    const eta = estimate(v, runtimeOf);
    tally.ms.push(eta.elapsedMs);
    tally.queued += v.queue.length;
    for (const q of v.queue) {
      const sec = eta.starts.get(q.trialId);
      if (sec !== undefined) tally.predictions.push({ trialId: q.trialId, at: v.t, predicted: v.t + sec * 1000 });
    }
  };
  const observe = (v: SimView) => {
    if (v.t % 10_000 !== 0 || v.queue.length === 0) return;
    // DURATIONS_SQL: mean run time of succeeded attempts, per experiment with trials queued or running
    // (and their spread: eta.reader.ts's OBSERVED_RUNTIMES_SQL).
    const inFlight = new Set([...v.queue, ...v.running.map((x) => x.trial)].map((x) => x.experimentId!));
    const secs = new Map<string, number[]>();
    for (const { trial, runMs } of v.succeeded) {
      if (inFlight.has(trial.experimentId!)) secs.set(trial.experimentId!, [...(secs.get(trial.experimentId!) ?? []), runMs / 1000]);
    }
    spread = runtimeSpread(secs);
    record(nominal, v, (x) => (x.expectedMs ?? x.durationMs) / 1000);
    const sums = new Map<string, { sec: number; n: number }>();
    for (const { trial, runMs } of v.succeeded) {
      if (!inFlight.has(trial.experimentId!)) continue;
      const a = sums.get(trial.experimentId!) ?? { sec: 0, n: 0 };
      sums.set(trial.experimentId!, { sec: a.sec + runMs / 1000, n: a.n + 1 });
    }
    const runtimeOf = runtimeEstimator(new Map([...sums].map(([e, a]) => [e, a.sec / a.n])));
    record(observed, v, (x) => runtimeOf(x.experimentId!, x.maxRuntimeSeconds));
  };
  const r = simulate({ ...s, observe });
  // Error relative to the real remaining wait; waits under 10 s are left out of the mean (a
  // percentage of a near-zero wait says nothing) but counted in the weighted error.
  const score = (tally: Tally) => {
    const pairs = tally.predictions.flatMap((p) => {
      const actual = r.firstStartMs.get(p.trialId);
      return actual === undefined ? [] : [{ actualWait: actual - p.at, predictedWait: p.predicted - p.at }];
    });
    const long = pairs.filter((p) => p.actualWait >= 10_000);
    return {
      mape: round(long.reduce((sum, p) => sum + Math.abs(p.predictedWait - p.actualWait) / p.actualWait, 0) / Math.max(long.length, 1), 3),
      wape: round(pairs.reduce((sum, p) => sum + Math.abs(p.predictedWait - p.actualWait), 0) / Math.max(pairs.reduce((sum, p) => sum + p.actualWait, 0), 1), 3),
      predictions: pairs.length, over10s: long.length,
      // Queued trials given a start estimate, over all queued trials at the sampled instants.
      estimatedShare: round(tally.predictions.length / Math.max(tally.queued, 1), 3),
      medianAbsErrorSec: round(percentile(pairs.map((p) => Math.abs(p.predictedWait - p.actualWait)), 50) / 1000, 1),
      meanSignedErrorSec: round(pairs.reduce((sum, p) => sum + p.predictedWait - p.actualWait, 0) / Math.max(pairs.length, 1) / 1000, 1),
    };
  };
  const n = score(nominal);
  const o = score(observed);
  console.log(JSON.stringify(line(s, r, {
    etaMape: n.mape, etaWape: n.wape, etaPredictions: n.predictions, etaPredictionsOver10s: n.over10s, etaEstimatedShare: n.estimatedShare,
    etaMedianAbsErrorSec: n.medianAbsErrorSec, etaMeanSignedErrorSec: n.meanSignedErrorSec,
    etaObservedDurations: { mape: o.mape, wape: o.wape, predictionsOver10s: o.over10s, estimatedShare: o.estimatedShare, meanSignedErrorSec: o.meanSignedErrorSec },
    etaForecastArrivals: forecast, etaComputeP50Ms: round(percentile(nominal.ms, 50), 2), etaComputeP99Ms: round(percentile(nominal.ms, 99), 2),
    target: { etaMape: 0.2 },
  })));
}
