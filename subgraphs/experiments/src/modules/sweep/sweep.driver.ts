import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { deriveTrialSeed, renderCommand, type Observation } from '@fairsweep/sdk';
import { publishEvent, TOPICS, type TrialCreated } from '@fairsweep/service-kit';
import { ExperimentEntity } from '../experiment/experiment.entity.js';
import { budgetStopReason } from '../budget/budget.rules.js';
import { TERMINAL_STATES, TrialEntity } from '../trial/trial.entity.js';
import { createStrategy } from './strategy.registry.js';
import { bestOf, finalStatus, toObservation, trialsToCreate } from './sweep.rules.js';
import { prunedSteps } from '../prune/prune.store.js';

export const SCHEMA = 'experiments';

/**
 * Advances an experiment inside the caller's transaction: creates the next trials the budget
 * allows (each suggestion conditioned on the observations so far, recorded with it), or closes the
 * experiment when nothing is left to run. The experiment row is locked first so concurrent
 * callers (event consumers, mutations, replicas) advance it one at a time.
 */
export async function advanceExperiment(em: EntityManager, experimentId: string): Promise<ExperimentEntity> {
  await em.execute('SELECT id FROM experiments.experiment WHERE id = ? FOR UPDATE', [experimentId]);
  const exp = await em.findOneOrFail(ExperimentEntity, { id: experimentId }, { refresh: true });
  const trials = await em.find(TrialEntity, { experimentId }, { orderBy: { index: 'asc' }, refresh: true });
  const active = trials.filter((t) => !TERMINAL_STATES.includes(t.state)).length;
  const counts = { maxTrials: exp.spec.budget.maxTrials, maxParallel: exp.spec.budget.maxParallel, created: exp.trialsCreated, active };
  // budget.gpuHours / budget.deadline: once spent, no new trials (the sweep ends when the running ones do); why is recorded.
  const budgetStop = exp.status === 'running' ? budgetStopReason(exp.spec.budget, exp.spec.trial.resources.gpus, trials, exp.createdAt, new Date()) : null;
  if (budgetStop) {
    counts.maxTrials = Math.min(counts.maxTrials, exp.trialsCreated);
    exp.stopReason ??= budgetStop;
  }

  if (exp.status === 'running') {
    const n = trialsToCreate(counts);
    if (n > 0) {
      const finished = trials
        .filter((t) => TERMINAL_STATES.includes(t.state) && t.state !== 'cancelled')
        .sort((a, b) => (a.finishedAt?.getTime() ?? 0) - (b.finishedAt?.getTime() ?? 0) || a.index - b.index);
      const steps = finished.some((t) => t.state === 'pruned') ? await prunedSteps(em, exp.id) : new Map<number, number>();
      const observations: Observation[] = finished.map((t) => toObservation(t, steps.get(t.index)));
      const strategy = createStrategy(exp.strategy, exp.spec.strategy.options);
      if ('error' in strategy) throw new Error(`experiment ${exp.id}: ${strategy.error}`);
      for (let k = 0; k < n; k++) {
        const index = exp.trialsCreated + k;
        const suggestion = strategy.suggest({
          space: exp.spec.searchSpace,
          objective: exp.spec.objective,
          experimentSeed: exp.seed,
          trialIndex: index,
          observations,
        });
        const trial = em.create(TrialEntity, {
          id: randomUUID(),
          experimentId: exp.id,
          tenant: exp.tenant,
          index,
          params: suggestion.params,
          seed: deriveTrialSeed(exp.seed, index),
          state: 'pending',
          suggestion: {
            strategy: strategy.name,
            strategyVersion: strategy.version,
            options: exp.spec.strategy.options,
            observedTrials: observations.map((o) => o.trialIndex),
            rngPosition: suggestion.rngPosition ?? null,
          },
        });
        em.persist(trial);
        trials.push(trial);
        await em.flush();
        await announceTrial(em, exp, trial);
      }
      exp.trialsCreated += n;
      counts.created += n;
      counts.active += n;
    }
  }
  const status = finalStatus(exp.status, counts, trials.map((t) => t.state));
  if (status) {
    exp.status = status;
    exp.finishedAt = new Date();
    const best = bestOf(trials, exp.spec.objective.direction);
    await publishEvent(em, SCHEMA, {
      topic: TOPICS.experimentFinished,
      aggregateId: exp.id,
      tenant: exp.tenant,
      payload: { experimentId: exp.id, status, bestTrialId: best?.id ?? null, bestValue: best?.value ?? null },
    });
  }
  await em.flush();
  return exp;
}

async function announceTrial(em: EntityManager, exp: ExperimentEntity, trial: TrialEntity): Promise<void> {
  const t = exp.spec.trial;
  const created: TrialCreated = {
    trialId: trial.id,
    experimentId: exp.id,
    tenant: exp.tenant,
    trialIndex: trial.index,
    // placeholders ({lr}, {seed}, {trial.index}, ...) filled in for this trial; see docs/spec.md
    command: renderCommand(t.command, trial.params, trial.seed, { trialIndex: trial.index, trialId: trial.id, experimentId: exp.id }),
    env: t.env,
    params: trial.params,
    seed: trial.seed,
    resources: t.resources,
    executor: t.executor,
    maxRuntimeSeconds: t.maxRuntimeSeconds,
    priority: exp.spec.priority ?? 'standard',
    project: exp.spec.project ?? null,
    maxTrials: exp.spec.budget.maxTrials, maxParallel: exp.spec.budget.maxParallel,
  };
  await publishEvent(em, SCHEMA, { topic: TOPICS.trialCreated, aggregateId: trial.id, tenant: exp.tenant, payload: { ...created } });
  await publishTrialState(em, trial);
}

/** Feeds the trialProgress subscription: aggregate id is the experiment. */
export async function publishTrialState(em: EntityManager, trial: TrialEntity): Promise<void> {
  await publishEvent(em, SCHEMA, {
    topic: TOPICS.trialStateChanged,
    aggregateId: trial.experimentId,
    tenant: trial.tenant,
    payload: { trialId: trial.id, state: trial.state },
  });
}
