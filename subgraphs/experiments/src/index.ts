import 'reflect-metadata';
import { startSubgraphService, type RunningService, type ServiceConfig, type SubgraphDefinition } from '@fairsweep/service-kit';
import { createExperimentsContext, type ExperimentsContext } from './context.js';
import { migrations } from './migrations/index.js';
import { ExperimentEntity } from './modules/experiment/experiment.entity.js';
import { computeEventsConsumer } from './modules/progress/compute-events.consumer.js';
import { registeredPoolsConsumer } from './modules/executor-registry/registered-pools.consumer.js';
import { TrialAttemptEntity } from './modules/trial/trial-attempt.entity.js';
import { TrialEntity, TrialMetricEntity } from './modules/trial/trial.entity.js';
import { buildExperimentsSchema } from './schema.js';
import { loadPrunerPlugins, loadStrategyPlugins, prunerPluginsFromEnv } from './modules/sweep/strategy.loader.js';
import { PruneDecisionEntity } from './modules/prune/prune-decision.entity.js';
import { TemplateVersionEntity } from './modules/template/template-version.entity.js';
import { artifactStorageFrom, type ArtifactConfig } from './modules/artifact/artifact.config.js';
import { attemptOutputsConsumer } from './modules/artifact/attempt-outputs.consumer.js';
import { storageQuotaConsumer } from './modules/artifact/storage-quota.consumer.js';

export { buildExperimentsSchema };
export const EXPERIMENTS_DEFAULT_PORT = 4002;

export const experimentsSubgraph: SubgraphDefinition<ExperimentsContext> = {
  name: 'experiments',
  entities: [ExperimentEntity, TrialEntity, TrialMetricEntity, TrialAttemptEntity, PruneDecisionEntity, TemplateVersionEntity],
  migrations,
  buildSchema: buildExperimentsSchema,
  createContext: (base) => createExperimentsContext(base),
  consumers: () => [computeEventsConsumer(), registeredPoolsConsumer()],
};

/** Starts the experiments subgraph: specs, trials, suggestions, metrics and live progress. */
export function startExperiments(config: ServiceConfig & { strategyPlugins?: string[]; prunerPlugins?: string[] } & ArtifactConfig): Promise<RunningService> {
  // Third-party strategies and pruners are loaded and shape-checked before anything starts
  // (pruners: config.prunerPlugins, else FAIRSWEEP_PRUNER_PLUGINS).
  if (config.strategyPlugins?.length) loadStrategyPlugins(config.strategyPlugins);
  const pruners = config.prunerPlugins ?? prunerPluginsFromEnv();
  if (pruners.length) loadPrunerPlugins(pruners);
  // The artifact store (docs/artifacts.md): its backend, the storage-quota replica and log ingestion.
  const storage = artifactStorageFrom(config);
  return startSubgraphService({
    ...experimentsSubgraph,
    createContext: (base) => createExperimentsContext(base, storage),
    consumers: (deps) => [...(experimentsSubgraph.consumers?.(deps) ?? []), storageQuotaConsumer(), attemptOutputsConsumer(storage)],
  }, config);
}

export { loadPrunerPlugins, loadStrategyPlugins, prunerPluginsFromEnv, strategyPluginsFromEnv } from './modules/sweep/strategy.loader.js';
export type { ArtifactConfig } from './modules/artifact/artifact.config.js';
