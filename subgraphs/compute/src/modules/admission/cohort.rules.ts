/**
 * Cohort borrowing (pure). Members of a cohort lend each other unused nominal quota:
 * a tenant may exceed its nominal quota up to its borrowing limit while the cohort's total
 * borrowing stays within what its members lend (min(lending limit, unused nominal) each).
 */
import { DIMENSIONS, exceeds, fmt } from './admission.rules.js';
import type { QueuedRun, ResourceRequest, TenantQuota } from './admission.types.js';

const KEYS = ['cpus', 'gpus', 'memoryMb'] as const;

export function withinNominal(used: ResourceRequest, run: ResourceRequest, quota: TenantQuota): boolean {
  return KEYS.every((k) => !exceeds(used[k], run[k], quota[k]));
}

/** The most a tenant may hold of each resource: nominal, plus its borrowing limit inside a cohort. */
export function hardLimit(quota: TenantQuota): ResourceRequest {
  const limit = (k: (typeof KEYS)[number]) => (quota.cohort ? quota[k] + (quota.borrowingLimit?.[k] ?? Infinity) : quota[k]);
  return { cpus: limit('cpus'), gpus: limit('gpus'), memoryMb: limit('memoryMb') };
}

/**
 * Why `run` cannot be admitted on the tenant's quota (nominal, or borrowed within the cohort),
 * or [] when it can. `usageOf` gives current use (this cycle's admissions included).
 */
export function quotaDimensionReasons(
  run: QueuedRun,
  quota: TenantQuota,
  quotas: ReadonlyMap<string, TenantQuota>,
  usageOf: (tenant: string) => ResourceRequest,
): string[] {
  const used = usageOf(run.tenant);
  if (withinNominal(used, run, quota)) return [];
  if (!quota.cohort) {
    return DIMENSIONS.filter((d) => exceeds(used[d.key], run[d.key], quota[d.key])).map(
      (d) => `tenant ${run.tenant} quota: ${d.label} ${fmt(used[d.key])}/${fmt(quota[d.key])}${d.unit} in use, ${fmt(run[d.key])}${d.unit} requested`,
    );
  }
  const reasons: string[] = [];
  const limit = hardLimit(quota);
  for (const d of DIMENSIONS) {
    if (exceeds(used[d.key], run[d.key], limit[d.key])) {
      reasons.push(`tenant ${run.tenant} borrowing limit: ${d.label} ${fmt(used[d.key])}/${fmt(limit[d.key])}${d.unit} in use (nominal ${fmt(quota[d.key])}), ${fmt(run[d.key])}${d.unit} requested`);
    }
  }
  if (reasons.length > 0) return reasons;
  const { lent, borrowed } = cohortBalance(quota.cohort, quotas, usageOf, run);
  for (const d of DIMENSIONS) {
    if (borrowed[d.key] > lent[d.key] + 1e-9) {
      reasons.push(`cohort ${quota.cohort}: ${d.label} ${fmt(borrowed[d.key])}${d.unit} would be borrowed, members lend ${fmt(lent[d.key])}${d.unit}`);
    }
  }
  return reasons;
}

/** What the cohort's members lend and borrow in total, with `extra` added to its tenant's use. */
export function cohortBalance(
  cohort: string,
  quotas: ReadonlyMap<string, TenantQuota>,
  usageOf: (tenant: string) => ResourceRequest,
  extra?: QueuedRun,
): { lent: ResourceRequest; borrowed: ResourceRequest } {
  const lent = { cpus: 0, gpus: 0, memoryMb: 0 };
  const borrowed = { cpus: 0, gpus: 0, memoryMb: 0 };
  for (const [tenant, q] of quotas) {
    if (q.cohort !== cohort) continue;
    const u = usageOf(tenant);
    for (const k of KEYS) {
      const use = u[k] + (extra && extra.tenant === tenant ? extra[k] : 0);
      lent[k] += Math.min(q.lendingLimit?.[k] ?? Infinity, Math.max(0, q[k] - use));
      borrowed[k] += Math.max(0, use - q[k]);
    }
  }
  return { lent, borrowed };
}
