import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrialOutcome } from '@fairsweep/sdk';
import { computeEvents } from '../events/compute.events.js';
import { finishRun, requeueRun } from '../queue/trial-run.finish.js';
import { retryRun } from './attempt.recovery.js';

export interface AttemptEnd {
  outcome: TrialOutcome;
  exitCode: number | null;
  signal: string | null;
  reason: string;
  /** Lost or failed for reasons outside the trial: the trial gets a new attempt (see retryRun). */
  retryable?: boolean;
}

interface ReleasedRow {
  attempt_id: string;
  trial_id: string;
  tenant: string;
  pool: string;
  owner: string;
  outcome: TrialOutcome | 'preempted';
  reason: string;
}

/**
 * Releases one attempt's allocation, ends its run and publishes `trial.finished` and
 * `tenant.usage.changed`, all in the caller's transaction. A second call is a no-op (false).
 * An attempt whose cancellation was requested and that did not succeed ends as cancelled, with
 * the reason given by whoever asked.
 */
export async function releaseAttempt(em: EntityManager, attemptId: string, end: AttemptEnd): Promise<boolean> {
  const rows = await em.execute<ReleasedRow[]>(
    `UPDATE compute.allocation SET state = 'released', released_at = clock_timestamp(),
       outcome = CASE WHEN cancel_reason IS NOT NULL AND ? <> 'succeeded' THEN (CASE WHEN preempt THEN 'preempted' ELSE 'cancelled' END) ELSE ? END,
       reason = CASE WHEN cancel_reason IS NOT NULL AND ? <> 'succeeded' THEN cancel_reason ELSE ? END
     WHERE attempt_id = ? AND state = 'active' RETURNING attempt_id::text, trial_id, tenant, pool, owner, outcome, reason`,
    [end.outcome, end.outcome, end.outcome, end.reason, attemptId],
  );
  await finishReleased(em, rows, end);
  return rows.length > 0;
}

/**
 * Releases every active allocation of `pool` whose owning replica is no longer live: the attempt
 * cannot be re-attached, so it fails with a recorded reason (never silently dropped); `retryable`:
 * the trial gets a new attempt instead (retryRun), e.g. when its pool was decommissioned.
 */
export async function releaseLostAttempts(em: EntityManager, pool: string, liveWithinMs: number, reason: string, retryable = false): Promise<number> {
  const rows = await em.execute<ReleasedRow[]>(
    `UPDATE compute.allocation SET state = 'released', released_at = clock_timestamp(), outcome = 'failed', reason = ?
     WHERE pool = ? AND state = 'active'
       AND owner NOT IN (SELECT id FROM compute.replica WHERE heartbeat_at > now() - ? * interval '1 millisecond')
     RETURNING attempt_id::text, trial_id, tenant, pool, owner, outcome, reason`,
    [reason, pool, liveWithinMs],
  );
  await finishReleased(em, rows, { outcome: 'failed', exitCode: null, signal: null, reason, retryable });
  return rows.length;
}

async function finishReleased(em: EntityManager, rows: ReleasedRow[], end: AttemptEnd): Promise<void> {
  for (const row of rows) {
    if (row.outcome === 'preempted') {
      await requeueRun(em, row.trial_id, row.attempt_id, row.reason);
      continue;
    }
    if (row.outcome === 'failed' && end.retryable) {
      const a = { pool: row.pool, tenant: row.tenant, trialId: row.trial_id, attemptId: row.attempt_id, owner: row.owner };
      if (await retryRun(em, a, row.reason)) continue;
    }
    await finishRun(em, { trialId: row.trial_id, attemptId: row.attempt_id, outcome: row.outcome, exitCode: end.exitCode, signal: end.signal, reason: row.reason });
  }
  await computeEvents.usageChanged(em, rows.map((r) => r.tenant));
}
