import { admit, type ActiveAllocation, type CohortPolicy, type ProjectQuota, type QueuedRun, type TenantQuota } from './admission.js';
import { cohortBalance, hardLimit } from './cohort.rules.js';
import { explainReason } from './reason-codes.js';
import { projectKey } from './project.rules.js';

/**
 * Property: over random workloads (seeded, so a failure replays), at every step of the pure
 * scheduler — after applying its decisions to a simulated cluster — no tenant or project is over a
 * hard limit, no pool over capacity, no safe-mode GPU-hour budget can be overrun, and every trial is
 * exactly once queued, running or finished (preempted ones requeued), each admitted once at a time.
 */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['cpus', 'gpus', 'memoryMb'] as const;
const sumOf = (xs: readonly ActiveAllocation[]) => ({ cpus: xs.reduce((s, x) => s + x.cpus, 0), gpus: xs.reduce((s, x) => s + x.gpus, 0), memoryMb: xs.reduce((s, x) => s + x.memoryMb, 0) });
const STEP_SEC = 60;

interface Running extends ActiveAllocation { endsAtSec: number; startedAtSec: number; run: QueuedRun }

/** `cohorts`: every tenant in one cohort, with random borrowing limits, lending headroom and a random cohort policy. */
function workload(seed: number, cohorts = false): string[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const problems: string[] = [];
  const pool = { name: 'p', cpus: int(4, 16), gpus: int(0, 6), memoryMb: 1024 * int(4, 32), gpuIds: [] as string[] };
  pool.gpuIds = Array.from({ length: pool.gpus }, (_, i) => String(i));
  const quotas = new Map<string, TenantQuota>();
  const projectQuotas = new Map<string, ProjectQuota>();
  const projectsOf = new Map<string, string[]>();
  for (const tenant of ['a', 'b', 'c'].slice(0, int(1, 3))) {
    const budget = r() < 0.4 ? int(1, 6) : null;
    quotas.set(tenant, {
      version: 1, cpus: int(1, 10), gpus: int(0, 4), memoryMb: 1024 * int(1, 16), concurrentTrials: int(1, 8),
      priorityClasses: ['critical', 'standard', 'preemptible'], gpuHoursBudget: budget, budgetSafeMode: true,
      ...(cohorts ? {
        cohort: 'c', borrowingLimit: r() < 0.5 ? { cpus: int(0, 8), memoryMb: 1024 * int(0, 8) } : null,
        lendingHeadroom: r() < 0.5 ? { cpus: int(0, 2) } : null, lendingLimit: r() < 0.3 ? { cpus: int(0, 4) } : null,
      } : {}),
    });
    const projects = ['x', 'y'].slice(0, int(0, 2));
    projectsOf.set(tenant, projects);
    for (const p of projects) {
      const lim = () => (r() < 0.5 ? null : undefined);
      projectQuotas.set(projectKey(tenant, p), {
        version: int(1, 3), cpus: lim() ?? int(0, 6), gpus: lim() ?? int(0, 3), memoryMb: lim() ?? 1024 * int(1, 8), concurrentTrials: lim() ?? int(0, 4),
      });
    }
  }
  const cohortPolicies = new Map<string, CohortPolicy>(cohorts && r() < 0.7 ? [['c', { version: 1, lendingHeadroom: { cpus: int(1, 3), memoryMb: 1024 * int(0, 2) } }]] : []);
  const consumed = new Map<string, number>();
  let queue: QueuedRun[] = [];
  let running: Running[] = [];
  const finished = new Set<string>();
  const created: string[] = [];
  let next = 0;
  for (let step = 0; step < 50; step++) {
    const now = step * STEP_SEC;
    // Attempts end (their actual run time never exceeds maxRuntimeSeconds); stopping ones are requeued.
    for (const a of running.filter((x) => x.stopping || x.endsAtSec <= now)) {
      const ran = Math.min(now, a.endsAtSec) - a.startedAtSec;
      consumed.set(a.tenant, (consumed.get(a.tenant) ?? 0) + (a.gpus * ran) / 3600);
      if (a.stopping) queue.push({ ...a.run, preemptions: (a.run.preemptions ?? 0) + 1, sincePreemptedSec: 0, preempting: false });
      else finished.add(a.trialId!);
    }
    running = running.filter((x) => !(x.stopping || x.endsAtSec <= now));
    for (let k = int(0, 6); k > 0; k--) {
      const tenant = pick([...quotas.keys()]);
      const gpus = pool.gpus > 0 && r() < 0.4 ? int(1, 2) : 0;
      const trialId = `t${next++}`;
      created.push(trialId);
      queue.push({
        trialId, tenant, project: pick([...projectsOf.get(tenant)!, null]), trialIndex: next, enqueuedAt: new Date(now * 1000 + k),
        cpus: pick([0.5, 1, 2]), gpus, memoryMb: 512 * int(1, 4), priority: pick(['critical', 'standard', 'standard', 'preemptible']),
        maxRuntimeSeconds: r() < 0.85 ? 60 * int(1, 10) : null,
      });
    }
    const budgets = new Map([...quotas.keys()].map((t) => [t, {
      consumedGpuHours: consumed.get(t) ?? 0,
      committedGpuHours: running.filter((a) => a.tenant === t).reduce((s, a) => s + (a.gpus * (a.endsAtSec - now)) / 3600, 0),
    }]));
    const out = admit({
      pool, quotas, projectQuotas, cohortPolicies, queue, budgets, now: new Date(now * 1000), minRuntimeBeforePreemptSec: 60,
      allocations: running.map(({ endsAtSec: _end, startedAtSec, run: _run, ...a }) => ({ ...a, runtimeSec: now - startedAtSec })),
    });
    const byId = new Map(queue.map((q) => [q.trialId, q]));
    // Every clause of every wait and refusal has a code (reason-codes.ts knows what admission writes).
    for (const x of [...out.pending, ...out.rejected]) {
      for (const d of explainReason(x.reason)) if (d.code === 'OTHER') problems.push(`step ${step}: reason clause without a code: "${d.text}"`);
    }
    // The cohort's reserve, replayed in admission order from what ran before the cycle: a borrowing
    // admission never takes the cohort's borrowing above what members lend less its headroom.
    const held = new Map([...quotas.keys()].map((t) => [t, sumOf(running.filter((x) => x.tenant === t))]));
    for (const a of out.admitted) {
      const run = byId.get(a.trialId)!;
      const before = cohortBalance([...quotas].map(([t, quota]) => ({ quota, use: held.get(t)! })), cohortPolicies.get('c'));
      const u = held.get(run.tenant)!;
      for (const k of KEYS) u[k] += run[k];
      if (!a.borrowed || !cohorts) continue;
      const after = cohortBalance([...quotas].map(([t, quota]) => ({ quota, use: held.get(t)! })), cohortPolicies.get('c'));
      for (const k of KEYS) {
        if (after.borrowed[k] > before.borrowed[k] + 1e-9 && after.borrowed[k] > after.lent[k] - after.keptByCohort[k] + 1e-9) {
          problems.push(`step ${step}: ${a.trialId} borrows ${k} into the cohort's reserve: ${after.borrowed[k]} borrowed, ${after.lent[k]} lent, ${after.keptByCohort[k]} kept`);
        }
      }
    }
    for (const a of out.admitted) {
      const run = byId.get(a.trialId)!;
      if (running.some((x) => x.trialId === a.trialId)) problems.push(`step ${step}: ${a.trialId} admitted while running`);
      // Actual run time: up to the maximum (unbounded ones: 1-8 steps).
      const dur = run.maxRuntimeSeconds != null ? Math.ceil(run.maxRuntimeSeconds * (0.3 + 0.7 * r())) : STEP_SEC * int(1, 8);
      running.push({ tenant: run.tenant, project: run.project ?? null, pool: pool.name, cpus: run.cpus, gpus: run.gpus, memoryMb: run.memoryMb, devices: a.devices,
        attemptId: `${a.trialId}#${step}`, trialId: a.trialId, priority: a.priority, endsAtSec: now + dur, startedAtSec: now, run, expectedRuntimeSec: run.maxRuntimeSeconds ?? null });
    }
    for (const p of out.preempted) {
      const v = running.find((x) => x.attemptId === p.attemptId);
      if (!v) problems.push(`step ${step}: preempted unknown attempt ${p.attemptId}`);
      else v.stopping = true;
    }
    const admitted = new Set(out.admitted.map((a) => a.trialId));
    const rejected = new Set(out.rejected.map((x) => x.trialId));
    for (const id of rejected) finished.add(id);
    queue = queue.filter((q) => !admitted.has(q.trialId) && !rejected.has(q.trialId));

    // Invariants, from the simulated cluster (not from the scheduler's bookkeeping).
    const sum = (xs: Running[]) => ({ n: xs.length, cpus: xs.reduce((s, x) => s + x.cpus, 0), gpus: xs.reduce((s, x) => s + x.gpus, 0), memoryMb: xs.reduce((s, x) => s + x.memoryMb, 0) });
    const p = sum(running);
    for (const k of KEYS) if (p[k] > pool[k] + 1e-9) problems.push(`step ${step}: pool ${k} ${p[k]} > ${pool[k]}`);
    const devices = running.flatMap((x) => x.devices);
    if (new Set(devices).size !== devices.length) problems.push(`step ${step}: a GPU device handed out twice`);
    for (const [tenant, q] of quotas) {
      const u = sum(running.filter((x) => x.tenant === tenant));
      if (u.n > q.concurrentTrials) problems.push(`step ${step}: tenant ${tenant} concurrentTrials ${u.n} > ${q.concurrentTrials}`);
      const limit = hardLimit(q);
      for (const k of KEYS) if (u[k] > limit[k] + 1e-9) problems.push(`step ${step}: tenant ${tenant} ${k} ${u[k]} > ${limit[k]}`);
      const worst = running.filter((x) => x.tenant === tenant).reduce((s, x) => s + (x.gpus * (x.endsAtSec - now)) / 3600, 0);
      if (q.gpuHoursBudget != null && (consumed.get(tenant) ?? 0) + worst > q.gpuHoursBudget + 1e-9) {
        problems.push(`step ${step}: tenant ${tenant} may overrun its budget: ${consumed.get(tenant)} used + ${worst} running > ${q.gpuHoursBudget}`);
      }
    }
    for (const [key, q] of projectQuotas) {
      const u = sum(running.filter((x) => x.project && projectKey(x.tenant, x.project) === key));
      if (q.concurrentTrials != null && u.n > q.concurrentTrials) problems.push(`step ${step}: project ${key} concurrentTrials ${u.n} > ${q.concurrentTrials}`);
      for (const k of KEYS) if (q[k] != null && u[k] > q[k]! + 1e-9) problems.push(`step ${step}: project ${key} ${k} ${u[k]} > ${q[k]}`);
    }
    // Nothing lost, nothing doubled: each trial is in exactly one place.
    const places = [...queue.map((q) => q.trialId), ...running.map((x) => x.trialId!), ...finished];
    if (places.length !== created.length || new Set(places).size !== created.length) {
      problems.push(`step ${step}: ${created.length} trials created, ${places.length} placed (${new Set(places).size} distinct)`);
    }
  }
  return problems;
}

describe('admit: invariants at every step of random workloads (property)', () => {
  it('keeps tenant and project hard limits, pool capacity, budgets and every trial, over 150 seeded workloads', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 150; seed++) failures.push(...workload(seed).slice(0, 3).map((p) => `seed ${seed}, ${p}`));
    expect(failures).toEqual([]);
  });

  it('keeps the same invariants, each tenant within nominal + borrowing limit, and the cohort\'s lending headroom, over 150 workloads of one cohort', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 150; seed++) failures.push(...workload(seed, true).slice(0, 3).map((p) => `seed ${seed}, ${p}`));
    expect(failures).toEqual([]);
  });

  it('project limits bind in these workloads: without them the same queue admits more', () => {
    // A run over its project's limit is admitted when the snapshot omits the project limits.
    const quotas = new Map([['a', { version: 1, cpus: 8, gpus: 0, memoryMb: 8192, concurrentTrials: 8 }]]);
    const queue = [1, 2].map((i) => ({ trialId: `t${i}`, tenant: 'a', project: 'x', trialIndex: i, enqueuedAt: new Date(i), cpus: 1, gpus: 0, memoryMb: 512 }));
    const pool = { name: 'p', cpus: 8, gpus: 0, memoryMb: 8192, gpuIds: [] };
    expect(admit({ pool, quotas, queue, allocations: [] }).admitted).toHaveLength(2);
    expect(admit({ pool, quotas, queue, allocations: [], projectQuotas: new Map([['a/x', { version: 1, concurrentTrials: 1 }]]) }).admitted).toHaveLength(1);
  });
});
