import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from '@fairsweep/service-kit';
import { priorityChangeError } from './priority.rules.js';

export interface PriorityChangeRow {
  id: string;
  changedAt: Date;
  tenant: string;
  experimentId: string;
  trialId: string;
  fromPriority: string;
  toPriority: string;
  changedBy: string;
  reason: string;
  quotaVersion: number | null;
}

const RETURNING = `id::text AS id, changed_at AS "changedAt", tenant, experiment_id AS "experimentId", trial_id AS "trialId",
  from_priority AS "fromPriority", to_priority AS "toPriority", changed_by AS "changedBy", reason, quota_version AS "quotaVersion"`;

/**
 * Sets the priority class of the given queued trials of `tenant` and appends one record per
 * trial whose class changed, in one transaction. The rows are locked like an admission cycle
 * locks them, so the next cycle orders by the new class. Authorization is the caller's job.
 */
export async function changePriority(
  em: EntityManager, tenant: string, where: { trialId: string } | { experimentId: string }, priority: string, reason: string, changedBy: string,
): Promise<PriorityChangeRow[]> {
  return em.transactional(async (tx) => {
    const [quota] = await tx.execute<{ version: number; priorityClasses: string[] }[]>(
      `SELECT version, priority_classes AS "priorityClasses" FROM compute.tenant_quota WHERE tenant = ?`,
      [tenant],
    );
    const invalid = priorityChangeError({ priority, reason }, tenant, quota);
    if (invalid) throw errors.invalidInput(invalid[0], invalid[1]);
    const byTrial = 'trialId' in where;
    const rows = await tx.execute<{ trialId: string; experimentId: string; priority: string; state: string }[]>(
      `SELECT trial_id AS "trialId", experiment_id AS "experimentId", priority, state FROM compute.trial_run
       WHERE tenant = ? AND ${byTrial ? 'trial_id = ?' : 'experiment_id = ?'} ORDER BY enqueued_at, trial_index FOR UPDATE`,
      [tenant, byTrial ? where.trialId : where.experimentId],
    );
    if (rows.length === 0) throw errors.notFound(byTrial ? 'trial' : 'experiment', byTrial ? where.trialId : where.experimentId);
    if (byTrial && rows[0]!.state !== 'queued') {
      throw errors.conflict(`trial "${where.trialId}" is ${rows[0]!.state}: only a queued trial's priority can change`, { trialId: where.trialId, state: rows[0]!.state });
    }
    const change = rows.filter((r) => r.state === 'queued' && r.priority !== priority);
    if (change.length === 0) return [];
    await tx.execute(`UPDATE compute.trial_run SET priority = ? WHERE trial_id IN (SELECT jsonb_array_elements_text(?::jsonb)) AND state = 'queued'`, [priority, JSON.stringify(change.map((r) => r.trialId))], 'run');
    const inserted = await tx.execute<PriorityChangeRow[]>(
      `INSERT INTO compute.priority_change (tenant, experiment_id, trial_id, from_priority, to_priority, changed_by, reason, quota_version)
       SELECT ?, x.experiment_id, x.trial_id, x.from_priority, ?, ?, ?, ? FROM jsonb_to_recordset(?::jsonb) AS x(trial_id text, experiment_id text, from_priority text)
       RETURNING ${RETURNING}`,
      [tenant, priority, changedBy, reason.trim(), quota!.version, JSON.stringify(change.map((r) => ({ trial_id: r.trialId, experiment_id: r.experimentId, from_priority: r.priority })))],
    );
    return inserted.map(asChange);
  });
}

/** Raw rows carry timestamps as the driver gives them (a string): GraphQL's DateTimeISO wants a Date. */
const asChange = (r: PriorityChangeRow): PriorityChangeRow => ({ ...r, changedAt: new Date(r.changedAt) });

export async function listPriorityChanges(em: EntityManager, tenant: string, trialId: string | null, limit: number): Promise<PriorityChangeRow[]> {
  const rows = await em.execute<PriorityChangeRow[]>(
    `SELECT ${RETURNING} FROM compute.priority_change WHERE tenant = ? AND (?::text IS NULL OR trial_id = ?) ORDER BY id DESC LIMIT ?`,
    [tenant, trialId, trialId, limit],
  );
  return rows.map(asChange);
}
