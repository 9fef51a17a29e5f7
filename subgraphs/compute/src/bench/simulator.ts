/**
 * A discrete-event simulator that drives the real admission code (`admit`, the same function the
 * compute service calls in its locked transaction) in virtual time against simulated executors —
 * the shape of Kueue's minimal scheduler perf harness. No database: what is measured is the
 * scheduling policy and the cost of the decision itself.
 */
import { performance } from 'node:perf_hooks';
import { admit } from '../modules/admission/admission.js';
import type { ActiveAllocation, AdmissionDecisions, CohortPolicy, PoolCapacity, QueuedRun, TenantQuota } from '../modules/admission/admission.types.js';
import { decayedUse } from '../modules/eta/replay-budgets.js';

export interface SimTrial extends QueuedRun {
  /** Simulated run time in ms. */
  durationMs: number;
  /** When it arrives, in simulated ms. */
  arriveMs: number;
  /** Label for per-class statistics (e.g. small/medium/large). */
  klass: string;
  /** The experiment it belongs to (ETA forecasts of trials not created yet). */
  experimentId?: string;
  /** Estimated run time the scheduler may know (observed durations); defaults to the true one. */
  expectedMs?: number;
}

/** What a simulated step looks like to an observer (ETA sampling in S8). */
export interface SimView {
  t: number;
  queue: readonly SimTrial[];
  running: readonly (ActiveAllocation & { trial: SimTrial; pool: string; startMs: number })[];
  quotas: ReadonlyMap<string, TenantQuota>;
  /** Attempts that ended successfully so far, with their run time: what compute's observed durations are made of. */
  succeeded: readonly { trial: SimTrial; runMs: number }[];
}

export interface SimResult {
  trials: number;
  makespanSec: number;
  realSeconds: number;
  admitSeconds: number;
  admissions: number;
  decisionMs: number[];
  ttaSecByClass: Record<string, number>;
  utilization: number;
  preemptions: number;
  maxEvictionsPerTrial: number;
  quotaViolations: number;
  /** Trial pairs where A evicted B and later B evicted A. */
  preemptionCycles: number;
  waitsMsByTenant: Map<string, number[]>;
  /** Per cycle: allocated amount of each tenant (cpus), for share analysis. */
  samples: { t: number; byTenant: Map<string, { cpus: number; gpus: number; memoryMb: number }> }[];
  /** First-admission waits by class label. */
  waitsMsByClass: Map<string, number[]>;
  /** When each trial's first attempt started (simulated ms). */
  firstStartMs: Map<string, number>;
  /** Mean over steps with queued work of the busy share of the pools' bottleneck resource. */
  busyWhileQueued: number;
  /** Admissions logged as backfill. */
  backfills: number;
  /**
   * GPU-hours used beyond a tenant's budget, summed over tenants, from the simulated executors' own
   * clock; for a decay budget, the most its decayed use ever exceeded it (sampled every cycle).
   */
  budgetOverrunGpuHours: number;
  /** Decay budgets: the highest decayed use seen, as a share of the budget (0 when none). */
  maxDecayedShareOfBudget: number;
  /** Attempts killed by simulated executor crashes, and trials that then ended failed after their retries. */
  crashes: number;
  /** Trials not in exactly one terminal state at the end, and trials that ran two attempts at once. */
  lost: number;
  doubled: number;
  /** Trials still queued or running when the simulation stopped (e.g. waiting for budget). */
  unfinished: number;
}

interface Running extends ActiveAllocation {
  endMs: number;
  startMs: number;
  trial: SimTrial;
  /** The simulated executor crashes this attempt at endMs (then the trial is retried). */
  crash?: boolean;
}

/**
 * A running attempt as compute's store reads it for a cycle (admission.store.ts): every field
 * present, in one order, so the decision sees objects of one shape, as in production.
 */
function asAllocation(r: Running, t: number, preemptions: number): ActiveAllocation {
  return {
    tenant: r.tenant, pool: r.pool, cpus: r.cpus, gpus: r.gpus, memoryMb: r.memoryMb, devices: r.devices, attemptId: r.attemptId,
    trialId: r.trialId, priority: r.priority, borrowed: r.borrowed ?? false, runtimeSec: (t - r.startMs) / 1000, stopping: r.stopping ?? false,
    preemptions, project: r.project ?? null, expectedRuntimeSec: r.trial.maxRuntimeSeconds ?? r.trial.expectedRuntimeSec ?? null,
  };
}

/** A queued trial as the store's queue query returns it (one shape; see asAllocation). */
function asQueuedRun(q: SimTrial, preempting: boolean, preemptions: number, sincePreemptedSec: number | undefined): QueuedRun {
  return {
    trialId: q.trialId, tenant: q.tenant, project: q.project ?? null, trialIndex: q.trialIndex, enqueuedAt: q.enqueuedAt, cpus: q.cpus, gpus: q.gpus,
    memoryMb: q.memoryMb, priority: q.priority, maxRuntimeSeconds: q.maxRuntimeSeconds ?? null, preempting, preemptions, sincePreemptedSec,
    expectedRuntimeSec: q.expectedRuntimeSec ?? null,
  };
}

export function simulate(opts: {
  pool: PoolCapacity;
  quotas: Map<string, TenantQuota>;
  /** Cohort policies, as compute reads them from compute.cohort_policy. */
  cohortPolicies?: ReadonlyMap<string, CohortPolicy>;
  trials: SimTrial[];
  cycleMs: number;
  maxSimMs?: number;
  sampleEveryMs?: number;
  /** As in production (default 60 s). */
  minRuntimeBeforePreemptSec?: number;
  /** As in production (default 30 s). */
  borrowBackoffSec?: number;
  /** Several pools sharing one queue (each admission cycle runs once per pool, in order). */
  pools?: PoolCapacity[];
  /** How long a preempted attempt takes to stop (signal, grace, kill); default one cycle. */
  graceMs?: number;
  /** Quota replacements at given times (a new policy version). */
  quotaChanges?: { atMs: number; tenant: string; quota: TenantQuota }[];
  /** Probability that an attempt is killed by an executor crash at a random point of its run. */
  crashProbability?: number;
  /** Retries after crashes before a trial ends failed (default 3). */
  maxRetries?: number;
  /** Random source for crashes (deterministic per scenario). */
  random?: () => number;
  /** Called after every step (ETA sampling). */
  observe?: (view: SimView) => void;
  /** Called with every admission decision (reason-code coverage). */
  onDecisions?: (out: AdmissionDecisions) => void;
}): SimResult {
  const pools = opts.pools ?? [opts.pool];
  const pool = opts.pool;
  const quotas = new Map(opts.quotas);
  const graceMs = opts.graceMs ?? opts.cycleMs;
  const random = opts.random ?? Math.random;
  const changes = [...(opts.quotaChanges ?? [])].sort((a, b) => a.atMs - b.atMs);
  let nextChange = 0;
  /** When each tenant's quota was last cut (limits lowered): attempts admitted before it may exceed the new limit. */
  const cutAt = new Map<string, number>();
  const gpuMsUsed = new Map<string, number>();
  /** Decay budgets: each tenant's GPU use (GPU-ms) valued at `at`, fading with its half-life (budget.reader.ts's closed form). */
  const decayed = new Map<string, { value: number; at: number }>();
  const halfLifeMs = (tenant: string) => {
    const h = quotas.get(tenant)?.budgetHalfLifeHours;
    return h == null ? null : h * 3_600_000;
  };
  const decayedAt = (tenant: string, at: number, h: number) => {
    const d = decayed.get(tenant);
    return d ? d.value * 2 ** (-(at - d.at) / h) : 0;
  };
  /** Per decay-budget tenant: the most its decayed use exceeded its budget at any cycle. */
  const decayOverrun = new Map<string, number>();
  let maxDecayedShareOfBudget = 0;
  const attemptsFailed = new Map<string, number>();
  const terminal = new Map<string, number>();
  let crashes = 0;
  let doubled = 0;
  let backfills = 0;
  let busySum = 0;
  let busySteps = 0;
  const waitsByClass = new Map<string, number[]>();
  const firstStart = new Map<string, number>();
  const succeeded: { trial: SimTrial; runMs: number }[] = [];
  const arrivals = [...opts.trials].sort((a, b) => a.arriveMs - b.arriveMs);
  let next = 0;
  const queue = new Map<string, SimTrial>();
  let running: Running[] = [];
  const tta = new Map<string, number[]>();
  const waits = new Map<string, number[]>();
  const evictions = new Map<string, number>();
  const decisionMs: number[] = [];
  let admissions = 0;
  let preemptions = 0;
  let violations = 0;
  let busyCpuMs = 0;
  let t = 0;
  let done = 0;
  const samples: SimResult['samples'] = [];
  const evictionLog: { victim: string; by: string; t: number }[] = [];
  const preempting = new Set<string>();
  const lastEvicted = new Map<string, number>();
  const realStart = performance.now();
  let admitSeconds = 0;
  const maxSim = opts.maxSimMs ?? 24 * 3600_000;
  while (done < opts.trials.length && t <= maxSim) {
    // Completions (and preempted attempts that finished stopping) free their resources.
    const still: Running[] = [];
    for (const r of running) {
      if (r.endMs <= t) {
        busyCpuMs += r.cpus * (r.endMs - r.startMs);
        gpuMsUsed.set(r.tenant, (gpuMsUsed.get(r.tenant) ?? 0) + r.gpus * (r.endMs - r.startMs));
        const h = halfLifeMs(r.tenant);
        if (h !== null) decayed.set(r.tenant, { value: decayedAt(r.tenant, t, h) + decayedUse(r.gpus, r.startMs, r.endMs, t, h), at: t });
        if (r.stopping) queue.set(r.trial.trialId, r.trial); // requeued: a new attempt later
        else if (r.crash) {
          crashes++;
          const failed = (attemptsFailed.get(r.trial.trialId) ?? 0) + 1;
          attemptsFailed.set(r.trial.trialId, failed);
          if (failed > (opts.maxRetries ?? 3)) {
            terminal.set(r.trial.trialId, (terminal.get(r.trial.trialId) ?? 0) + 1);
            done++;
          } else queue.set(r.trial.trialId, r.trial); // a recorded retry, never a silent loss
        } else {
          terminal.set(r.trial.trialId, (terminal.get(r.trial.trialId) ?? 0) + 1);
          // One the executor killed at its maximum runtime did not succeed.
          if (r.trial.durationMs <= (r.trial.maxRuntimeSeconds ?? Infinity) * 1000) succeeded.push({ trial: r.trial, runMs: r.endMs - r.startMs });
          done++;
        }
      } else still.push(r);
    }
    running = still;
    while (nextChange < changes.length && changes[nextChange]!.atMs <= t) {
      const c = changes[nextChange++]!;
      const before = quotas.get(c.tenant);
      if (before && (['cpus', 'gpus', 'memoryMb', 'concurrentTrials'] as const).some((k) => c.quota[k] < before[k])) cutAt.set(c.tenant, t);
      quotas.set(c.tenant, c.quota);
    }
    while (next < arrivals.length && arrivals[next]!.arriveMs <= t) {
      const a = arrivals[next++]!;
      // What the scheduler knows of its run time: the experiment's observed durations.
      if (a.expectedRuntimeSec === undefined) a.expectedRuntimeSec = (a.expectedMs ?? a.durationMs) / 1000;
      queue.set(a.trialId, a);
    }
    // GPU-hour accounts as compute reads them (budget.reader.ts), from the executors' records.
    const budgets = new Map<string, { consumedGpuHours: number; committedGpuHours: number }>();
    for (const [tenant, q] of quotas) {
      if (q.gpuHoursBudget == null) continue;
      // Reset periods do not come round in a simulation: use only grows. Decay budgets fade.
      const h = halfLifeMs(tenant);
      let consumed = h === null ? (gpuMsUsed.get(tenant) ?? 0) : decayedAt(tenant, t, h);
      let committed = 0;
      for (const r of running) {
        if (r.tenant !== tenant) continue;
        consumed += h === null ? r.gpus * (t - r.startMs) : decayedUse(r.gpus, r.startMs, t, t, h);
        committed += r.gpus * Math.max(0, (r.trial.maxRuntimeSeconds ?? 0) * 1000 - (t - r.startMs));
      }
      if (h !== null) {
        decayOverrun.set(tenant, Math.max(decayOverrun.get(tenant) ?? 0, consumed / 3_600_000 - q.gpuHoursBudget));
        if (q.gpuHoursBudget > 0) maxDecayedShareOfBudget = Math.max(maxDecayedShareOfBudget, consumed / 3_600_000 / q.gpuHoursBudget);
      }
      budgets.set(tenant, { consumedGpuHours: consumed / 3_600_000, committedGpuHours: committed / 3_600_000 });
    }
    const admittedNow = new Set<string>();
    const runningTrials = new Set(running.map((r) => r.trial.trialId));
    for (const p of pools) {
    const t0 = performance.now();
    const out = admit({
      pool: p,
      quotas,
      ...(opts.cohortPolicies ? { cohortPolicies: opts.cohortPolicies } : {}),
      allocations: running.map((r) => asAllocation(r, t, evictions.get(r.trial.trialId) ?? 0)),
      queue: [...queue.values()].map((q) => {
        const k = evictions.get(q.trialId);
        return asQueuedRun(q, preempting.has(q.trialId), k ?? 0, k || preempting.has(q.trialId) ? (t - (lastEvicted.get(q.trialId) ?? 0)) / 1000 : undefined);
      }),
      borrowBackoffSec: opts.borrowBackoffSec ?? 30,
      minRuntimeBeforePreemptSec: opts.minRuntimeBeforePreemptSec ?? 60,
      budgets,
      now: new Date(t),
    });
    const dt = performance.now() - t0;
    opts.onDecisions?.(out);
    decisionMs.push(dt);
    admitSeconds += dt / 1000;
    const byTrial = new Map(running.map((r) => [r.attemptId!, r]));
    for (const p of out.preempted) {
      const r = byTrial.get(p.attemptId);
      if (!r) continue;
      preemptions++;
      evictions.set(r.trial.trialId, (evictions.get(r.trial.trialId) ?? 0) + 1);
      lastEvicted.set(r.trial.trialId, t);
      evictionLog.push({ victim: r.trial.trialId, by: p.forTrialId, t });
      preempting.add(p.forTrialId);
      r.stopping = true;
      r.crash = false;
      r.endMs = Math.min(r.endMs, t + graceMs); // signal, grace period, then kill
    }
    for (const a of out.admitted) {
      const trial = queue.get(a.trialId)!;
      queue.delete(a.trialId);
      preempting.delete(a.trialId);
      admissions++;
      if (a.backfill) backfills++;
      admittedNow.add(trial.tenant);
      if (runningTrials.has(trial.trialId)) doubled++;
      runningTrials.add(trial.trialId);
      const wait = t - trial.arriveMs;
      if (!firstStart.has(trial.trialId)) {
        firstStart.set(trial.trialId, t);
        push(tta, trial.klass, wait);
        push(waits, trial.tenant, wait);
        push(waitsByClass, trial.klass, wait);
      }
      // The executor enforces the maximum runtime; a crash kills the attempt at a random point.
      const runMs = Math.min(trial.durationMs, (trial.maxRuntimeSeconds ?? Infinity) * 1000);
      const crash = (opts.crashProbability ?? 0) > 0 && random() < opts.crashProbability!;
      running.push({
        tenant: trial.tenant, pool: p.name, cpus: trial.cpus, gpus: trial.gpus, memoryMb: trial.memoryMb, devices: a.devices,
        attemptId: `${trial.trialId}#${admissions}`, trialId: trial.trialId, priority: trial.priority ?? 'standard', borrowed: a.borrowed,
        startMs: t, endMs: t + (crash ? Math.floor(random() * runMs) : runMs), trial, crash,
      });
    }
    }
    violations += pools.reduce((v, p) => v + countViolations(p, quotas, running.filter((r) => r.pool === p.name), new Set(), cutAt, true), 0);
    violations += countViolations(pool, quotas, running, admittedNow, cutAt, false);
    if (queue.size > 0) {
      let share = 0;
      for (const k of ['cpus', 'gpus', 'memoryMb'] as const) {
        const cap = pools.reduce((s, p) => s + p[k], 0);
        if (cap > 0) share = Math.max(share, running.reduce((s, r) => s + r[k], 0) / cap);
      }
      busySum += share;
      busySteps++;
    }
    opts.observe?.({ t, queue: [...queue.values()], running, quotas, succeeded });
    if (opts.sampleEveryMs && t % opts.sampleEveryMs === 0) {
      const byTenant = new Map<string, { cpus: number; gpus: number; memoryMb: number }>();
      for (const r of running) {
        const u = byTenant.get(r.tenant) ?? { cpus: 0, gpus: 0, memoryMb: 0 };
        u.cpus += r.cpus;
        u.gpus += r.gpus;
        u.memoryMb += r.memoryMb;
        byTenant.set(r.tenant, u);
      }
      samples.push({ t, byTenant });
    }
    t += opts.cycleMs;
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  return {
    trials: opts.trials.length,
    makespanSec: t / 1000,
    realSeconds: (performance.now() - realStart) / 1000,
    admitSeconds,
    admissions,
    decisionMs,
    ttaSecByClass: Object.fromEntries([...tta].map(([k, v]) => [k, Math.round(mean(v)) / 1000])),
    utilization: busyCpuMs / (pools.reduce((s, p) => s + p.cpus, 0) * t),
    preemptions,
    maxEvictionsPerTrial: Math.max(0, ...evictions.values()),
    quotaViolations: violations,
    preemptionCycles: countCycles(evictionLog),
    waitsMsByTenant: waits,
    samples,
    waitsMsByClass: waitsByClass,
    firstStartMs: firstStart,
    busyWhileQueued: busySteps ? busySum / busySteps : 1,
    backfills,
    // Reset budgets: all use against the budget (no reset comes round). Decay budgets: the most the
    // decayed use ever exceeded the budget, sampled at every cycle.
    maxDecayedShareOfBudget,
    budgetOverrunGpuHours: [...decayOverrun.values()].reduce((s, x) => s + x, 0) + [...quotas].reduce((s, [tenant, q]) =>
      s + (q.gpuHoursBudget == null || q.budgetHalfLifeHours != null ? 0 : Math.max(0, (gpuMsUsed.get(tenant) ?? 0) / 3_600_000 - q.gpuHoursBudget)), 0),
    crashes,
    lost: opts.trials.filter((x) => {
      const n = terminal.get(x.trialId) ?? 0;
      return n > 1 || (n === 0 && !queue.has(x.trialId) && !running.some((r) => r.trial.trialId === x.trialId));
    }).length,
    unfinished: opts.trials.filter((x) => !terminal.has(x.trialId)).length,
    doubled,
  };
}

/**
 * The hard-quota invariant at one instant, checked independently of the scheduler's bookkeeping
 * (from the simulated executors' list of what runs): pool capacity (`poolOnly`), or each tenant's
 * concurrent-trial cap and nominal + borrowing limit. A tenant may stay above a limit that was
 * cut below what it already ran (attempts are not killed by a quota change), but may not be above
 * it in a step where it was admitted anything, nor ever above a limit that was not cut.
 */
export function countViolations(
  pool: PoolCapacity, quotas: Map<string, TenantQuota>, running: ActiveAllocation[],
  admittedNow: ReadonlySet<string> = new Set(), cutAt: ReadonlyMap<string, number> = new Map(), poolOnly = false,
): number {
  let v = 0;
  const keys = ['cpus', 'gpus', 'memoryMb'] as const;
  if (poolOnly) {
    for (const k of keys) if (running.reduce((s, r) => s + r[k], 0) > pool[k] + 1e-9) v++;
    return v;
  }
  const byTenant = new Map<string, ActiveAllocation[]>();
  for (const r of running) push(byTenant, r.tenant, r);
  for (const [tenant, rs] of byTenant) {
    const q = quotas.get(tenant)!;
    const excused = cutAt.has(tenant) && !admittedNow.has(tenant);
    let over = rs.length > q.concurrentTrials ? 1 : 0;
    for (const k of keys) {
      const limit = q.cohort ? q[k] + (q.borrowingLimit?.[k] ?? Infinity) : q[k];
      if (rs.reduce((s, r) => s + r[k], 0) > limit + 1e-9) over++;
    }
    if (!excused) v += over;
  }
  return v;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function countCycles(log: { victim: string; by: string }[]): number {
  const seen = new Set<string>();
  let cycles = 0;
  for (const e of log) {
    if (seen.has(`${e.victim}>${e.by}`)) cycles++;
    seen.add(`${e.by}>${e.victim}`);
  }
  return cycles;
}
