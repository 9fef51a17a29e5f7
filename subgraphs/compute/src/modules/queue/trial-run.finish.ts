import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrialFinished } from '@fairsweep/service-kit';
import { computeEvents } from '../events/compute.events.js';

export type FinishInput = Omit<TrialFinished, 'at' | 'experimentId' | 'tenant'>;

/**
 * Ends a queued or running run exactly once and publishes `trial.finished` in the same
 * transaction. Returns false (and publishes nothing) when the run had already finished.
 */
export async function finishRun(em: EntityManager, f: FinishInput): Promise<boolean> {
  const rows = await em.execute<{ experiment_id: string; tenant: string }[]>(
    `UPDATE compute.trial_run SET state = 'finished', outcome = ?, finish_reason = ?, finished_at = clock_timestamp(), pending_reason = NULL
     WHERE trial_id = ? AND state <> 'finished' RETURNING experiment_id, tenant`,
    [f.outcome, f.reason, f.trialId],
  );
  const row = rows[0];
  if (!row) return false;
  await computeEvents.trialFinished(em, { ...f, experimentId: row.experiment_id, tenant: row.tenant, at: new Date().toISOString() });
  return true;
}

/**
 * Puts a preempted run back in the queue (keeping its place by age) for a new attempt, and
 * publishes `trial.preempted`. If its experiment was cancelled meanwhile, it ends cancelled.
 */
export async function requeueRun(em: EntityManager, trialId: string, attemptId: string, reason: string): Promise<void> {
  const [cancelled] = await em.execute<{ reason: string }[]>(
    `SELECT c.reason FROM compute.cancelled_experiment c JOIN compute.trial_run r ON r.experiment_id = c.experiment_id WHERE r.trial_id = ?`,
    [trialId],
  );
  if (cancelled) {
    await finishRun(em, { trialId, attemptId, outcome: 'cancelled', exitCode: null, signal: null, reason: cancelled.reason });
    return;
  }
  const rows = await em.execute<{ experiment_id: string; tenant: string }[]>(
    `UPDATE compute.trial_run SET state = 'queued', pending_reason = ?, admitted_at = NULL,
       preemptions = preemptions + 1, last_preempted_at = clock_timestamp()
     WHERE trial_id = ? AND state = 'running' RETURNING experiment_id, tenant`,
    [`requeued after ${reason}`, trialId],
  );
  const row = rows[0];
  if (!row) return;
  await computeEvents.trialPreempted(em, { trialId, attemptId, experimentId: row.experiment_id, tenant: row.tenant, reason, at: new Date().toISOString() });
}
