import type { EntityManager } from '@mikro-orm/postgresql';
import {
  publishEvent, SOURCES, TOPICS,
  type ConsumerDefinition, type OutboxEvent, type TrialFinished, type TrialMetricReported, type TrialPreempted, type TrialStarted,
} from '@fairsweep/service-kit';
import { ExperimentEntity } from '../experiment/experiment.entity.js';
import { advanceExperiment, publishTrialState, SCHEMA } from '../sweep/sweep.driver.js';
import { trialResult } from '../sweep/sweep.rules.js';
import { evaluatePrune, prunedAt } from '../prune/prune.store.js';
import { TrialAttemptEntity } from '../trial/trial-attempt.entity.js';
import { TERMINAL_STATES, TrialEntity, TrialMetricEntity } from '../trial/trial.entity.js';

/**
 * Applies compute's trial events to trials. Runs in the transaction that advances the consumer
 * offset, so each event takes effect exactly once; stale events (a trial already ended) are ignored.
 */
export function computeEventsConsumer(): ConsumerDefinition {
  return {
    name: 'experiments<-compute',
    source: SOURCES.compute,
    topics: [TOPICS.trialStarted, TOPICS.trialMetricReported, TOPICS.trialFinished, TOPICS.trialPreempted],
    handle: async (event: OutboxEvent, em: EntityManager) => {
      if (event.topic === TOPICS.trialStarted) return onStarted(em, event.payload as unknown as TrialStarted);
      if (event.topic === TOPICS.trialMetricReported) return onMetric(em, event.payload as unknown as TrialMetricReported);
      if (event.topic === TOPICS.trialFinished) return onFinished(em, event.payload as unknown as TrialFinished);
      if (event.topic === TOPICS.trialPreempted) return onPreempted(em, event.payload as unknown as TrialPreempted);
    },
  };
}

async function loadTrial(em: EntityManager, trialId: string): Promise<TrialEntity | null> {
  return em.findOne(TrialEntity, { id: trialId }, { refresh: true });
}

async function onStarted(em: EntityManager, e: TrialStarted): Promise<void> {
  const trial = await loadTrial(em, e.trialId);
  if (!trial || TERMINAL_STATES.includes(trial.state)) return;
  trial.state = 'running';
  trial.attempt = e.attempt;
  trial.host = e.host;
  trial.startedAt = new Date(e.at);
  const known = await em.findOne(TrialAttemptEntity, { attemptId: e.attemptId });
  if (!known) {
    em.persist(em.create(TrialAttemptEntity, {
      attemptId: e.attemptId, trialId: trial.id, tenant: trial.tenant, attempt: e.attempt, pool: e.pool, host: e.host, devices: e.devices ?? [], startedAt: new Date(e.at),
      deviceType: e.deviceType ?? null, throughputFactor: e.throughputFactor ?? null,
      executor: e.executor?.name ?? null, executorVersion: e.executor?.version ?? null, quotaVersion: e.quotaVersion ?? null,
      gpus: e.gpus ?? [], isolation: e.notes ?? [],
    }));
  }
  await em.flush();
  await publishTrialState(em, trial);
}

async function onMetric(em: EntityManager, e: TrialMetricReported): Promise<void> {
  const trial = await loadTrial(em, e.trialId);
  if (!trial || TERMINAL_STATES.includes(trial.state)) return;
  const metric = em.create(TrialMetricEntity, { trialId: trial.id, tenant: trial.tenant, name: e.name, value: e.value, step: e.step, reportedAt: new Date(e.at) });
  em.persist(metric);
  await em.flush();
  // An intermediate value of the objective: the experiment's pruner decides, in this transaction.
  if (e.step !== null) {
    const exp = await em.findOneOrFail(ExperimentEntity, { id: trial.experimentId });
    if (exp.spec.pruner && e.name === exp.spec.objective.metric) await evaluatePrune(em, exp, trial, Number(metric.id));
  }
  await publishEvent(em, SCHEMA, {
    topic: TOPICS.trialMetricRecorded,
    aggregateId: trial.experimentId,
    tenant: trial.tenant,
    payload: { trialId: trial.id, name: e.name, value: e.value, step: e.step, at: e.at },
  });
}

async function onFinished(em: EntityManager, e: TrialFinished): Promise<void> {
  const trial = await loadTrial(em, e.trialId);
  if (!trial || TERMINAL_STATES.includes(trial.state)) return;
  const exp = await em.findOneOrFail(ExperimentEntity, { id: trial.experimentId });
  const metric = exp.spec.objective.metric;
  const [last] = await em.execute<{ value: number }[]>(
    'SELECT value FROM experiments.trial_metric WHERE trial_id = ? AND name = ? ORDER BY id DESC LIMIT 1',
    [trial.id, metric],
  );
  const result = trialResult(e.outcome, e.reason, metric, last ? Number(last.value) : null, exp.spec.pruner ? await prunedAt(em, trial.id) : null);
  trial.state = result.state;
  trial.value = result.value;
  trial.reason = result.reason;
  trial.exitCode = e.exitCode;
  trial.finishedAt = new Date(e.at);
  const attempt = e.attemptId ? await em.findOne(TrialAttemptEntity, { attemptId: e.attemptId }) : null;
  if (attempt && !attempt.finishedAt) {
    Object.assign(attempt, { finishedAt: new Date(e.at), outcome: e.outcome, exitCode: e.exitCode, signal: e.signal, reason: e.reason });
  }
  await em.flush();
  await publishTrialState(em, trial);
  await advanceExperiment(em, trial.experimentId);
}

/** A preempted attempt ended gracefully; the trial waits again for its next attempt. */
async function onPreempted(em: EntityManager, e: TrialPreempted): Promise<void> {
  const trial = await loadTrial(em, e.trialId);
  if (!trial || TERMINAL_STATES.includes(trial.state)) return;
  const attempt = await em.findOne(TrialAttemptEntity, { attemptId: e.attemptId });
  if (attempt && !attempt.finishedAt) {
    Object.assign(attempt, { finishedAt: new Date(e.at), outcome: 'preempted', exitCode: null, signal: null, reason: e.reason });
  }
  trial.state = 'pending';
  trial.reason = e.reason;
  await em.flush();
  await publishTrialState(em, trial);
}
