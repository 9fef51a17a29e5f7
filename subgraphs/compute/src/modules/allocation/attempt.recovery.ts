import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrialLaunch } from '@fairsweep/sdk';
import { computeEvents } from '../events/compute.events.js';
import type { StoredLaunch } from '../queue/trial-run.entity.js';
import { finishRun } from '../queue/trial-run.finish.js';

/** How many times a trial is retried after attempts that were lost (or failed retryably), before it fails. */
export const MAX_RETRIES = 3;

/** A launch with the priority class it was admitted under (executors such as Slurm map it to a QOS). */
export type LaunchWithPriority = TrialLaunch & { priority: string };

export type RecoveryAction = 'resubmit' | 'reattached' | 'retry' | 'lost';

export interface RecoveryRecord {
  pool: string;
  tenant: string;
  trialId: string;
  attemptId: string;
  action: RecoveryAction;
  reason: string;
  replica: string;
}

/** Appends to compute.attempt_recovery (append-only: who — the replica — what, when and why). */
export async function recordRecovery(em: EntityManager, r: RecoveryRecord): Promise<void> {
  await em.execute(
    `INSERT INTO compute.attempt_recovery (pool, tenant, trial_id, attempt_id, action, reason, replica) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [r.pool, r.tenant, r.trialId, r.attemptId, r.action, r.reason, r.replica],
    'run',
  );
}

interface OrphanRow {
  attempt_id: string;
  trial_id: string;
  tenant: string;
  attempt: number;
  cpus: number;
  gpus: number;
  memory_mb: number;
  priority: string;
  experiment_id: string;
  trial_index: number;
  launch: StoredLaunch;
  previous: string;
}

/**
 * Takes over the active attempts of `pool` whose replica is no longer live (crashed, or stopped
 * without stopping them): `owner` becomes their replica, each gets a `resubmit` record, and their
 * launches are returned to be submitted again — an executor that can re-attach follows the work
 * that already runs instead of starting it twice. Rows another replica is claiming are skipped.
 */
export async function claimOrphanedAttempts(em: EntityManager, pool: string, owner: string, liveWithinMs: number, executorName: string): Promise<LaunchWithPriority[]> {
  const rows = await em.execute<OrphanRow[]>(
    `WITH orphaned AS (
       SELECT a.id, a.owner AS previous FROM compute.allocation a
       WHERE a.pool = ? AND a.state = 'active' AND a.owner <> ?
         AND a.owner NOT IN (SELECT id FROM compute.replica WHERE heartbeat_at > now() - ? * interval '1 millisecond')
       FOR UPDATE OF a SKIP LOCKED)
     UPDATE compute.allocation a SET owner = ? FROM orphaned o, compute.trial_run r
     WHERE a.id = o.id AND r.trial_id = a.trial_id
     RETURNING a.attempt_id::text, a.trial_id, a.tenant, a.attempt, a.cpus, a.gpus, a.memory_mb, a.priority,
       r.experiment_id, r.trial_index, r.launch, o.previous`,
    [pool, owner, liveWithinMs, owner],
  );
  const launches: LaunchWithPriority[] = [];
  for (const row of rows) {
    await recordRecovery(em, {
      pool, tenant: row.tenant, trialId: row.trial_id, attemptId: row.attempt_id, action: 'resubmit', replica: owner,
      reason: `the compute replica that ran it (${row.previous}) is gone; re-submitted to executor ${executorName} to re-attach`,
    });
    const l = row.launch;
    launches.push({
      attemptId: row.attempt_id, trialId: row.trial_id, experimentId: row.experiment_id, tenant: row.tenant, trialIndex: row.trial_index,
      attempt: row.attempt, command: l.command, env: l.env, params: l.params, seed: l.seed, maxRuntimeSeconds: l.maxRuntimeSeconds,
      resources: { cpus: Number(row.cpus), gpus: row.gpus, memoryMb: row.memory_mb }, priority: row.priority,
    });
  }
  return launches;
}

/**
 * A running trial whose attempt was lost or failed retryably goes back to the queue for a new
 * attempt (at most MAX_RETRIES times), recorded as `retry` and announced as `trial.preempted` (the
 * trial waits again). Returns false when it must end instead: retries used up (recorded `lost`).
 * A trial of a cancelled experiment ends cancelled.
 */
export async function retryRun(em: EntityManager, a: { pool: string; tenant: string; trialId: string; attemptId: string; owner: string }, reason: string): Promise<boolean> {
  const [{ n }] = (await em.execute<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM compute.attempt_recovery WHERE trial_id = ? AND action = 'retry'`,
    [a.trialId],
  )) as [{ n: number }];
  const base = { pool: a.pool, tenant: a.tenant, trialId: a.trialId, attemptId: a.attemptId, replica: a.owner };
  if (n >= MAX_RETRIES) {
    await recordRecovery(em, { ...base, action: 'lost', reason: `${reason}; not retried: ${n} retries already (the most is ${MAX_RETRIES})` });
    return false;
  }
  const [cancelled] = await em.execute<{ reason: string }[]>(
    `SELECT c.reason FROM compute.cancelled_experiment c JOIN compute.trial_run r ON r.experiment_id = c.experiment_id WHERE r.trial_id = ?`,
    [a.trialId],
  );
  if (cancelled) {
    await finishRun(em, { trialId: a.trialId, attemptId: a.attemptId, outcome: 'cancelled', exitCode: null, signal: null, reason: cancelled.reason });
    return true;
  }
  const why = `${reason}; retried as a new attempt (retry ${n + 1} of at most ${MAX_RETRIES})`;
  const rows = await em.execute<{ experiment_id: string }[]>(
    `UPDATE compute.trial_run SET state = 'queued', pending_reason = ?, admitted_at = NULL WHERE trial_id = ? AND state = 'running' RETURNING experiment_id`,
    [`waiting to retry: ${reason}`, a.trialId],
  );
  if (!rows[0]) return true; // already finished or requeued: nothing to retry
  await recordRecovery(em, { ...base, action: 'retry', reason: why });
  await computeEvents.trialPreempted(em, { trialId: a.trialId, attemptId: a.attemptId, experimentId: rows[0].experiment_id, tenant: a.tenant, reason: why, at: new Date().toISOString() });
  return true;
}
