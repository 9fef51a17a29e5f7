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

/** What the GraphQL `budget` field shows: remaining, burn rate and when it runs out at that rate. */
export function budgetView(a: BudgetAccount, now: Date) {
  const remaining = Math.max(0, a.gpuHoursBudget - a.consumedGpuHours - a.committedGpuHours);
  const burn = a.elapsedHours > 0 ? a.consumedGpuHours / a.elapsedHours : 0;
  const left = Math.max(0, a.gpuHoursBudget - a.consumedGpuHours);
  const exhaustsAt = burn > 0 ? new Date(now.getTime() + (left / burn) * 3600_000) : null;
  return {
    gpuHours: a.gpuHoursBudget, period: a.budgetPeriod, safeMode: a.safeMode, periodStart: a.periodStart, periodEnd: a.periodEnd,
    consumedGpuHours: a.consumedGpuHours, committedGpuHours: a.committedGpuHours, remainingGpuHours: remaining,
    burnRateGpuHoursPerHour: burn, exhaustsAt: exhaustsAt && exhaustsAt < a.periodEnd ? exhaustsAt : null,
  };
}
