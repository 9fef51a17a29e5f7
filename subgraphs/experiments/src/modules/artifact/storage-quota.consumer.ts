import { SOURCES, TOPICS, type ConsumerDefinition, type TenantQuotaChanged } from '@fairsweep/service-kit';
import { applyStorageQuota } from './artifact.repository.js';

/**
 * Keeps experiments.tenant_storage.allowed_bytes in step with tenancy's `tenant.quota.changed`
 * (storageBytes; absent or null: no limit). The highest version wins, so replays and out-of-order
 * deliveries never roll a limit back. A lowered limit never deletes anything: the tenant simply
 * cannot store more until it is back under it.
 */
export function storageQuotaConsumer(): ConsumerDefinition {
  return {
    name: 'experiments<-tenancy.storage-quota',
    source: SOURCES.tenancy,
    topics: [TOPICS.tenantQuotaChanged],
    handle: async (event, em) => {
      const q = event.payload as unknown as TenantQuotaChanged;
      await applyStorageQuota(em, q.tenant, q.version, q.storageBytes ?? null);
    },
  };
}
