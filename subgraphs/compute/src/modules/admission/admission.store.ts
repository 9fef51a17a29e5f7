import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { TrialLaunch } from '@fairsweep/sdk';
import { computeEvents, jsonArray, TEXT_ARRAY_SQL } from '../events/compute.events.js';
import { finishRun } from '../queue/trial-run.finish.js';
import type { StoredLaunch } from '../queue/trial-run.entity.js';
import { admit } from './admission.js';
import type { ActiveAllocation, Admitted, AdmissionSnapshot, BudgetState, PoolCapacity, ProjectQuota, QueuedRun, ResourceRequest } from './admission.types.js';
import { recordDecisions } from './decision-log.js';
import { projectKey } from './project.rules.js';
import { COHORT_POLICY_SQL, cohortPolicyMap, poolRoutes, poolRoutesSql, PROJECT_QUOTA_COLUMNS, projectQuotaMap, TENANT_QUOTA_COLUMNS, tenantQuotaMap, type ProjectQuotaRow, type TenantQuotaRow } from './snapshot.columns.js';
import { readBudgets, readProjectBudgets } from '../usage/budget.reader.js';

/** Fair-share settings: how fast past usage is forgotten and how much it counts. */
export interface FairShareSettings {
  halfLifeSeconds: number;
  historyWeight: number;
  /** Attempts younger than this are never preempted. */
  minRuntimeBeforePreemptSec: number;
  /** A preempted trial may borrow again after this × 2^(preemptions − 1) seconds. */
  borrowBackoffSec?: number;
  /** A run waiting this long reserves its start against its own priority class too (backfill). */
  reserveAfterSec?: number;
  /** A run that lists several GPU types waits this long at most for a pool of a more preferred one with room (default 60). */
  preferFlavorForSec?: number;
  /** Routing forgets a pool no replica of which was seen for this long (default 24). */
  poolRetentionHours?: number;
  /** The platform's GPU flavor order for GPU runs that name no type (FAIRSWEEP_GPU_FLAVOR_ORDER); default none. */
  gpuFlavorOrder?: readonly string[];
}

export const DEFAULT_FAIR_SHARE: FairShareSettings = { halfLifeSeconds: 7 * 24 * 3600, historyWeight: 0.5, minRuntimeBeforePreemptSec: 60, borrowBackoffSec: 30 };

interface QueueRow extends QueuedRun {
  experimentId: string;
  launch: StoredLaunch;
  pendingReason: string | null;
}

/**
 * Mean run time of the succeeded attempts of each experiment with queued or running trials: the
 * observed duration estimate for runs without a maximum runtime (backfill reservations).
 */
export const DURATIONS_SQL = `SELECT r.experiment_id AS "experimentId", avg(extract(epoch FROM a.released_at - a.admitted_at))::float8 AS sec
  FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id
  WHERE a.state = 'released' AND a.outcome = 'succeeded'
    AND r.experiment_id IN (SELECT experiment_id FROM compute.trial_run WHERE state IN ('queued', 'running'))
  GROUP BY r.experiment_id`;

const QUEUE_SQL = `SELECT trial_id AS "trialId", experiment_id AS "experimentId", tenant, trial_index AS "trialIndex", launch,
    cpus, gpus, memory_mb AS "memoryMb", enqueued_at AS "enqueuedAt", pending_reason AS "pendingReason", priority, project, gpu_types AS "gpuTypes",
    launch->>'executor' AS executor,
    (launch->>'maxRuntimeSeconds')::float8 AS "maxRuntimeSeconds", preempting_since IS NOT NULL AS preempting, preemptions,
    extract(epoch FROM clock_timestamp() - last_preempted_at)::float8 AS "sincePreemptedSec"
  FROM compute.trial_run r
  WHERE state = 'queued'
    AND (tenant IN (SELECT jsonb_array_elements_text(?::jsonb)) OR NOT EXISTS (SELECT 1 FROM compute.tenant_quota q WHERE q.tenant = r.tenant))
  ORDER BY enqueued_at, trial_index, trial_id FOR UPDATE`;

/**
 * Each queued tenant's decayed average usage (fair-share.ts: decayedWeight), from allocation
 * records alone — derived, so nothing to keep consistent across crashes.
 */
export const HISTORY_SQL = `SELECT tenant, sum(cpus * w) AS cpus, sum(gpus * w) AS gpus, sum(memory_mb * w) AS "memoryMb" FROM (
    SELECT tenant, cpus, gpus, memory_mb,
      power(2, -greatest(extract(epoch FROM clock_timestamp() - coalesce(released_at, clock_timestamp())), 0) / ?)
      - power(2, -greatest(extract(epoch FROM clock_timestamp() - admitted_at), 0) / ?) AS w
    FROM compute.allocation
    WHERE tenant IN (SELECT tenant FROM compute.trial_run WHERE state = 'queued')
      AND (released_at IS NULL OR released_at > clock_timestamp() - ? * interval '1 second')
  ) x GROUP BY tenant`;

/**
 * One admission cycle for `pool`, in one transaction: the pool's advisory lock serialises cycles
 * of all replicas; locking the quota rows of tenants with queued work (then their projects' limit
 * rows) serialises cycles of other pools admitting for the same tenants and projects. Returns the launches to submit once it has committed.
 */
export async function runAdmissionCycle(orm: MikroORM, pool: PoolCapacity, owner: string, fairShare: FairShareSettings = DEFAULT_FAIR_SHARE): Promise<TrialLaunch[]> {
  return orm.em.fork().transactional(async (em) => {
    await em.execute(`SELECT pg_advisory_xact_lock(hashtext(?))`, [`fairsweep:admission:${pool.name}`]);
    const quotaRows = await em.execute<TenantQuotaRow[]>(
      `SELECT ${TENANT_QUOTA_COLUMNS}
       FROM compute.tenant_quota
       WHERE tenant IN (SELECT tenant FROM compute.trial_run WHERE state = 'queued')
          OR cohort IN (SELECT q.cohort FROM compute.tenant_quota q JOIN compute.trial_run r ON r.tenant = q.tenant WHERE r.state = 'queued')
       ORDER BY tenant FOR UPDATE`,
    );
    // Each statement reads its own snapshot: a tenant whose first run was queued after the quota
    // rows were read (its quota row unlocked, so not in quotaRows) waits for the next cycle instead
    // of being told it has no quota. Tenants with no quota row at all are still read, and told so.
    const queue = (await em.execute<QueueRow[]>(QUEUE_SQL, [JSON.stringify(quotaRows.map((q) => q.tenant))]))
      .map((r) => ({ ...r, enqueuedAt: new Date(r.enqueuedAt) }));
    if (queue.length === 0) return [];
    const projectQuotas = await lockProjectQuotas(em, quotaRows.map((q) => q.tenant));
    const durations = new Map((await em.execute<{ experimentId: string; sec: number }[]>(DURATIONS_SQL)).map((d) => [d.experimentId, Number(d.sec)]));
    for (const r of queue) r.expectedRuntimeSec = durations.get(r.experimentId) ?? null;
    const [{ now }] = (await em.execute<{ now: Date }[]>(`SELECT clock_timestamp() AS now`)) as [{ now: Date }];
    const allocations = (await em.execute<(ActiveAllocation & { experimentId: string; maxRuntime: number | null })[]>(
      `SELECT a.tenant, a.pool, a.cpus, a.gpus, a.memory_mb AS "memoryMb", a.devices, a.attempt_id::text AS "attemptId", a.trial_id AS "trialId",
         a.priority, a.borrowed, r.experiment_id AS "experimentId", (r.launch->>'maxRuntimeSeconds')::float8 AS "maxRuntime",
         extract(epoch FROM clock_timestamp() - a.admitted_at)::float8 AS "runtimeSec", a.cancel_requested_at IS NOT NULL AS stopping,
         r.preemptions, r.project
       FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id WHERE a.state = 'active'`,
    )).map(({ experimentId, maxRuntime, ...a }) => ({ ...a, expectedRuntimeSec: maxRuntime ?? durations.get(experimentId) ?? null }));
    const h = fairShare.halfLifeSeconds;
    const historyRows = await em.execute<(ResourceRequest & { tenant: string })[]>(HISTORY_SQL, [h, h, 10 * h]);
    const history = new Map(historyRows.map((r) => [r.tenant, { cpus: Number(r.cpus), gpus: Number(r.gpus), memoryMb: Number(r.memoryMb) }]));
    const budgets = await readBudgets(em, `SELECT tenant FROM compute.trial_run WHERE state = 'queued'`, []);
    const projectBudgets = await readLockedProjectBudgets(em, quotaRows.map((q) => q.tenant), projectQuotas);
    const { poolFlavors, poolExecutors, livePools, poolCapacities } = poolRoutes(await em.execute(poolRoutesSql(fairShare.poolRetentionHours)));
    const snapshot: AdmissionSnapshot = {
      pool, allocations, queue, history, historyWeight: fairShare.historyWeight, minRuntimeBeforePreemptSec: fairShare.minRuntimeBeforePreemptSec,
      borrowBackoffSec: fairShare.borrowBackoffSec, now: new Date(now), reserveAfterSec: fairShare.reserveAfterSec, preferFlavorForSec: fairShare.preferFlavorForSec,
      ...(fairShare.gpuFlavorOrder?.length ? { gpuFlavorOrder: fairShare.gpuFlavorOrder } : {}),
      quotas: tenantQuotaMap(quotaRows), cohortPolicies: cohortPolicyMap(await em.execute(COHORT_POLICY_SQL)),
      budgets: new Map(budgets.map((b) => [b.tenant, { consumedGpuHours: b.consumedGpuHours, committedGpuHours: b.committedGpuHours }])),
      projectQuotas, projectBudgets, poolFlavors, poolExecutors, livePools, poolCapacities,
    };
    const decisions = admit(snapshot);
    const byId = new Map(queue.map((r) => [r.trialId, r]));
    const launches: TrialLaunch[] = [];
    for (const a of decisions.admitted) launches.push(await allocate(em, pool.name, owner, byId.get(a.trialId)!, a));
    // Preemptions: the owning replica signals the attempt (cancel.dispatcher.ts); when it exits,
    // its trial is requeued as a new attempt (allocation.release.ts).
    for (const trialId of new Set(decisions.preempted.map((p) => p.forTrialId))) {
      await em.execute(`UPDATE compute.trial_run SET preempting_since = coalesce(preempting_since, clock_timestamp()) WHERE trial_id = ?`, [trialId], 'run');
    }
    for (const p of decisions.preempted) {
      await em.execute(
        `UPDATE compute.allocation SET cancel_requested_at = clock_timestamp(), cancel_reason = ?, preempt = true
         WHERE attempt_id = ?::uuid AND state = 'active' AND cancel_requested_at IS NULL`,
        [p.reason, p.attemptId],
        'run',
      );
    }
    const attemptOf = new Map(launches.map((l) => [l.trialId, l.attemptId]));
    for (const r of decisions.rejected) {
      await finishRun(em, { trialId: r.trialId, attemptId: null, outcome: 'failed', exitCode: null, signal: null, reason: r.reason });
    }
    const changed = decisions.pending.filter((p) => byId.get(p.trialId)!.pendingReason !== p.reason);
    await recordDecisions(em, pool.name, snapshot, decisions, attemptOf, new Set(changed.map((p) => p.trialId)));
    if (changed.length > 0) {
      await em.execute(
        `UPDATE compute.trial_run r SET pending_reason = x.reason FROM jsonb_to_recordset(?::jsonb) AS x(trial_id text, reason text) WHERE r.trial_id = x.trial_id`,
        [JSON.stringify(changed.map((p) => ({ trial_id: p.trialId, reason: p.reason })))],
        'run',
      );
    }
    await computeEvents.usageChanged(em, [...decisions.admitted, ...decisions.rejected].map((d) => d.tenant));
    return launches;
  });
}

/**
 * The project limits of every tenant whose quota row this cycle locked (only those tenants' runs can
 * be admitted), locked in turn in a fixed order: a project's usage is changed only by cycles that
 * hold its tenant's row, and a limit change waits for the cycle that read it.
 */
async function lockProjectQuotas(em: EntityManager, tenants: string[]): Promise<Map<string, ProjectQuota>> {
  if (tenants.length === 0) return new Map();
  const rows = await em.execute<ProjectQuotaRow[]>(
    `SELECT ${PROJECT_QUOTA_COLUMNS}
     FROM compute.project_quota WHERE tenant IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY tenant, project FOR UPDATE`,
    [JSON.stringify(tenants)],
  );
  return projectQuotaMap(rows);
}

/** GPU-hour accounts of the projects with a budget among those just locked (no query when none has one). */
async function readLockedProjectBudgets(em: EntityManager, tenants: string[], projectQuotas: ReadonlyMap<string, ProjectQuota>): Promise<Map<string, BudgetState>> {
  if (![...projectQuotas.values()].some((q) => q.gpuHoursBudget != null)) return new Map();
  const accounts = await readProjectBudgets(em,
    `SELECT tenant, project FROM compute.project_quota WHERE tenant IN (SELECT jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(tenants)]);
  return new Map(accounts.map((b) => [projectKey(b.tenant, b.project), { consumedGpuHours: b.consumedGpuHours, committedGpuHours: b.committedGpuHours }]));
}

async function allocate(em: EntityManager, pool: string, owner: string, run: QueueRow, a: Admitted): Promise<TrialLaunch> {
  const { devices, quotaVersion } = a;
  const attemptId = randomUUID();
  const [{ attempt }] = (await em.execute<{ attempt: number }[]>(
    `SELECT coalesce(max(attempt), 0)::int + 1 AS attempt FROM compute.allocation WHERE trial_id = ?`,
    [run.trialId],
  )) as [{ attempt: number }];
  await em.execute(
    `INSERT INTO compute.allocation (id, attempt_id, trial_id, tenant, pool, cpus, gpus, memory_mb, devices, attempt, quota_version, owner, state, borrowed, priority)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${TEXT_ARRAY_SQL}, ?, ?, ?, 'active', ?, ?)`,
    [randomUUID(), attemptId, run.trialId, run.tenant, pool, run.cpus, run.gpus, run.memoryMb, jsonArray(devices), attempt, quotaVersion, owner, a.borrowed, a.priority],
    'run',
  );
  await em.execute(
    `UPDATE compute.trial_run SET state = 'running', admitted_at = clock_timestamp(), pending_reason = NULL, preempting_since = NULL WHERE trial_id = ?`,
    [run.trialId],
    'run',
  );
  const l = run.launch;
  return {
    attemptId, trialId: run.trialId, experimentId: run.experimentId, tenant: run.tenant, trialIndex: run.trialIndex, attempt,
    command: l.command, env: l.env, params: l.params, seed: l.seed, maxRuntimeSeconds: l.maxRuntimeSeconds,
    resources: { cpus: run.cpus, gpus: run.gpus, memoryMb: run.memoryMb },
  };
}
