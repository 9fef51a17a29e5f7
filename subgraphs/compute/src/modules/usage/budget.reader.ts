import type { EntityManager } from '@mikro-orm/postgresql';
import type { BudgetState } from '../admission/admission.types.js';

export interface BudgetAccount extends BudgetState {
  tenant: string;
  gpuHoursBudget: number;
  /** day, week or month (UTC reset), or decay. */
  budgetPeriod: string;
  /** decay: hours after which a consumed GPU-hour counts half; null for reset periods. */
  halfLifeHours: number | null;
  safeMode: boolean;
  /** The current reset period; null for decay budgets, which never reset. */
  periodStart: Date | null;
  periodEnd: Date | null;
  /** Hours since the period started (for burn rate); 0 for decay budgets. */
  elapsedHours: number;
  /** GPUs held by running attempts now (for when a decay budget runs out). */
  activeGpus: number;
}

/** A project's account: the same numbers, over the allocations of the project's trials only. */
export interface ProjectBudgetAccount extends BudgetAccount {
  project: string;
}

/** The half-life of a decay budget whose replica row has none (tenancy always sets one). */
const DEFAULT_HALF_LIFE_HOURS = 168;
/** Allocations released more than this many half-lives ago weigh under 1e-6 and are not read. */
export const DECAY_HORIZON_HALF_LIVES = 20;

/**
 * Whose budget an account is: the policy replica it is read from, and which allocations count
 * (a project's: those of its trials, through trial_run.project).
 */
const SCOPES = {
  tenant: { table: 'compute.tenant_quota', key: 'q.tenant', project: 'NULL::text', match: '' },
  project: { table: 'compute.project_quota', key: '(q.tenant, q.project)', project: 'project', match: 'AND r.project = q.project' },
} as const;

/**
 * GPU-hour accounts of each tenant or project with a budget, from allocation records alone.
 * Reset periods (day, week, month; UTC): consumed = Σ gpus × time held inside the current period.
 * decay: consumed = Σ gpus × ∫ 2^(−age / half-life) over the time held, in closed form
 * (half-life / ln 2 × (2^(−age at release / h) − 2^(−age at admission / h))) — recent use counts
 * fully, old use fades, and nothing resets. committed = Σ over running attempts of
 * gpus × (maxRuntimeSeconds − elapsed), undecayed (the worst case). `keysSql` selects the tenants
 * (or the tenant, project pairs) to read.
 */
async function readAccounts(em: EntityManager, scope: keyof typeof SCOPES, keysSql: string, params: unknown[]) {
  const s = SCOPES[scope];
  type Row = Omit<ProjectBudgetAccount, 'periodStart' | 'periodEnd'> & { periodStart: string | null; periodEnd: string | null };
  const rows = await em.execute<Row[]>(
    `WITH q AS (
       SELECT tenant, ${s.project} AS project, gpu_hours_budget, budget_period, budget_safe_mode,
         CASE WHEN budget_period = 'decay' THEN coalesce(budget_half_life_hours, ${DEFAULT_HALF_LIFE_HOURS}) END AS half_life_hours,
         CASE WHEN budget_period <> 'decay'
           THEN date_trunc(budget_period, clock_timestamp() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END AS period_start
       FROM ${s.table} q WHERE gpu_hours_budget IS NOT NULL AND ${s.key} IN (${keysSql})),
     w AS (
       SELECT q.*, coalesce(period_start, clock_timestamp() - half_life_hours * ${DECAY_HORIZON_HALF_LIVES} * interval '1 hour') AS window_start,
         half_life_hours * 3600 AS h
       FROM q)
     SELECT q.tenant, q.project, q.gpu_hours_budget AS "gpuHoursBudget", q.budget_period AS "budgetPeriod", q.half_life_hours AS "halfLifeHours",
       q.budget_safe_mode AS "safeMode", q.period_start AS "periodStart", CASE WHEN q.period_start IS NOT NULL THEN q.period_start + ('1 ' || q.budget_period)::interval END AS "periodEnd",
       coalesce(extract(epoch FROM clock_timestamp() - q.period_start) / 3600, 0) AS "elapsedHours",
       coalesce(sum(CASE WHEN q.h IS NULL
         THEN a.gpus * greatest(extract(epoch FROM coalesce(a.released_at, clock_timestamp()) - greatest(a.admitted_at, q.period_start)), 0)
         ELSE a.gpus * q.h / ln(2) * (
           power(2, -greatest(extract(epoch FROM clock_timestamp() - coalesce(a.released_at, clock_timestamp())), 0) / q.h)
           - power(2, -greatest(extract(epoch FROM clock_timestamp() - a.admitted_at), 0) / q.h)) END), 0) / 3600
         AS "consumedGpuHours",
       coalesce(sum(CASE WHEN a.state = 'active' THEN a.gpus * greatest(coalesce((r.launch->>'maxRuntimeSeconds')::float8, 0)
         - extract(epoch FROM clock_timestamp() - a.admitted_at), 0) ELSE 0 END), 0) / 3600 AS "committedGpuHours",
       coalesce(sum(CASE WHEN a.state = 'active' THEN a.gpus ELSE 0 END), 0) AS "activeGpus"
     FROM w q
     LEFT JOIN (compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id)
       ON a.tenant = q.tenant ${s.match} AND a.gpus > 0 AND (a.released_at IS NULL OR a.released_at > q.window_start)
     GROUP BY q.tenant, q.project, q.gpu_hours_budget, q.budget_period, q.half_life_hours, q.h, q.budget_safe_mode, q.period_start`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    gpuHoursBudget: Number(r.gpuHoursBudget),
    halfLifeHours: r.halfLifeHours == null ? null : Number(r.halfLifeHours),
    consumedGpuHours: Number(r.consumedGpuHours),
    committedGpuHours: Number(r.committedGpuHours),
    elapsedHours: Number(r.elapsedHours),
    activeGpus: Number(r.activeGpus),
    periodStart: r.periodStart == null ? null : new Date(r.periodStart),
    periodEnd: r.periodEnd == null ? null : new Date(r.periodEnd),
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
