import type { EntityManager } from '@mikro-orm/postgresql';
import { PLATFORM_EVENT_TENANT, publishEvent, TOPICS, type PoolDecommissioned, type PoolRegistered, type TenantUsageChanged, type TrialFinished, type TrialMetricReported, type TrialPreempted, type TrialStarted } from '@fairsweep/service-kit';

export const COMPUTE_SCHEMA = 'compute';

/** Typed writers for compute's outbox; each runs in the caller's transaction. */
export const computeEvents = {
  trialStarted: (em: EntityManager, e: TrialStarted & { workDir?: string | null }) =>
    publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.trialStarted, aggregateId: e.trialId, tenant: e.tenant, payload: { ...e } }),
  trialMetric: (em: EntityManager, e: TrialMetricReported) =>
    publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.trialMetricReported, aggregateId: e.trialId, tenant: e.tenant, payload: { ...e } }),
  trialFinished: (em: EntityManager, e: TrialFinished) =>
    publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.trialFinished, aggregateId: e.trialId, tenant: e.tenant, payload: { ...e } }),
  trialPreempted: (em: EntityManager, e: TrialPreempted) =>
    publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.trialPreempted, aggregateId: e.trialId, tenant: e.tenant, payload: { ...e } }),
  /** A compute process started with this pool and executor (experiments learns the executors specs may name). */
  poolRegistered: (em: EntityManager, e: PoolRegistered) =>
    publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.poolRegistered, aggregateId: e.pool, tenant: PLATFORM_EVENT_TENANT, payload: { ...e } }),
  /** A platform admin decommissioned the pool. */
  poolDecommissioned: (em: EntityManager, e: PoolDecommissioned) =>
    publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.poolDecommissioned, aggregateId: e.pool, tenant: PLATFORM_EVENT_TENANT, payload: { ...e } }),
  /** Subscribers re-read usage and remaining quota when they see it. */
  usageChanged: async (em: EntityManager, tenants: Iterable<string>) => {
    for (const tenant of new Set(tenants)) {
      const payload: TenantUsageChanged = { tenant };
      await publishEvent(em, COMPUTE_SCHEMA, { topic: TOPICS.tenantUsageChanged, aggregateId: tenant, tenant, payload: { ...payload } });
    }
  },
};

/** A JSON array parameter that SQL turns into text[] (MikroORM inlines plain arrays as lists). */
export const TEXT_ARRAY_SQL = `ARRAY(SELECT jsonb_array_elements_text(?::jsonb))`;
export const jsonArray = (values: readonly string[]): string => JSON.stringify(values);
