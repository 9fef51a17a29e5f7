import type { TrialEntity, TrialMetricEntity } from '../trial/trial.entity.js';
import type { ExperimentEntity } from './experiment.entity.js';
import { ExperimentStatusEnum, ExperimentType, MetricType, TrialStateEnum, TrialType } from './experiment.type.js';

export function toExperiment(e: ExperimentEntity): ExperimentType {
  return Object.assign(new ExperimentType(), {
    id: e.id, tenantSlug: e.tenant, project: e.project, name: e.name, status: e.status as ExperimentStatusEnum,
    spec: e.spec, specHash: e.specHash, seed: e.seed, strategy: e.strategy, strategyVersion: e.strategyVersion,
    createdBy: e.createdBy, createdAt: e.createdAt, finishedAt: e.finishedAt, environment: e.environment, parentId: e.parentId,
  });
}

export function toTrial(t: TrialEntity): TrialType {
  return Object.assign(new TrialType(), {
    id: t.id, experimentId: t.experimentId, tenant: t.tenant, index: t.index, params: t.params, seed: t.seed,
    state: t.state as TrialStateEnum, value: t.value, attempt: t.attempt, host: t.host, exitCode: t.exitCode, reason: t.reason,
    suggestion: t.suggestion, createdAt: t.createdAt, startedAt: t.startedAt, finishedAt: t.finishedAt,
  });
}

export function toMetric(m: Pick<TrialMetricEntity, 'name' | 'value' | 'step' | 'reportedAt'>): MetricType {
  return Object.assign(new MetricType(), { name: m.name, value: m.value, step: m.step, reportedAt: m.reportedAt });
}
