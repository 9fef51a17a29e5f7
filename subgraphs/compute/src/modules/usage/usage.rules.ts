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
