import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, keyLoader } from '@fairsweep/service-kit';
import { TrialEntity, TrialMetricEntity } from '../trial/trial.entity.js';
import { ExperimentEntity } from './experiment.entity.js';

/** Per-request loaders; tenant filters are applied by the resolvers that hand out keys. */
export function createExperimentLoaders(em: EntityManager) {
  return {
    experiment: keyLoader<string, ExperimentEntity>((ids) => em.find(ExperimentEntity, { id: { $in: [...ids] } }), (e) => e.id),
    trial: keyLoader<string, TrialEntity>((ids) => em.find(TrialEntity, { id: { $in: [...ids] } }), (t) => t.id),
    trialsByExperiment: groupLoader<string, TrialEntity>(
      (ids) => em.find(TrialEntity, { experimentId: { $in: [...ids] } }, { orderBy: { index: 'asc' } }),
      (t) => t.experimentId,
    ),
    metricsByTrial: groupLoader<string, TrialMetricEntity>(
      (ids) => em.find(TrialMetricEntity, { trialId: { $in: [...ids] } }, { orderBy: { id: 'asc' } }),
      (m) => m.trialId,
    ),
    experimentsByTenant: groupLoader<string, ExperimentEntity>(
      (slugs) => em.find(ExperimentEntity, { tenant: { $in: [...slugs] } }, { orderBy: { createdAt: 'desc' } }),
      (e) => e.tenant,
    ),
  };
}

export type ExperimentLoaders = ReturnType<typeof createExperimentLoaders>;
