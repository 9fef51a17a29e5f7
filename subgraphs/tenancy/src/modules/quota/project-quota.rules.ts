import { errors } from '@fairsweep/service-kit';
import { validateBudget, type BudgetInput, type BudgetPolicy, type QuotaLimits } from './quota.rules.js';

/** A project's hard limits inside its tenant; null = no project limit on that resource. */
export interface ProjectLimits {
  cpus: number | null;
  gpus: number | null;
  memoryMb: number | null;
  concurrentTrials: number | null;
}

export type ProjectLimitsInput = { [K in keyof ProjectLimits]?: number | null };

/**
 * One version of a project's policy: its hard limits and its GPU-hour budget per UTC period. The
 * budget may exceed the tenant's own: both apply, so the tenant budget still caps the project.
 */
export interface ProjectQuotaPolicy extends ProjectLimits, BudgetPolicy {}

export type ProjectQuotaInputShape = ProjectLimitsInput & BudgetInput;

const KEYS = ['cpus', 'gpus', 'memoryMb', 'concurrentTrials'] as const;

/**
 * Checks a project's limits and budget before they become a policy version; the error names the
 * field, the value and the rule. Omitted fields take their defaults (no limit, no budget, month,
 * safe mode): each version is complete, not a patch of the previous one.
 */
export function validateProjectQuota(q: ProjectQuotaInputShape, field = 'quota'): ProjectQuotaPolicy {
  const out: ProjectLimits = { cpus: null, gpus: null, memoryMb: null, concurrentTrials: null };
  for (const k of KEYS) {
    const v = q[k];
    if (v === undefined || v === null) continue;
    if (!Number.isFinite(v) || v < 0 || (k !== 'cpus' && !Number.isInteger(v))) {
      throw errors.invalidInput(`${field}.${k}`, `must be ${k === 'cpus' ? 'a number' : 'an integer'} >= 0 (or null for no project limit), got ${v}`);
    }
    out[k] = v;
  }
  return { ...out, ...validateBudget(q, field) };
}

/**
 * The most a tenant may use of each resource under its quota: nominal, plus the borrowing limit
 * when it is in a cohort (no borrowing limit there: unbounded); concurrentTrials is a plain cap.
 */
export function tenantHardLimit(q: QuotaLimits): ProjectLimits & { [K in keyof ProjectLimits]: number } {
  const borrow = (k: 'cpus' | 'gpus' | 'memoryMb') => (q.cohort === null ? 0 : (q.borrowingLimit?.[k] ?? Infinity));
  return { cpus: q.cpus + borrow('cpus'), gpus: q.gpus + borrow('gpus'), memoryMb: q.memoryMb + borrow('memoryMb'), concurrentTrials: q.concurrentTrials };
}

/**
 * Tenant admins divide their tenant's own quota between its projects: each project limit they set
 * is at most the tenant's hard limit (platform admins may set any). Throws INVALID_INPUT naming
 * the field, the limit and the tenant quota version. The GPU-hour budget is not checked here: a
 * project budget above the tenant's is allowed, since admission applies both.
 */
export function assertWithinTenantQuota(limits: ProjectLimits, tenant: string, quota: QuotaLimits & { version: number }, field = 'quota'): void {
  const hard = tenantHardLimit(quota);
  for (const k of KEYS) {
    const v = limits[k];
    if (v !== null && v > hard[k] + 1e-9) {
      throw errors.invalidInput(`${field}.${k}`,
        `tenant admins may set at most tenant ${tenant}'s own limit, ${hard[k]} (quota v${quota.version}); got ${v} (platform admins may set more)`);
    }
  }
}
