/**
 * What an admission snapshot reads of the policy replicas, shared by the admission cycle
 * (admission.store.ts, which locks the rows) and the ETA replay's reader (eta.reader.ts, which does
 * not): both must see the same policy, or estimates drift from what admission decides.
 */
import type { CohortPolicy, ProjectQuota, ResourceRequest, TenantQuota } from './admission.types.js';
import { projectKey } from './project.rules.js';

/** A decay budget's half-life (reasons name it); null for reset periods. */
const HALF_LIFE_SQL = `CASE WHEN budget_period = 'decay' THEN coalesce(budget_half_life_hours, 168) END::float8 AS "budgetHalfLifeHours"`;

/** compute.tenant_quota's columns as TenantQuota fields, plus `tenant`. */
export const TENANT_QUOTA_COLUMNS = `tenant, version, cpus, gpus, memory_mb AS "memoryMb", concurrent_trials AS "concurrentTrials", weight,
  priority_classes AS "priorityClasses", gpu_hours_budget AS "gpuHoursBudget", budget_safe_mode AS "budgetSafeMode", ${HALF_LIFE_SQL}, cohort,
  borrowing_limit AS "borrowingLimit", lending_limit AS "lendingLimit", lending_headroom AS "lendingHeadroom", gpu_flavors AS "gpuFlavors"`;

export type TenantQuotaRow = TenantQuota & { tenant: string };

/** Numeric columns come back from PostgreSQL as strings where they are numeric. */
export function tenantQuotaMap(rows: readonly TenantQuotaRow[]): Map<string, TenantQuota> {
  return new Map(rows.map(({ tenant, ...q }) => [tenant, {
    ...q, cpus: Number(q.cpus), weight: Number(q.weight), gpuHoursBudget: q.gpuHoursBudget == null ? null : Number(q.gpuHoursBudget),
  }]));
}

/** compute.project_quota's columns as ProjectQuota fields, plus `tenant` and `project`. */
export const PROJECT_QUOTA_COLUMNS = `tenant, project, version, cpus, gpus, memory_mb AS "memoryMb", concurrent_trials AS "concurrentTrials",
  gpu_hours_budget AS "gpuHoursBudget", budget_safe_mode AS "budgetSafeMode", ${HALF_LIFE_SQL}`;

export type ProjectQuotaRow = ProjectQuota & { tenant: string; project: string };

/** Keyed tenant/project (projectKey), as admit() reads them. */
export function projectQuotaMap(rows: readonly ProjectQuotaRow[]): Map<string, ProjectQuota> {
  return new Map(rows.map(({ tenant, project, ...q }) => [projectKey(tenant, project), {
    ...q, cpus: q.cpus == null ? null : Number(q.cpus), gpuHoursBudget: q.gpuHoursBudget == null ? null : Number(q.gpuHoursBudget),
  }]));
}

/** Every cohort policy compute has (cohorts without one have the default: no cohort lending headroom). */
export const COHORT_POLICY_SQL = `SELECT cohort, version, lending_headroom AS "lendingHeadroom" FROM compute.cohort_policy`;

/** AdmissionSnapshot's `cohortPolicies`, from COHORT_POLICY_SQL's rows. */
export function cohortPolicyMap(rows: readonly (CohortPolicy & { cohort: string })[]): Map<string, CohortPolicy> {
  return new Map(rows.map(({ cohort, ...p }) => [cohort, p]));
}

/** A pool is live while one of its compute replicas has heartbeated this recently (they beat every second). */
export const POOL_LIVE_WITHIN_SEC = 30;

/** Whether pool `p` has a live compute replica (SQL over compute.pool aliased p). */
export const POOL_LIVE_SQL = `EXISTS (SELECT 1 FROM compute.replica r WHERE r.pool = p.name AND r.heartbeat_at > now() - interval '${POOL_LIVE_WITHIN_SEC} seconds')`;

/** A pool no replica of which was seen for this long is forgotten by routing (default; FAIRSWEEP_POOL_RETENTION_HOURS). */
export const POOL_RETENTION_HOURS = 24;

/**
 * Whether pool `p` is routable (routing needs all pools, not only the one admitting:
 * pool-routing.rules.ts): seen within `retentionHours`, or live. A stopped pool still counts (its
 * trials wait for it); one gone for longer, or decommissioned by a platform admin, no longer holds
 * back the trials naming its executor or flavor.
 */
export function poolRoutableSql(retentionHours: number = POOL_RETENTION_HOURS): string {
  if (!(Number.isFinite(retentionHours) && retentionHours > 0)) throw new Error(`pool retention must be a number of hours > 0, got ${retentionHours}`);
  return `(coalesce(p.last_seen_at, p.updated_at) > now() - make_interval(secs => ${retentionHours * 3600}) AND p.decommissioned_at IS NULL) OR ${POOL_LIVE_SQL}`;
}

/** Every routable pool's GPU flavor, executor, capacity and liveness. */
export function poolRoutesSql(retentionHours?: number): string {
  return `SELECT name, device_type AS flavor, executor_name AS executor, cpus::float8 AS cpus, gpus, memory_mb AS "memoryMb",
  ${POOL_LIVE_SQL} AS live FROM compute.pool p WHERE ${poolRoutableSql(retentionHours)}`;
}

/** AdmissionSnapshot's `poolFlavors`, `poolExecutors`, `livePools` and `poolCapacities`, from POOL_ROUTES_SQL's rows. */
export function poolRoutes(rows: readonly ({ name: string; flavor: string | null; executor: string | null; live: boolean } & ResourceRequest)[]): {
  poolFlavors: Map<string, string | null>;
  poolExecutors: Map<string, string | null>;
  livePools: Set<string>;
  poolCapacities: Map<string, ResourceRequest>;
} {
  return {
    poolFlavors: new Map(rows.map((p) => [p.name, p.flavor])),
    poolExecutors: new Map(rows.map((p) => [p.name, p.executor])),
    livePools: new Set(rows.filter((p) => p.live).map((p) => p.name)),
    poolCapacities: new Map(rows.map((p) => [p.name, { cpus: Number(p.cpus), gpus: Number(p.gpus), memoryMb: Number(p.memoryMb) }])),
  };
}
