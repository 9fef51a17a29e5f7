/**
 * The admission decision, as a pure function of a snapshot: which queued runs start now, and why
 * each other one waits. No I/O, no ORM, no GraphQL: the adapter (admission.store.ts) reads the
 * snapshot and applies the decisions in one locked transaction.
 *
 * Rules:
 * - a run is rejected when it can never fit (more than the pool, or than the tenant's hard quota)
 *   or uses a priority class its tenant's quota does not allow;
 * - otherwise runs are considered by priority class (critical, standard, preemptible); within a
 *   class the tenant with the smallest weighted dominant share goes next (fair-share.ts), and a
 *   tenant's own runs go oldest first; shares are recomputed after every admission;
 * - a run waits when its tenant has no quota, would exceed its concurrent-trial cap or any quota
 *   dimension or its GPU-hour budget (budget.rules.ts), or the pool lacks free capacity right now;
 *   it never blocks the runs after it.
 */
import { DIMENSIONS, exceeds, fmt, neverFitsReason, noQuotaReason, poolGpuIds } from './admission.rules.js';
import { budgetNeverFits, budgetWaitReason, worstCaseGpuHours } from './budget.rules.js';
import { dominantShare, priorityRank } from './fair-share.js';
import type { AdmissionDecisions, AdmissionSnapshot, QueuedRun, ResourceRequest, TenantQuota } from './admission.types.js';

export * from './admission.types.js';

interface Usage extends ResourceRequest {
  trials: number;
}

const zero = (): Usage => ({ cpus: 0, gpus: 0, memoryMb: 0, trials: 0 });

function add(u: Usage, r: ResourceRequest): void {
  u.cpus += r.cpus;
  u.gpus += r.gpus;
  u.memoryMb += r.memoryMb;
  u.trials += 1;
}

export function fifoOrder(a: QueuedRun, b: QueuedRun): number {
  return a.enqueuedAt.getTime() - b.enqueuedAt.getTime() || a.trialIndex - b.trialIndex || (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0);
}

function quotaReasons(run: QueuedRun, quota: TenantQuota, used: Usage): string[] {
  const prefix = `tenant ${run.tenant} quota:`;
  const reasons: string[] = [];
  if (used.trials + 1 > quota.concurrentTrials) reasons.push(`${prefix} concurrentTrials ${used.trials}/${quota.concurrentTrials} in use`);
  for (const d of DIMENSIONS) {
    if (exceeds(used[d.key], run[d.key], quota[d.key])) {
      reasons.push(`${prefix} ${d.label} ${fmt(used[d.key])}/${fmt(quota[d.key])}${d.unit} in use, ${fmt(run[d.key])}${d.unit} requested`);
    }
  }
  return reasons;
}

function poolReasons(run: QueuedRun, snapshot: AdmissionSnapshot, used: Usage, freeDevices: number): string[] {
  const pool = snapshot.pool;
  const reasons: string[] = [];
  for (const d of DIMENSIONS) {
    const free = d.key === 'gpus' ? Math.min(pool.gpus - used.gpus, freeDevices) : pool[d.key] - used[d.key];
    if (exceeds(0, run[d.key], free)) reasons.push(`pool ${pool.name}: ${d.label} ${fmt(Math.max(free, 0))}${d.unit} free, ${fmt(run[d.key])}${d.unit} requested`);
  }
  return reasons;
}

function priorityReason(run: QueuedRun, quota: TenantQuota): string | null {
  const allowed = quota.priorityClasses ?? ['standard', 'preemptible'];
  const priority = run.priority ?? 'standard';
  return allowed.includes(priority)
    ? null
    : `priority ${priority} is not allowed for tenant ${run.tenant} (quota v${quota.version} allows ${allowed.join(', ')})`;
}

export function admit(snapshot: AdmissionSnapshot): AdmissionDecisions {
  const { pool } = snapshot;
  const poolUsed = zero();
  const tenantUsed = new Map<string, Usage>();
  const usageOf = (tenant: string): Usage => {
    let u = tenantUsed.get(tenant);
    if (!u) tenantUsed.set(tenant, (u = zero()));
    return u;
  };
  const busyDevices = new Set<string>();
  for (const a of snapshot.allocations) {
    add(usageOf(a.tenant), a);
    if (a.pool !== pool.name) continue;
    add(poolUsed, a);
    for (const d of a.devices) busyDevices.add(d);
  }
  const freeDevices = poolGpuIds(pool).filter((d) => !busyDevices.has(d));
  const out: AdmissionDecisions = { admitted: [], pending: [], rejected: [] };
  const historyWeight = snapshot.historyWeight ?? 0.5;
  const budgets = new Map([...(snapshot.budgets ?? new Map())].map(([t, b]) => [t, { ...b }]));
  const budgetOf = (tenant: string) => budgets.get(tenant) ?? { consumedGpuHours: 0, committedGpuHours: 0 };
  const shareOf = (tenant: string) =>
    dominantShare(usageOf(tenant), snapshot.history?.get(tenant), pool, snapshot.quotas.get(tenant)?.weight ?? 1, historyWeight);

  // Per priority class, per tenant: the runs that may be admitted, oldest first.
  const classes = new Map<number, Map<string, QueuedRun[]>>();
  for (const run of [...snapshot.queue].sort(fifoOrder)) {
    const quota = snapshot.quotas.get(run.tenant);
    const never = neverFitsReason(run, pool, run.tenant, quota) ?? (quota ? (priorityReason(run, quota) ?? budgetNeverFits(run, quota)) : null);
    if (never) {
      out.rejected.push({ trialId: run.trialId, tenant: run.tenant, reason: never, ...(quota ? { quotaVersion: quota.version } : {}) });
      continue;
    }
    if (!quota) {
      out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: noQuotaReason(run.tenant) });
      continue;
    }
    const rank = priorityRank(run.priority);
    let tenants = classes.get(rank);
    if (!tenants) classes.set(rank, (tenants = new Map()));
    const runs = tenants.get(run.tenant);
    if (runs) runs.push(run);
    else tenants.set(run.tenant, [run]);
  }

  for (const rank of [...classes.keys()].sort((a, b) => a - b)) {
    const tenants = classes.get(rank)!;
    while (tenants.size > 0) {
      // Progressive filling: the tenant with the smallest weighted dominant share goes next.
      let next: string | null = null;
      let best = Infinity;
      for (const [tenant, runs] of tenants) {
        const share = shareOf(tenant);
        if (share < best - 1e-12 || (Math.abs(share - best) <= 1e-12 && next !== null && fifoOrder(runs[0]!, tenants.get(next)![0]!) < 0)) {
          best = share;
          next = tenant;
        }
      }
      const runs = tenants.get(next!)!;
      const run = runs.shift()!;
      if (runs.length === 0) tenants.delete(next!);
      const quota = snapshot.quotas.get(run.tenant)!;
      const used = usageOf(run.tenant);
      const budgetReason = budgetWaitReason(run, quota, budgetOf(run.tenant));
      const reasons = [...quotaReasons(run, quota, used), ...(budgetReason ? [budgetReason] : []), ...poolReasons(run, snapshot, poolUsed, freeDevices.length)];
      if (reasons.length > 0) {
        out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: reasons.join('; '), quotaVersion: quota.version });
        continue;
      }
      if (quota.gpuHoursBudget != null) {
        const b = budgetOf(run.tenant);
        budgets.set(run.tenant, { ...b, committedGpuHours: b.committedGpuHours + (worstCaseGpuHours(run) ?? 0) });
      }
      add(used, run);
      add(poolUsed, run);
      out.admitted.push({
        trialId: run.trialId, tenant: run.tenant, devices: freeDevices.splice(0, run.gpus), quotaVersion: quota.version,
        priority: run.priority ?? 'standard', share: best,
      });
    }
  }
  return out;
}
