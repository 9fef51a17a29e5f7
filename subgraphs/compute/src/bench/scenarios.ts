/** Scheduler benchmark scenarios (issue 3): workloads for the simulator, shaped after Kueue's perf tests. */
import type { CohortPolicy, PoolCapacity, TenantQuota } from '../modules/admission/admission.types.js';
import type { SimTrial } from './simulator.js';

export interface Scenario {
  name: string;
  pool: PoolCapacity;
  quotas: Map<string, TenantQuota>;
  /** Cohort policies (a cohort lending headroom); absent cohorts have none. */
  cohortPolicies?: Map<string, CohortPolicy>;
  trials: SimTrial[];
  cycleMs: number;
  sampleEveryMs?: number;
  minRuntimeBeforePreemptSec?: number;
  borrowBackoffSec?: number;
  pools?: PoolCapacity[];
  graceMs?: number;
  quotaChanges?: { atMs: number; tenant: string; quota: TenantQuota }[];
  crashProbability?: number;
  random?: () => number;
  maxSimMs?: number;
}

const ALL = ['critical', 'standard', 'preemptible'];
const quota = (q: Partial<TenantQuota>): TenantQuota => ({
  version: 1, cpus: 0, gpus: 0, memoryMb: 1e9, concurrentTrials: 1e9, priorityClasses: ALL, ...q,
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), s | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let id = 0;
const trial = (tenant: string, t: Partial<SimTrial>): SimTrial => ({
  trialId: `t${id++}`, tenant, trialIndex: id, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t.arriveMs ?? 0),
  durationMs: 1000, arriveMs: 0, klass: 'all', ...t,
});

/** S1 — Kueue's baseline: 5 cohorts × 6 tenants, nominal 20 CPU, borrowing limit 100; 15,000 trials. */
export function s1(): Scenario {
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  const classes = [
    { klass: 'small', cpus: 1, durationMs: 200, priority: 'preemptible', everyMs: 100, count: 350 },
    { klass: 'medium', cpus: 5, durationMs: 500, priority: 'standard', everyMs: 500, count: 100 },
    { klass: 'large', cpus: 20, durationMs: 1000, priority: 'critical', everyMs: 1200, count: 50 },
  ];
  for (let c = 0; c < 5; c++) {
    for (let k = 0; k < 6; k++) {
      const tenant = `c${c}-t${k}`;
      quotas.set(tenant, quota({ cpus: 20, cohort: `cohort-${c}`, borrowingLimit: { cpus: 100 } }));
      for (const cl of classes) {
        for (let i = 0; i < cl.count; i++) {
          const arriveMs = i * cl.everyMs;
          trials.push(trial(tenant, { ...cl, arriveMs, enqueuedAt: new Date(arriveMs) }));
        }
      }
    }
  }
  return { name: 'S1', pool: { name: 'p', cpus: 600, gpus: 0, memoryMb: 1e9, gpuIds: [] }, quotas, trials, cycleMs: 100 };
}

/** S2 — scale: 1,000 tenants in 10 cohorts, 50,000 trials, one tenant 500+ deep. */
export function s2(): Scenario {
  const r = rng(2);
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 1000; i++) {
    const tenant = `t${i}`;
    quotas.set(tenant, quota({ cpus: 10, cohort: `cohort-${i % 10}`, borrowingLimit: { cpus: 20 } }));
    const n = i === 0 ? 600 : 50;
    for (let k = 0; k < n; k++) {
      const arriveMs = i === 0 ? 0 : Math.floor(r() * 60_000);
      trials.push(trial(tenant, { cpus: 1, durationMs: 1000 + Math.floor(r() * 4000), arriveMs, enqueuedAt: new Date(arriveMs) }));
    }
  }
  return { name: 'S2', pool: { name: 'p', cpus: 8000, gpus: 0, memoryMb: 1e9, gpuIds: [] }, quotas, trials: trials.slice(0, 50_000), cycleMs: 250 };
}

/**
 * S3 — sweep burst: 20 tenants at steady load; one submits 10,000 trials at once at t = 30 s.
 * `headroom.perTenantCpus`: the lending headroom each steady tenant keeps (the burst tenant keeps
 * none); `headroom.cohortCpus`: the lending headroom the cohort keeps as a whole (cohort policy).
 */
export function s3(burst: boolean, headroom: { perTenantCpus?: number; cohortCpus?: number } = {}): Scenario {
  const headroomCpus = headroom.perTenantCpus ?? 0;
  const cohortCpus = headroom.cohortCpus ?? 0;
  const r = rng(3);
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 20; i++) {
    const tenant = `t${i}`;
    const kept = i > 0 && headroomCpus > 0 ? { lendingHeadroom: { cpus: headroomCpus } } : {};
    quotas.set(tenant, quota({ cpus: 10, cohort: 'all', borrowingLimit: { cpus: 200 }, ...kept }));
    for (let k = 0; k < 150; k++) {
      const arriveMs = k * 400 + Math.floor(r() * 200);
      trials.push(trial(tenant, { cpus: 1, durationMs: 2000, arriveMs, enqueuedAt: new Date(arriveMs), klass: i === 0 ? 'burst' : 'steady' }));
    }
  }
  if (burst) {
    for (let k = 0; k < 10_000; k++) trials.push(trial('t0', { cpus: 1, durationMs: 2000, arriveMs: 30_000, enqueuedAt: new Date(30_000), klass: 'burst' }));
  }
  const name = `${burst ? 'S3' : 'S3-baseline'}${headroomCpus > 0 ? '-headroom' : ''}${cohortCpus > 0 ? '-cohort-headroom' : ''}`;
  const cohortPolicies = cohortCpus > 0 ? new Map([['all', { version: 1, lendingHeadroom: { cpus: cohortCpus } }]]) : undefined;
  return { name, pool: { name: 'p', cpus: 200, gpus: 0, memoryMb: 1e9, gpuIds: [] }, quotas, ...(cohortPolicies ? { cohortPolicies } : {}), trials, cycleMs: 100 };
}

/**
 * S4 — DRF convergence: 8 tenants with complementary demands, weights 1:1:2:4, under overload.
 * `scale` multiplies the pool and the work: at 1 one GPU or memory-heavy task is 6 % of the pool.
 */
export function s4(scale = 1): Scenario {
  const shapes = [
    { cpus: 4, gpus: 0, memoryMb: 2048 },
    { cpus: 1, gpus: 1, memoryMb: 4096 },
    { cpus: 1, gpus: 0, memoryMb: 16384 },
    { cpus: 2, gpus: 0, memoryMb: 1024 },
  ];
  const weights = [1, 1, 2, 4, 1, 1, 2, 4];
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 8; i++) {
    const tenant = `t${i}`;
    quotas.set(tenant, quota({ cpus: 1e6, gpus: 1e6, memoryMb: 1e9, weight: weights[i] }));
    for (let k = 0; k < 400 * scale; k++) trials.push(trial(tenant, { ...shapes[i % 4]!, durationMs: 10_000, arriveMs: 0, enqueuedAt: new Date(0) }));
  }
  return {
    name: scale === 1 ? 'S4' : `S4x${scale}`, pool: { name: 'p', cpus: 128 * scale, gpus: 16 * scale, memoryMb: 256 * 1024 * scale, gpuIds: [] },
    quotas, trials, cycleMs: 100, sampleEveryMs: 100,
  };
}

/** S5 — preemption stability: a cohort whose members come back at staggered times to reclaim. */
export function s5(): Scenario {
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 4; i++) {
    const tenant = `t${i}`;
    quotas.set(tenant, quota({ cpus: 8, cohort: 'c', weight: i === 0 ? 1e-7 : i === 1 ? 1e7 : 1 }));
    for (let k = 0; k < 40; k++) {
      const arriveMs = i * 3000 + k * 50;
      trials.push(trial(tenant, { cpus: 1, durationMs: 2000 + ((k * 137) % 3000), arriveMs, enqueuedAt: new Date(arriveMs) }));
    }
  }
  // A short minimum runtime so that reclaim really happens within the trials' 2-5 s.
  return { name: 'S5', pool: { name: 'p', cpus: 32, gpus: 0, memoryMb: 1e9, gpuIds: [] }, quotas, trials, cycleMs: 100, minRuntimeBeforePreemptSec: 1, borrowBackoffSec: 3 };
}

/**
 * S6 — critical + backfill: a GPU pool kept full by 600 preemptible trials (1 GPU, 10–60 s), while
 * critical trials (4 GPUs) arrive every 15 s and a large standard trial (16 GPUs) now and then.
 * Critical work preempts (minimum runtime 10 s, grace 1 s); the large trials get reservations and
 * preemptible work backfills around them.
 */
export function s6(): Scenario {
  const r = rng(6);
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 4; i++) {
    const tenant = `p${i}`;
    quotas.set(tenant, quota({ cpus: 1e6, gpus: 1e6 }));
    for (let k = 0; k < 150; k++) {
      trials.push(trial(tenant, { cpus: 8, gpus: 1, durationMs: 10_000 + Math.floor(r() * 50_000), maxRuntimeSeconds: 90, priority: 'preemptible', klass: 'preemptible' }));
    }
  }
  quotas.set('crit', quota({ cpus: 1e6, gpus: 1e6 }));
  for (let at = 60_000; at <= 360_000; at += 15_000) {
    trials.push(trial('crit', { cpus: 16, gpus: 4, durationMs: 20_000, maxRuntimeSeconds: 30, priority: 'critical', klass: 'critical', arriveMs: at, enqueuedAt: new Date(at) }));
  }
  quotas.set('big', quota({ cpus: 1e6, gpus: 1e6 }));
  for (const at of [30_000, 200_000, 400_000]) {
    trials.push(trial('big', { cpus: 64, gpus: 16, durationMs: 30_000, maxRuntimeSeconds: 45, priority: 'standard', klass: 'large', arriveMs: at, enqueuedAt: new Date(at) }));
  }
  return { name: 'S6', pool: { name: 'gpu', cpus: 256, gpus: 32, memoryMb: 1e9, gpuIds: [] }, quotas, trials, cycleMs: 100, minRuntimeBeforePreemptSec: 10, graceMs: 1000 };
}

/**
 * S7 — limits and budgets under chaos: 6 tenants with concurrent-trial caps and GPU quotas on a
 * 16-GPU pool, three with GPU-hour budgets in safe mode; 15 % of attempts are killed by executor
 * crashes (retried up to 3 times); true run times are ±40 % of the estimate and the executor kills
 * at maxRuntimeSeconds; at t = 20 min two tenants' quotas are cut (4 → 1 GPU, cap → 1).
 * With `decayHalfLifeHours` (S7-decay) the budgets decay with that half-life instead.
 */
export function s7(decayHalfLifeHours: number | null = null): Scenario {
  const r = rng(7);
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  const quotaChanges: NonNullable<Scenario['quotaChanges']> = [];
  for (let i = 0; i < 6; i++) {
    const tenant = `t${i}`;
    const budget = decayHalfLifeHours === null ? {} : { budgetHalfLifeHours: decayHalfLifeHours };
    const q = quota({ cpus: 64, gpus: 4, concurrentTrials: 3 + (i % 4), ...(i >= 3 ? { gpuHoursBudget: 2, budgetSafeMode: true, ...budget } : {}) });
    quotas.set(tenant, q);
    if (i < 2) quotaChanges.push({ atMs: 1_200_000, tenant, quota: { ...q, version: 2, gpus: 1, concurrentTrials: 1 } });
    for (let k = 0; k < 60; k++) {
      const expected = 60_000 + Math.floor(r() * 540_000);
      const arriveMs = Math.floor(r() * 1_800_000);
      trials.push(trial(tenant, {
        cpus: 4, gpus: 1 + Math.floor(r() * 2), durationMs: Math.floor(expected * (0.6 + 0.8 * r())), expectedMs: expected,
        maxRuntimeSeconds: Math.ceil((expected * 1.2) / 1000), arriveMs, enqueuedAt: new Date(arriveMs), klass: i >= 3 ? 'budgeted' : 'capped',
      }));
    }
  }
  return {
    name: decayHalfLifeHours === null ? 'S7' : 'S7-decay', pool: { name: 'gpu', cpus: 128, gpus: 16, memoryMb: 1e9, gpuIds: [] }, quotas, trials, cycleMs: 500,
    quotaChanges, crashProbability: 0.15, random: rng(77), maxSimMs: 4 * 3600_000,
  };
}

/**
 * S8 — ETAs: a GPU pool and a CPU pool sharing one queue; GPU and CPU trials of 8 experiments
 * whose true run times are ±30 % around the experiment's mean (what the scheduler observes).
 */
export function s8(seed = 8): Scenario {
  const r = rng(seed);
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 4; i++) {
    const tenant = `t${i}`;
    quotas.set(tenant, quota({ cpus: 1e6, gpus: 1e6, concurrentTrials: 12 }));
    for (const kind of ['gpu', 'cpu'] as const) {
      const mean = 60_000 + Math.floor(r() * 180_000);
      for (let k = 0; k < 40; k++) {
        const arriveMs = Math.floor(r() * 1_200_000);
        trials.push(trial(tenant, {
          experimentId: `${tenant}-${kind}`,
          cpus: kind === 'gpu' ? 4 : 2, gpus: kind === 'gpu' ? 1 : 0, durationMs: Math.floor(mean * (0.7 + 0.6 * r())), expectedMs: mean,
          arriveMs, enqueuedAt: new Date(arriveMs), klass: kind,
        }));
      }
    }
  }
  const pools = [{ name: 'gpu', cpus: 32, gpus: 8, memoryMb: 1e9, gpuIds: [] }, { name: 'cpu', cpus: 32, gpus: 0, memoryMb: 1e9, gpuIds: [] }];
  return { name: 'S8', pool: pools[0]!, pools, quotas, trials, cycleMs: 500 };
}
