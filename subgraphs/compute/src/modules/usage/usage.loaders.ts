import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { keyLoader } from '@fairsweep/service-kit';
import { readQuotas, readUsage, type QuotaRow, type TenantUsage } from './usage.reader.js';
import { readBudgets, type BudgetAccount } from './budget.reader.js';

/** Per-request batch loaders keyed by tenant slug. Callers pass only tenants the principal may see. */
export function createUsageLoaders(em: EntityManager) {
  return {
    usage: new DataLoader<string, TenantUsage>((tenants) => readUsage(em, tenants)),
    quota: keyLoader<string, QuotaRow>((tenants) => readQuotas(em, tenants), (q) => q.tenant),
    budget: keyLoader<string, BudgetAccount>(
      (tenants) => readBudgets(em, 'SELECT jsonb_array_elements_text(?::jsonb)', [JSON.stringify(tenants)]),
      (b) => b.tenant,
    ),
  };
}

export type UsageLoaders = ReturnType<typeof createUsageLoaders>;
