import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, keyLoader } from '@fairsweep/service-kit';
import { TrialAttemptEntity } from '../trial/trial-attempt.entity.js';
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
    childrenByParent: groupLoader<string, ExperimentEntity>(
      (ids) => em.find(ExperimentEntity, { parentId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (e) => e.parentId!,
    ),
    attemptsByTrial: groupLoader<string, TrialAttemptEntity>(
      (ids) => em.find(TrialAttemptEntity, { trialId: { $in: [...ids] } }, { orderBy: { attempt: 'asc', startedAt: 'asc' } }),
      (a) => a.trialId,
    ),
    experimentsByTenant: groupLoader<string, ExperimentEntity>(
      (slugs) => em.find(ExperimentEntity, { tenant: { $in: [...slugs] } }, { orderBy: { createdAt: 'desc' } }),
      (e) => e.tenant,
    ),
  };
}

export type ExperimentLoaders = ReturnType<typeof createExperimentLoaders>;
