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
