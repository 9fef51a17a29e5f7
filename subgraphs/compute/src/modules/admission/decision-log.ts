import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalJson } from '@fairsweep/sdk';
import type { AdmissionDecisions, AdmissionSnapshot } from './admission.types.js';

/** SHA-256 of the canonical snapshot a cycle decided on: equal inputs, equal digest. */
export function inputsDigest(s: AdmissionSnapshot): string {
  const doc = {
    pool: s.pool,
    allocations: [...s.allocations].sort((a, b) => (a.tenant + a.pool).localeCompare(b.tenant + b.pool) || a.cpus - b.cpus),
    quotas: Object.fromEntries([...s.quotas].sort(([a], [b]) => a.localeCompare(b))),
    queue: s.queue.map((r) => ({ ...r, enqueuedAt: r.enqueuedAt.toISOString() })),
    history: s.history ? Object.fromEntries([...s.history].sort(([a], [b]) => a.localeCompare(b))) : {},
    historyWeight: s.historyWeight ?? 0.5,
    ...(s.cohortPolicies?.size ? { cohortPolicies: Object.fromEntries([...s.cohortPolicies].sort(([a], [b]) => a.localeCompare(b))) } : {}),
    ...(s.projectQuotas?.size ? { projectQuotas: Object.fromEntries([...s.projectQuotas].sort(([a], [b]) => a.localeCompare(b))) } : {}),
  };
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}

interface DecisionRow {
  pool: string;
  tenant: string;
  trial_id: string;
  attempt_id: string | null;
  kind: 'admit' | 'backfill' | 'wait' | 'reject' | 'preempt';
  reason: string;
  priority: string;
  share: number | null;
  quota_version: number | null;
  inputs_digest: string;
}

/**
 * Appends the cycle's decisions to compute.decision: every admit (kind backfill when admitted
 * behind a reservation, with why it delays none) and reject, and a wait only when
 * its reason differs from the one already recorded for that run (a queue re-evaluated every
 * 250 ms would otherwise log the same wait forever).
 */
export async function recordDecisions(
  em: EntityManager,
  pool: string,
  snapshot: AdmissionSnapshot,
  decisions: AdmissionDecisions,
  attemptOf: ReadonlyMap<string, string>,
  changedWaits: ReadonlySet<string>,
): Promise<void> {
  const digest = inputsDigest(snapshot);
  const priorityOf = new Map(snapshot.queue.map((r) => [r.trialId, r.priority ?? 'standard']));
  const projectOf = new Map(snapshot.queue.map((r) => [r.trialId, r.project]));
  const rows: DecisionRow[] = [
    ...decisions.admitted.map((a) => ({
      pool, tenant: a.tenant, trial_id: a.trialId, attempt_id: attemptOf.get(a.trialId) ?? null, kind: a.backfill ? ('backfill' as const) : ('admit' as const),
      reason: `${a.backfill ? `${a.backfill}; ` : ''}admitted at weighted dominant share ${a.share.toFixed(4)} (${a.priority}${a.borrowed ? ', borrowing cohort quota' : ''}${a.projectQuotaVersion !== undefined ? `, within project ${projectOf.get(a.trialId)} limits v${a.projectQuotaVersion}` : ''})${a.routing ? `; ${a.routing}` : ''}`, priority: a.priority, share: a.share, quota_version: a.quotaVersion, inputs_digest: digest,
    })),
    ...decisions.rejected.map((r) => ({
      pool, tenant: r.tenant, trial_id: r.trialId, attempt_id: null, kind: 'reject' as const, reason: r.reason,
      priority: priorityOf.get(r.trialId) ?? 'standard', share: null, quota_version: r.quotaVersion ?? null, inputs_digest: digest,
    })),
    ...decisions.preempted.map((p) => ({
      pool, tenant: p.tenant, trial_id: p.trialId ?? '', attempt_id: p.attemptId, kind: 'preempt' as const, reason: p.reason,
      priority: snapshot.allocations.find((a) => a.attemptId === p.attemptId)?.priority ?? 'standard', share: null,
      quota_version: snapshot.quotas.get(p.tenant)?.version ?? null, inputs_digest: digest,
    })),
    ...decisions.pending.filter((p) => changedWaits.has(p.trialId)).map((p) => ({
      pool, tenant: p.tenant, trial_id: p.trialId, attempt_id: null, kind: 'wait' as const, reason: p.reason,
      priority: priorityOf.get(p.trialId) ?? 'standard', share: null, quota_version: p.quotaVersion ?? null, inputs_digest: digest,
    })),
  ];
  if (rows.length === 0) return;
  await em.execute(
    `INSERT INTO compute.decision (pool, tenant, trial_id, attempt_id, kind, reason, priority, share, quota_version, inputs_digest)
     SELECT pool, tenant, trial_id, attempt_id, kind, reason, priority, share, quota_version, inputs_digest
     FROM jsonb_to_recordset(?::jsonb) AS x(pool text, tenant text, trial_id text, attempt_id uuid, kind text, reason text,
       priority text, share double precision, quota_version integer, inputs_digest text)`,
    [JSON.stringify(rows)],
    'run',
  );
}
