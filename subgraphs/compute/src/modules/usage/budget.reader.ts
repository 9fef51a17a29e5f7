import type { EntityManager } from '@mikro-orm/postgresql';
import type { BudgetState } from '../admission/admission.types.js';

export interface BudgetAccount extends BudgetState {
  tenant: string;
  gpuHoursBudget: number;
  budgetPeriod: string;
  safeMode: boolean;
  periodStart: Date;
  periodEnd: Date;
  /** Hours since the period started (for burn rate). */
  elapsedHours: number;
}

/** A project's account: the same numbers, over the allocations of the project's trials only. */
export interface ProjectBudgetAccount extends BudgetAccount {
  project: string;
}

/**
 * Whose budget an account is: the policy replica it is read from, and which allocations count
 * (a project's: those of its trials, through trial_run.project).
 */
const SCOPES = {
  tenant: { table: 'compute.tenant_quota', key: 'q.tenant', project: 'NULL::text', match: '' },
  project: { table: 'compute.project_quota', key: '(q.tenant, q.project)', project: 'project', match: 'AND r.project = q.project' },
} as const;

/**
 * GPU-hour accounts for the current UTC period of each tenant or project with a budget, from
 * allocation records alone: consumed = Σ gpus × time held inside the period; committed = Σ over
 * running attempts of gpus × (maxRuntimeSeconds − elapsed). `keysSql` selects the tenants (or the
 * tenant, project pairs) to read.
 */
async function readAccounts(em: EntityManager, scope: keyof typeof SCOPES, keysSql: string, params: unknown[]) {
  const s = SCOPES[scope];
  const rows = await em.execute<(Omit<ProjectBudgetAccount, 'periodStart' | 'periodEnd'> & { periodStart: string; periodEnd: string })[]>(
    `WITH q AS (
       SELECT tenant, ${s.project} AS project, gpu_hours_budget, budget_period, budget_safe_mode,
         date_trunc(budget_period, clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS period_start
       FROM ${s.table} q WHERE gpu_hours_budget IS NOT NULL AND ${s.key} IN (${keysSql}))
     SELECT q.tenant, q.project, q.gpu_hours_budget AS "gpuHoursBudget", q.budget_period AS "budgetPeriod", q.budget_safe_mode AS "safeMode",
       q.period_start AS "periodStart", q.period_start + ('1 ' || q.budget_period)::interval AS "periodEnd",
       extract(epoch FROM clock_timestamp() - q.period_start) / 3600 AS "elapsedHours",
       coalesce(sum(a.gpus * greatest(extract(epoch FROM coalesce(a.released_at, clock_timestamp()) - greatest(a.admitted_at, q.period_start)), 0)), 0) / 3600
         AS "consumedGpuHours",
       coalesce(sum(CASE WHEN a.state = 'active' THEN a.gpus * greatest(coalesce((r.launch->>'maxRuntimeSeconds')::float8, 0)
         - extract(epoch FROM clock_timestamp() - a.admitted_at), 0) ELSE 0 END), 0) / 3600 AS "committedGpuHours"
     FROM q
     LEFT JOIN (compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id)
       ON a.tenant = q.tenant ${s.match} AND a.gpus > 0 AND (a.released_at IS NULL OR a.released_at > q.period_start)
     GROUP BY q.tenant, q.project, q.gpu_hours_budget, q.budget_period, q.budget_safe_mode, q.period_start`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    gpuHoursBudget: Number(r.gpuHoursBudget),
    consumedGpuHours: Number(r.consumedGpuHours),
    committedGpuHours: Number(r.committedGpuHours),
    elapsedHours: Number(r.elapsedHours),
    periodStart: new Date(r.periodStart),
    periodEnd: new Date(r.periodEnd),
  }));
}

/** Accounts of the tenants `tenantsSql` selects (one column: tenant) that have a budget. */
export async function readBudgets(em: EntityManager, tenantsSql: string, params: unknown[]): Promise<BudgetAccount[]> {
  return (await readAccounts(em, 'tenant', tenantsSql, params)).map(({ project: _project, ...account }) => account);
}

/** Accounts of the projects `projectsSql` selects (two columns: tenant, project) that have a budget. */
export function readProjectBudgets(em: EntityManager, projectsSql: string, params: unknown[]): Promise<ProjectBudgetAccount[]> {
  return readAccounts(em, 'project', projectsSql, params);
}
