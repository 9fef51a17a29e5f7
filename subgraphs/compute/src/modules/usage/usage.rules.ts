import type { BudgetAccount } from './budget.reader.js';
import type { TenantQuota } from '../admission/admission.types.js';
import type { TenantUsage } from './usage.reader.js';

export interface Remaining {
  quotaVersion: number;
  cpus: number;
  gpus: number;
  memoryMb: number;
  concurrentTrials: number;
}

/** What the tenant may still start under its hard quota (never below zero); null without a quota. */
export function remainingQuota(quota: TenantQuota | null, usage: TenantUsage): Remaining | null {
  if (!quota) return null;
  const left = (limit: number, used: number) => Math.max(0, Math.round((limit - used) * 1000) / 1000);
  return {
    quotaVersion: quota.version,
    cpus: left(quota.cpus, usage.cpus),
    gpus: left(quota.gpus, usage.gpus),
    memoryMb: left(quota.memoryMb, usage.memoryMb),
    concurrentTrials: left(quota.concurrentTrials, usage.runningTrials),
  };
}

/**
 * Hours until a decay budget's consumption reaches `budget` if `gpus` keep running: consumption U
 * follows dU/dt = gpus − U / τ with τ = halfLife / ln 2, so U(t) = gpus·τ + (U₀ − gpus·τ)·e^(−t/τ);
 * 0 when already spent, null when it tends to at most the budget.
 */
export function decayHoursToExhaustion(consumed: number, budget: number, gpus: number, halfLifeHours: number): number | null {
  if (consumed >= budget) return 0;
  const tau = halfLifeHours / Math.LN2;
  const limit = gpus * tau;
  if (limit <= budget) return null;
  return tau * Math.log((limit - consumed) / (limit - budget));
}

/** What the GraphQL `budget` field shows: remaining, burn rate and when it runs out at that rate. */
export function budgetView(a: BudgetAccount, now: Date) {
  const remaining = Math.max(0, a.gpuHoursBudget - a.consumedGpuHours - a.committedGpuHours);
  const view = {
    gpuHours: a.gpuHoursBudget, period: a.budgetPeriod, halfLifeHours: a.halfLifeHours, safeMode: a.safeMode, periodStart: a.periodStart, periodEnd: a.periodEnd,
    consumedGpuHours: a.consumedGpuHours, committedGpuHours: a.committedGpuHours, remainingGpuHours: remaining,
  };
  if (a.halfLifeHours !== null) {
    const hours = decayHoursToExhaustion(a.consumedGpuHours, a.gpuHoursBudget, a.activeGpus, a.halfLifeHours);
    return {
      ...view, burnRateGpuHoursPerHour: (a.consumedGpuHours * Math.LN2) / a.halfLifeHours,
      exhaustsAt: hours === null ? null : new Date(now.getTime() + hours * 3600_000),
    };
  }
  const burn = a.elapsedHours > 0 ? a.consumedGpuHours / a.elapsedHours : 0;
  const left = Math.max(0, a.gpuHoursBudget - a.consumedGpuHours);
  const exhaustsAt = burn > 0 ? new Date(now.getTime() + (left / burn) * 3600_000) : null;
  return { ...view, burnRateGpuHoursPerHour: burn, exhaustsAt: exhaustsAt && a.periodEnd && exhaustsAt < a.periodEnd ? exhaustsAt : null };
}
