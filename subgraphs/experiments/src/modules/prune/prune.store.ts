import type { EntityManager } from '@mikro-orm/postgresql';
import { publishEvent, TOPICS, type TrialStopRequested } from '@fairsweep/service-kit';
import type { ExperimentEntity } from '../experiment/experiment.entity.js';
import type { PrunedAt } from '../sweep/sweep.rules.js';
import type { TrialEntity } from '../trial/trial.entity.js';
import { PruneDecisionEntity } from './prune-decision.entity.js';
import { buildPruneContext, decide, pruneMessage, type ObjectiveReport } from './prune.domain.js';
import { createPruner } from './pruner.registry.js';

const SCHEMA = 'experiments';

/** The experiment's objective reports with a step, in record order (optionally up to a metric row). */
export async function objectiveReports(em: EntityManager, experimentId: string, metric: string, throughMetricId = Number.MAX_SAFE_INTEGER): Promise<ObjectiveReport[]> {
  const rows = await em.execute<{ id: string; trial_index: number; step: number; value: number }[]>(
    `SELECT m.id, t.trial_index, m.step, m.value FROM experiments.trial_metric m JOIN experiments.trial t ON t.id = m.trial_id
     WHERE t.experiment_id = ? AND m.name = ? AND m.step IS NOT NULL AND m.id <= ? ORDER BY m.id`,
    [experimentId, metric, throughMetricId],
  );
  return rows.map((r) => ({ metricId: Number(r.id), trialIndex: r.trial_index, step: r.step, value: Number(r.value) }));
}

/** Pruned trials' steps by trial index (what a strategy observes with a pruned trial). */
export async function prunedSteps(em: EntityManager, experimentId: string): Promise<Map<number, number>> {
  const rows = await em.execute<{ trial_index: number; step: number }[]>(
    'SELECT trial_index, step FROM experiments.prune_decision WHERE experiment_id = ? AND prune', [experimentId]);
  return new Map(rows.map((r) => [r.trial_index, r.step]));
}

/** The decision that pruned a trial, or null. */
export async function prunedAt(em: EntityManager, trialId: string): Promise<PrunedAt | null> {
  const [d] = await em.execute<{ step: number; value: number; pruner: string; pruner_version: string; reason: string }[]>(
    'SELECT step, value, pruner, pruner_version, reason FROM experiments.prune_decision WHERE trial_id = ? AND prune', [trialId]);
  return d ? { step: d.step, value: Number(d.value), message: pruneMessage({ name: d.pruner, version: d.pruner_version }, d.step, d.reason) } : null;
}

/**
 * A running trial reported its objective at a step: asks the experiment's pruner, records the
 * decision (append-only) and, on prune, asks compute to stop the trial — all in the caller's
 * transaction. Returns the decision, or null when none was made (no pruner, trial not running or
 * already pruned, or a step that does not advance the trial's curve).
 */
export async function evaluatePrune(em: EntityManager, exp: ExperimentEntity, trial: TrialEntity, metricId: number): Promise<PruneDecisionEntity | null> {
  const spec = exp.spec.pruner;
  if (!spec || exp.status !== 'running' || trial.state !== 'running') return null;
  const pruner = createPruner(spec.name, spec.options);
  if ('error' in pruner) throw new Error(`experiment ${exp.id}: ${pruner.error}`);
  const reports = await objectiveReports(em, exp.id, exp.spec.objective.metric, metricId);
  const current = reports.find((r) => r.metricId === metricId);
  if (!current) return null;
  const prunes = await em.execute<{ trial_index: number; metric_id: string }[]>(
    'SELECT trial_index, metric_id FROM experiments.prune_decision WHERE experiment_id = ? AND prune', [exp.id]);
  const terminal = await em.execute<{ trial_index: number; state: string }[]>(
    `SELECT trial_index, state FROM experiments.trial WHERE experiment_id = ? AND state IN ('succeeded', 'failed', 'cancelled', 'pruned')`, [exp.id]);
  const built = buildPruneContext(
    reports, current,
    new Map(prunes.map((p) => [p.trial_index, Number(p.metric_id)])),
    new Map(terminal.map((t) => [t.trial_index, t.state])),
    exp.spec.objective.direction,
  );
  if (!built || prunes.some((p) => p.trial_index === trial.index)) return null;
  const decision = decide(pruner, built.ctx);
  const row = em.create(PruneDecisionEntity, {
    experimentId: exp.id, trialId: trial.id, tenant: trial.tenant, trialIndex: trial.index, metricId: String(metricId),
    step: current.step, value: current.value, pruner: pruner.name, prunerVersion: pruner.version, options: spec.options,
    prune: decision.prune, reason: decision.reason, inputs: built.inputs, inputsSha256: built.digest,
    decidedBy: `pruner ${pruner.name}@${pruner.version}`,
  });
  em.persist(row);
  await em.flush();
  if (decision.prune) {
    const message = pruneMessage(pruner, current.step, decision.reason);
    trial.reason = `pruning: ${message}`;
    const stop: TrialStopRequested = {
      trialId: trial.id, experimentId: exp.id, tenant: trial.tenant, reason: 'pruned', message, requestedBy: row.decidedBy, at: new Date().toISOString(),
    };
    await publishEvent(em, SCHEMA, { topic: TOPICS.trialStopRequested, aggregateId: trial.id, tenant: trial.tenant, payload: { ...stop } });
    await em.flush();
  }
  return row;
}
