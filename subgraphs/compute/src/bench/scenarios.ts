/** Scheduler benchmark scenarios (issue 3): workloads for the simulator, shaped after Kueue's perf tests. */
import type { PoolCapacity, TenantQuota } from '../modules/admission/admission.types.js';
import type { SimTrial } from './simulator.js';

export interface Scenario {
  name: string;
  pool: PoolCapacity;
  quotas: Map<string, TenantQuota>;
  trials: SimTrial[];
  cycleMs: number;
  sampleEveryMs?: number;
  minRuntimeBeforePreemptSec?: number;
  borrowBackoffSec?: number;
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

/** S3 — sweep burst: 20 tenants at steady load; one submits 10,000 trials at once at t = 30 s. */
export function s3(burst: boolean): Scenario {
  const r = rng(3);
  const quotas = new Map<string, TenantQuota>();
  const trials: SimTrial[] = [];
  for (let i = 0; i < 20; i++) {
    const tenant = `t${i}`;
    quotas.set(tenant, quota({ cpus: 10, cohort: 'all', borrowingLimit: { cpus: 200 } }));
    for (let k = 0; k < 150; k++) {
      const arriveMs = k * 400 + Math.floor(r() * 200);
      trials.push(trial(tenant, { cpus: 1, durationMs: 2000, arriveMs, enqueuedAt: new Date(arriveMs), klass: i === 0 ? 'burst' : 'steady' }));
    }
  }
  if (burst) {
    for (let k = 0; k < 10_000; k++) trials.push(trial('t0', { cpus: 1, durationMs: 2000, arriveMs: 30_000, enqueuedAt: new Date(30_000), klass: 'burst' }));
  }
  return { name: burst ? 'S3' : 'S3-baseline', pool: { name: 'p', cpus: 200, gpus: 0, memoryMb: 1e9, gpuIds: [] }, quotas, trials, cycleMs: 100 };
}

/** S4 — DRF convergence: 8 tenants with complementary demands, weights 1:1:2:4, under overload. */
export function s4(): Scenario {
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
    for (let k = 0; k < 400; k++) trials.push(trial(tenant, { ...shapes[i % 4]!, durationMs: 10_000, arriveMs: 0, enqueuedAt: new Date(0) }));
  }
  return { name: 'S4', pool: { name: 'p', cpus: 128, gpus: 16, memoryMb: 256 * 1024, gpuIds: [] }, quotas, trials, cycleMs: 100, sampleEveryMs: 100 };
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
