import type { PoolCapacity, ResourceRequest, TenantQuota } from './admission.types.js';

/** Tolerance for float sums of CPU shares (0.1 + 0.2). */
const EPSILON = 1e-9;

export const DIMENSIONS = [
  { key: 'cpus', label: 'cpus', unit: '', noun: 'cpus' },
  { key: 'gpus', label: 'gpus', unit: '', noun: 'gpus' },
  { key: 'memoryMb', label: 'memoryMb', unit: ' MB', noun: 'MB memory' },
] as const;

/** A number as people read it: 0.1 + 0.2 prints as 0.3. */
export function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

export function exceeds(used: number, requested: number, limit: number): boolean {
  return used + requested > limit + EPSILON;
}

export function poolGpuIds(pool: { gpus: number; gpuIds?: string[] | null }): string[] {
  return pool.gpuIds && pool.gpuIds.length > 0 ? [...pool.gpuIds] : Array.from({ length: pool.gpus }, (_, i) => String(i));
}

/**
 * Why a request can never be admitted, or null when it could be once resources free up:
 * it asks for more than the whole pool, or more than the tenant's hard quota on some dimension.
 * A tenant without a quota replica is not a reason to reject (the quota may still arrive).
 */
export function neverFitsReason(req: ResourceRequest, pool: PoolCapacity, tenant: string, quota: TenantQuota | undefined): string | null {
  const reasons: string[] = [];
  for (const d of DIMENSIONS) {
    if (exceeds(0, req[d.key], pool[d.key])) reasons.push(`requests ${fmt(req[d.key])} ${d.noun}; pool ${pool.name} has ${fmt(pool[d.key])}${d.unit}`);
  }
  if (quota) {
    for (const d of DIMENSIONS) {
      if (exceeds(0, req[d.key], quota[d.key])) {
        reasons.push(`requests ${fmt(req[d.key])} ${d.noun}; tenant ${tenant} quota (v${quota.version}) allows ${fmt(quota[d.key])}${d.unit}`);
      }
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : null;
}

export function noQuotaReason(tenant: string): string {
  return `tenant ${tenant} has no quota: nothing is admitted until tenancy publishes one`;
}
