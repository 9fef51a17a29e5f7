import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { keyLoader } from '@fairsweep/service-kit';
import { readCohorts } from './cohort.reader.js';
import { readQuotas, readUsage, type QuotaRow, type TenantUsage } from './usage.reader.js';
import { readBudgets, readProjectBudgets, type BudgetAccount, type ProjectBudgetAccount } from './budget.reader.js';
import { projectKey } from '../admission/project.rules.js';

interface ProjectRef {
  tenant: string;
  project: string;
}

/** Per-request batch loaders keyed by tenant slug (or project). Callers pass only tenants the principal may see. */
export function createUsageLoaders(em: EntityManager) {
  return {
    usage: new DataLoader<string, TenantUsage>((tenants) => readUsage(em, tenants)),
    /** By cohort name; callers check visibility against the members. */
    cohort: new DataLoader((names: readonly string[]) => readCohorts(em, names)),
    quota: keyLoader<string, QuotaRow>((tenants) => readQuotas(em, tenants), (q) => q.tenant),
    budget: keyLoader<string, BudgetAccount>(
      (tenants) => readBudgets(em, 'SELECT jsonb_array_elements_text(?::jsonb)', [JSON.stringify(tenants)]),
      (b) => b.tenant,
    ),
    projectBudget: new DataLoader<ProjectRef, ProjectBudgetAccount | null, string>(async (refs) => {
      const rows = await readProjectBudgets(em, 'SELECT x.tenant, x.project FROM jsonb_to_recordset(?::jsonb) AS x(tenant text, project text)', [JSON.stringify(refs)]);
      const byKey = new Map(rows.map((b) => [projectKey(b.tenant, b.project), b]));
      return refs.map((r) => byKey.get(projectKey(r.tenant, r.project)) ?? null);
    }, { cacheKeyFn: (r) => projectKey(r.tenant, r.project) }),
  };
}

export type UsageLoaders = ReturnType<typeof createUsageLoaders>;
