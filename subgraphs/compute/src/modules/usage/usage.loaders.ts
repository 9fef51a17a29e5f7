import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { keyLoader } from '@fairsweep/service-kit';
import { readQuotas, readUsage, type QuotaRow, type TenantUsage } from './usage.reader.js';

/** Per-request batch loaders keyed by tenant slug. Callers pass only tenants the principal may see. */
export function createUsageLoaders(em: EntityManager) {
  return {
    usage: new DataLoader<string, TenantUsage>((tenants) => readUsage(em, tenants)),
    quota: keyLoader<string, QuotaRow>((tenants) => readQuotas(em, tenants), (q) => q.tenant),
  };
}

export type UsageLoaders = ReturnType<typeof createUsageLoaders>;
