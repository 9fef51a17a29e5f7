/**
 * A discrete-event simulator that drives the real admission code (`admit`, the same function the
 * compute service calls in its locked transaction) in virtual time against simulated executors —
 * the shape of Kueue's minimal scheduler perf harness. No database: what is measured is the
 * scheduling policy and the cost of the decision itself.
 */
import { performance } from 'node:perf_hooks';
import { admit } from '../modules/admission/admission.js';
import type { ActiveAllocation, PoolCapacity, QueuedRun, TenantQuota } from '../modules/admission/admission.types.js';

export interface SimTrial extends QueuedRun {
  /** Simulated run time in ms. */
  durationMs: number;
  /** When it arrives, in simulated ms. */
  arriveMs: number;
  /** Label for per-class statistics (e.g. small/medium/large). */
  klass: string;
  /** Estimated run time the scheduler may know (for ETA error); defaults to the true one. */
  expectedMs?: number;
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
}

interface Running extends ActiveAllocation {
  endMs: number;
  startMs: number;
  trial: SimTrial;
}

export function simulate(opts: {
  pool: PoolCapacity;
  quotas: Map<string, TenantQuota>;
  trials: SimTrial[];
  cycleMs: number;
  maxSimMs?: number;
  sampleEveryMs?: number;
  /** As in production (default 60 s). */
  minRuntimeBeforePreemptSec?: number;
  /** As in production (default 30 s). */
  borrowBackoffSec?: number;
}): SimResult {
  const { pool, quotas } = opts;
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
        if (r.stopping) queue.set(r.trial.trialId, r.trial); // requeued: a new attempt later
        else done++;
      } else still.push(r);
    }
    running = still;
    while (next < arrivals.length && arrivals[next]!.arriveMs <= t) {
      const a = arrivals[next++]!;
      queue.set(a.trialId, a);
    }
    const t0 = performance.now();
    const out = admit({
      pool,
      quotas,
      allocations: running.map((r) => ({ ...r, runtimeSec: (t - r.startMs) / 1000, preemptions: evictions.get(r.trial.trialId) ?? 0 })),
      queue: [...queue.values()].map((q) => {
        const k = evictions.get(q.trialId);
        return k || preempting.has(q.trialId)
          ? { ...q, preempting: preempting.has(q.trialId), preemptions: k ?? 0, sincePreemptedSec: (t - (lastEvicted.get(q.trialId) ?? 0)) / 1000 }
          : q;
      }),
      borrowBackoffSec: opts.borrowBackoffSec ?? 30,
      minRuntimeBeforePreemptSec: opts.minRuntimeBeforePreemptSec ?? 60,
    });
    const dt = performance.now() - t0;
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
      r.endMs = t + opts.cycleMs; // graceful stop takes one cycle
    }
    for (const a of out.admitted) {
      const trial = queue.get(a.trialId)!;
      queue.delete(a.trialId);
      preempting.delete(a.trialId);
      admissions++;
      const wait = t - trial.arriveMs;
      if (!evictions.has(trial.trialId)) {
        push(tta, trial.klass, wait);
        push(waits, trial.tenant, wait);
      }
      running.push({
        tenant: trial.tenant, pool: pool.name, cpus: trial.cpus, gpus: trial.gpus, memoryMb: trial.memoryMb, devices: a.devices,
        attemptId: `${trial.trialId}#${admissions}`, trialId: trial.trialId, priority: trial.priority ?? 'standard', borrowed: a.borrowed,
        startMs: t, endMs: t + trial.durationMs, trial,
      });
    }
    violations += countViolations(pool, quotas, running);
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
    utilization: busyCpuMs / (pool.cpus * t),
    preemptions,
    maxEvictionsPerTrial: Math.max(0, ...evictions.values()),
    quotaViolations: violations,
    preemptionCycles: countCycles(evictionLog),
    waitsMsByTenant: waits,
    samples,
  };
}

/** Hard-quota invariant at one instant: pool capacity, and each tenant's nominal + borrowing. */
export function countViolations(pool: PoolCapacity, quotas: Map<string, TenantQuota>, running: ActiveAllocation[]): number {
  let v = 0;
  const keys = ['cpus', 'gpus', 'memoryMb'] as const;
  for (const k of keys) if (running.reduce((s, r) => s + r[k], 0) > pool[k] + 1e-9) v++;
  const byTenant = new Map<string, ActiveAllocation[]>();
  for (const r of running) push(byTenant, r.tenant, r);
  for (const [tenant, rs] of byTenant) {
    const q = quotas.get(tenant)!;
    if (rs.length > q.concurrentTrials) v++;
    for (const k of keys) {
      const limit = q.cohort ? q[k] + (q.borrowingLimit?.[k] ?? Infinity) : q[k];
      if (rs.reduce((s, r) => s + r[k], 0) > limit + 1e-9) v++;
    }
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
