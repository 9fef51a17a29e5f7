import 'reflect-metadata';
import { startSubgraphService, type RunningService, type SubgraphDefinition } from '@fairsweep/service-kit';
import { computeConfigFromEnv, COMPUTE_DEFAULT_PORT, type ComputeConfig } from './config.js';
import { createComputeContext, type ComputeContext } from './context.js';
import { migrations } from './migrations/index.js';
import { admit } from './modules/admission/admission.js';
import { AllocationEntity } from './modules/allocation/allocation.entity.js';
import { PoolEntity } from './modules/pool/pool.entity.js';
import { poolCapacity } from './modules/pool/pool.store.js';
import { cohortPolicyConsumer } from './modules/quota/cohort-policy.consumer.js';
import { quotaConsumer } from './modules/quota/quota.consumer.js';
import { projectQuotaConsumer } from './modules/quota/project-quota.consumer.js';
import { TenantQuotaEntity } from './modules/quota/tenant-quota.entity.js';
import { experimentsConsumer } from './modules/queue/experiments.consumer.js';
import { TrialRunEntity } from './modules/queue/trial-run.entity.js';
import { LOST_ON_RESTART, startComputeRuntime } from './runtime.js';
import { buildComputeSchema } from './schema.js';
import { DEFAULT_ESTIMATE, type EstimateSettings } from './modules/eta/eta.reader.js';
import { DEFAULT_FAIR_SHARE } from './modules/admission/admission.store.js';

export { admit, buildComputeSchema, computeConfigFromEnv, COMPUTE_DEFAULT_PORT, LOST_ON_RESTART, type ComputeConfig };
export type { PoolConfig } from './modules/pool/pool.store.js';
export { parseGpuFlavorOrder } from './modules/admission/flavor.rules.js';
export { executorSettingsFromEnv, type ExecutorSettings, type KubernetesExecutorSettings, type LocalExecutorSettings, type SlurmExecutorSettings } from './modules/executor/executor.settings.js';
export type * from './modules/admission/admission.types.js';

/** The compute subgraph for one configured pool. */
export function computeSubgraph(config: ComputeConfig): SubgraphDefinition<ComputeContext> {
  const pool = poolCapacity(config.pool);
  // ETAs replay admission as this process runs it: its interval and its scheduler settings.
  const estimate: EstimateSettings = {
    ...DEFAULT_ESTIMATE, cycleSec: (config.admissionIntervalMs ?? 250) / 1000, fairShare: { ...DEFAULT_FAIR_SHARE, ...(config.fairShare ?? {}) },
  };
  return {
    name: 'compute',
    entities: [PoolEntity, TenantQuotaEntity, TrialRunEntity, AllocationEntity],
    migrations,
    buildSchema: buildComputeSchema,
    createContext: (base) => createComputeContext(base, estimate),
    consumers: () => [quotaConsumer(), projectQuotaConsumer(), cohortPolicyConsumer(), experimentsConsumer(pool)],
    startBackground: (deps) => startComputeRuntime(config, pool, deps),
  };
}

/** Starts the compute subgraph: quota replica, queue, admission into the pool, executor events. */
export function startCompute(config: ComputeConfig): Promise<RunningService> {
  return startSubgraphService(computeSubgraph(config), config);
}
