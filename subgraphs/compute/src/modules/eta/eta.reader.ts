import type { EntityManager } from '@mikro-orm/postgresql';
import { StaleCache } from './stale-cache.js';
import { DEFAULT_FAIR_SHARE, DURATIONS_SQL, HISTORY_SQL, type FairShareSettings } from '../admission/admission.store.js';
import type { PoolCapacity, QueuedRun, ResourceRequest } from '../admission/admission.types.js';
import { projectKey } from '../admission/project.rules.js';
import { COHORT_POLICY_SQL, cohortPolicyMap, POOL_LIVE_SQL, poolRoutableSql, poolRoutes, PROJECT_QUOTA_COLUMNS, projectQuotaMap, TENANT_QUOTA_COLUMNS, tenantQuotaMap, type ProjectQuotaRow, type TenantQuotaRow } from '../admission/snapshot.columns.js';
import { readBudgets, readProjectBudgets } from '../usage/budget.reader.js';
import { remainingSec, runtimeEstimator } from './eta.js';
import { resetsWithin } from './replay-budgets.js';
import { ETA_SAMPLES, runtimeSpread, sampledReplaySteps } from './replay-sampled.js';
import { runSliced } from './replay-clock.js';
import { expectedDurationSec, forecastArrivals, REPLAY_HORIZON_SEC, type PlannedTrials, type ReplayAllocation, type ReplayResult } from './replay.js';

export interface QueueEstimate extends ReplayResult {
  /** When the estimate was computed (the database clock). */
  at: Date;
  /** Per experiment with queued or running trials: expected completion (seconds from `at`) or why unknown. */
  experiments: Map<string, { tenant: string; remainingTrials: number | null; completionSec: number | null; reason: string | null }>;
}

/** The admission interval cycles happen at, and the bounds of one estimate. */
export interface EstimateSettings {
  cycleSec: number;
  fairShare: FairShareSettings;
  /** Reuse an estimate this long (one per admission cycle is plenty). */
  cacheMs: number;
  /**
   * After `cacheMs`, keep serving the last estimate at once while a new one is computed in the
   * background, for at most this long since it was taken (default 30 s); older, callers wait.
   */
  maxStaleMs?: number;
  maxCycles?: number;
  maxMs?: number;
  /** Sampled worlds whose median start is the estimate (replay-sampled.ts); 0: the deterministic replay alone. */
  samples?: number;
}

/** The durations (seconds) of the last 200 successes of each experiment with trials queued or running. */
const OBSERVED_RUNTIMES_SQL = `SELECT "experimentId", array_agg(sec) AS secs FROM (
    SELECT r.experiment_id AS "experimentId", extract(epoch FROM a.released_at - a.admitted_at)::float8 AS sec,
      row_number() OVER (PARTITION BY r.experiment_id ORDER BY a.released_at DESC) AS k
    FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id
    WHERE a.state = 'released' AND a.outcome = 'succeeded'
      AND r.experiment_id IN (SELECT experiment_id FROM compute.trial_run WHERE state IN ('queued', 'running'))) x
  WHERE k <= 200 GROUP BY "experimentId"`;

/**
 * Computing time one estimate may take (default `maxMs`): the deterministic replay, which gives
 * every queued trial its estimate, may take all of it; the sampled worlds that refine it, at most
 * ETA_SAMPLES_MS of it. Run in 10 ms slices, so it holds the event loop no longer than that.
 */
export const ETA_COMPUTE_MS = 1000;
export const ETA_SAMPLES_MS = 250;

export const DEFAULT_ESTIMATE: EstimateSettings = { cycleSec: 0.25, fairShare: DEFAULT_FAIR_SHARE, cacheMs: 2000 };

/** One cache per freshness setting (a process has one), keyed by database. */
const caches = new Map<string, StaleCache<QueueEstimate>>();

/**
 * Estimated starts of every queued trial and completions of every experiment with work in flight:
 * the real admission function replayed forward (replay.ts) over what an admission cycle reads —
 * pools with their GPU flavors, tenant quotas with cohorts, project limits, usage history, tenant
 * and project GPU-hour budgets (snapshot.columns.ts: the same columns), running attempts with their expected
 * ends (the experiment's observed mean duration, else the mean of other experiments' (eta.ts),
 * capped by maxRuntimeSeconds), the queue — plus
 * the trials experiments has not created yet (experiment_plan). Cached per database for
 * `cacheMs`, so a busy queue page does not replay once per request; then served stale while one
 * refresh runs in the background (stale-cache.ts), so at depth a request never waits for the
 * replay once a first estimate exists. `QueueEstimate.at` says when it was taken.
 */
export function readQueueEstimate(em: EntityManager, settings: EstimateSettings = DEFAULT_ESTIMATE, covers?: (est: QueueEstimate) => boolean): Promise<QueueEstimate> {
  const maxStaleMs = Math.max(settings.cacheMs, settings.maxStaleMs ?? 30_000);
  const setting = `${settings.cacheMs}/${maxStaleMs}`;
  let cache = caches.get(setting);
  if (!cache) caches.set(setting, (cache = new StaleCache(settings.cacheMs, maxStaleMs)));
  const key = String(em.config.get('clientUrl') ?? '') + '/' + String(em.config.get('dbName') ?? '');
  // A fork: a background refresh outlives the request whose entity manager started it.
  return cache.get(key, () => computeEstimate(em.fork(), settings), covers);
}

/** Why a queued trial has no estimate in `est`: the estimate's own reason, or that it was queued after it was taken. */
export function missingEstimateReason(est: Pick<QueueEstimate, 'at' | 'unknown'>, trialId: string, enqueuedAt: Date): string | null {
  const reason = est.unknown.get(trialId);
  if (reason) return reason;
  if (enqueuedAt.getTime() >= est.at.getTime() - 1000) {
    return `queued after the latest estimate (taken at ${est.at.toISOString()}); the next one includes it`;
  }
  return null;
}

async function computeEstimate(em: EntityManager, settings: EstimateSettings): Promise<QueueEstimate> {
  const fs = settings.fairShare;
  const [{ now }] = (await em.execute<{ now: Date }[]>(`SELECT clock_timestamp() AS now`)) as [{ now: Date }];
  // One read of the routable pools: all of them route (a trial may wait for a stopped one), the live ones admit.
  const routable = await em.execute<(PoolCapacity & { gpuIds: string[] | null; flavor: string | null; executor: string | null; live: boolean })[]>(
    `SELECT name, cpus::float8 AS cpus, gpus, memory_mb AS "memoryMb", gpu_ids AS "gpuIds", device_type AS flavor, executor_name AS executor,
       ${POOL_LIVE_SQL} AS live
     FROM compute.pool p WHERE ${poolRoutableSql(fs.poolRetentionHours)} ORDER BY name`,
  );
  const pools: PoolCapacity[] = routable.filter((p) => p.live).map(({ live: _, ...p }) => ({ ...p, cpus: Number(p.cpus), gpuIds: p.gpuIds ?? [] }));
  const quotas = await em.execute<TenantQuotaRow[]>(`SELECT ${TENANT_QUOTA_COLUMNS} FROM compute.tenant_quota`);
  const projectQuotas = projectQuotaMap(await em.execute<ProjectQuotaRow[]>(`SELECT ${PROJECT_QUOTA_COLUMNS} FROM compute.project_quota`));
  const { poolFlavors, poolExecutors, livePools, poolCapacities } = poolRoutes(routable);
  // Observed mean run times; an experiment with no finished trial yet borrows the others' (eta.ts).
  const runtimeOf = runtimeEstimator(new Map((await em.execute<{ experimentId: string; sec: number }[]>(DURATIONS_SQL)).map((d) => [d.experimentId, Number(d.sec)])));
  const queue = (await em.execute<(QueuedRun & { experimentId: string })[]>(
    `SELECT trial_id AS "trialId", experiment_id AS "experimentId", tenant, trial_index AS "trialIndex", cpus::float8 AS cpus, gpus, memory_mb AS "memoryMb",
       enqueued_at AS "enqueuedAt", priority, (launch->>'maxRuntimeSeconds')::float8 AS "maxRuntimeSeconds", preempting_since IS NOT NULL AS preempting,
       preemptions, extract(epoch FROM clock_timestamp() - last_preempted_at)::float8 AS "sincePreemptedSec", project, gpu_types AS "gpuTypes",
       launch->>'executor' AS executor
     FROM compute.trial_run WHERE state = 'queued' ORDER BY enqueued_at, trial_index, trial_id`,
  )).map((r) => ({ ...r, cpus: Number(r.cpus), enqueuedAt: new Date(r.enqueuedAt), expectedRuntimeSec: runtimeOf(r.experimentId, r.maxRuntimeSeconds) }));
  const allocations: (ReplayAllocation & { experimentId: string })[] = (await em.execute<(ReplayAllocation & { experimentId: string })[]>(
    `SELECT a.tenant, a.pool, a.cpus::float8 AS cpus, a.gpus, a.memory_mb AS "memoryMb", a.devices, a.attempt_id::text AS "attemptId", a.trial_id AS "trialId",
       a.priority, a.borrowed, r.experiment_id AS "experimentId", (r.launch->>'maxRuntimeSeconds')::float8 AS "maxRuntimeSeconds",
       extract(epoch FROM clock_timestamp() - a.admitted_at)::float8 AS "runtimeSec", a.cancel_requested_at IS NOT NULL AS stopping, r.preemptions, r.project
     FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id WHERE a.state = 'active'`,
  )).map((a) => {
    const expected = expectedDurationSec({ expectedRuntimeSec: runtimeOf(a.experimentId, a.maxRuntimeSeconds), maxRuntimeSeconds: a.maxRuntimeSeconds });
    return {
      ...a, cpus: Number(a.cpus), expectedRuntimeSec: a.maxRuntimeSeconds ?? runtimeOf(a.experimentId),
      endSec: remainingSec(Number.isFinite(expected) ? expected : null, a.runtimeSec ?? 0),
    };
  });
  const h = fs.halfLifeSeconds;
  const history = new Map((await em.execute<(ResourceRequest & { tenant: string })[]>(HISTORY_SQL, [h, h, 10 * h]))
    .map((r) => [r.tenant, { cpus: Number(r.cpus), gpus: Number(r.gpus), memoryMb: Number(r.memoryMb) }]));
  const budgets = await readBudgets(em, `SELECT tenant FROM compute.trial_run WHERE state = 'queued'`, []);
  const projectAccounts = [...projectQuotas.values()].some((q) => q.gpuHoursBudget != null)
    ? await readProjectBudgets(em, `SELECT tenant, project FROM compute.project_quota`, [])
    : [];
  const projectBudgets = new Map(projectAccounts.map((b) => [projectKey(b.tenant, b.project), { consumedGpuHours: b.consumedGpuHours, committedGpuHours: b.committedGpuHours }]));
  // Reset periods restart within the replay's horizon; decay budgets fade (their half-life is in the quotas).
  const resets = (b: { budgetPeriod: string; periodEnd: Date | null }) => resetsWithin(b.budgetPeriod, b.periodEnd, new Date(now), REPLAY_HORIZON_SEC);
  // Experiments' trials not created yet, shaped like their latest trial.
  const plans = await em.execute<{ experimentId: string; tenant: string; maxTrials: number | null; maxParallel: number | null; created: number; agoSec: number; latest: string }[]>(
    `SELECT p.experiment_id AS "experimentId", p.tenant, p.max_trials AS "maxTrials", p.max_parallel AS "maxParallel",
       (SELECT count(*)::int FROM compute.trial_run r WHERE r.experiment_id = p.experiment_id) AS created,
       extract(epoch FROM clock_timestamp() - p.first_created_at)::float8 AS "agoSec",
       (SELECT r.trial_id FROM compute.trial_run r WHERE r.experiment_id = p.experiment_id AND r.state IN ('queued', 'running')
         ORDER BY r.trial_index DESC LIMIT 1) AS latest
     FROM compute.experiment_plan p
     WHERE p.experiment_id IN (SELECT experiment_id FROM compute.trial_run WHERE state IN ('queued', 'running'))`,
  );
  const runOf = new Map<string, QueuedRun>(queue.map((q) => [q.trialId, q]));
  const runningRows = await em.execute<(QueuedRun & { experimentId: string })[]>(
    `SELECT trial_id AS "trialId", experiment_id AS "experimentId", tenant, trial_index AS "trialIndex", cpus::float8 AS cpus, gpus, memory_mb AS "memoryMb",
       enqueued_at AS "enqueuedAt", priority, (launch->>'maxRuntimeSeconds')::float8 AS "maxRuntimeSeconds", project, gpu_types AS "gpuTypes",
       launch->>'executor' AS executor
     FROM compute.trial_run WHERE state = 'running'`,
  );
  for (const r of runningRows) runOf.set(r.trialId, { ...r, cpus: Number(r.cpus), enqueuedAt: new Date(r.enqueuedAt), expectedRuntimeSec: runtimeOf(r.experimentId, r.maxRuntimeSeconds) });
  const planned: PlannedTrials[] = plans.flatMap((p) => {
    const template = runOf.get(p.latest);
    if (p.maxTrials == null || !template || p.maxTrials <= p.created) return [];
    return [{ experimentId: p.experimentId, remaining: p.maxTrials - p.created, created: p.created, firstCreatedAgoSec: Number(p.agoSec), maxParallel: p.maxParallel, template }];
  });
  const experimentOf = new Map<string, string>([...queue.map((q) => [q.trialId, q.experimentId] as const), ...allocations.map((a) => [a.trialId!, a.experimentId] as const)]);
  // Run-time spread: the durations of the last 200 successes of each experiment in flight.
  const spread = runtimeSpread(new Map((await em.execute<{ experimentId: string; secs: number[] }[]>(OBSERVED_RUNTIMES_SQL))
    .map((r) => [r.experimentId, r.secs.map(Number)])));
  // In slices of 10 ms (replay-clock.ts): admission and requests go on while a deep queue is
  // estimated, and the bound counts computing time only, so a busy process still estimates it all.
  const input = {
    pools, queue, allocations, history, historyWeight: fs.historyWeight, now: new Date(now),
    quotas: tenantQuotaMap(quotas), cohortPolicies: cohortPolicyMap(await em.execute(COHORT_POLICY_SQL)), projectQuotas, projectBudgets, poolFlavors, poolExecutors, livePools, poolCapacities,
    budgets: new Map(budgets.map((b) => [b.tenant, { consumedGpuHours: b.consumedGpuHours, committedGpuHours: b.committedGpuHours }])),
    budgetResetsSec: new Map(budgets.map((b) => [b.tenant, resets(b)])),
    projectBudgetResetsSec: new Map(projectAccounts.map((b) => [projectKey(b.tenant, b.project), resets(b)])),
    minRuntimeBeforePreemptSec: fs.minRuntimeBeforePreemptSec, borrowBackoffSec: fs.borrowBackoffSec, reserveAfterSec: fs.reserveAfterSec,
    preferFlavorForSec: fs.preferFlavorForSec, ...(fs.gpuFlavorOrder?.length ? { gpuFlavorOrder: fs.gpuFlavorOrder } : {}),
    cycleSec: settings.cycleSec, arrivals: forecastArrivals(planned), experimentOf, completeArrivals: true,
    maxCycles: settings.maxCycles, maxMs: settings.maxMs ?? ETA_COMPUTE_MS,
  };
  const { value: result } = await runSliced((clock) => sampledReplaySteps(input, { samples: settings.samples ?? ETA_SAMPLES, ratio: spread, samplesMs: ETA_SAMPLES_MS }, clock));
  const tenantOf = new Map<string, string>([...queue, ...allocations].map((x) => [x.experimentId, x.tenant]));
  return { ...result, at: new Date(now), experiments: completions(result, experimentOf, tenantOf, planned, plans) };
}

/** An experiment completes when its last trial (queued, running or not created yet) ends. */
function completions(
  r: ReplayResult, experimentOf: ReadonlyMap<string, string>, tenantOf: ReadonlyMap<string, string>, planned: readonly PlannedTrials[],
  plans: readonly { experimentId: string; tenant: string; maxTrials: number | null; created: number }[],
): QueueEstimate['experiments'] {
  const trials = new Map<string, string[]>();
  for (const [trial, e] of experimentOf) trials.set(e, [...(trials.get(e) ?? []), trial]);
  for (const a of forecastArrivals(planned)) trials.get(a.experimentId!)?.push(a.run.trialId);
  const planOf = new Map(plans.map((p) => [p.experimentId, p]));
  const out: QueueEstimate['experiments'] = new Map();
  for (const [experimentId, ids] of trials) {
    const plan = planOf.get(experimentId);
    const remainingTrials = plan?.maxTrials == null ? null : Math.max(plan.maxTrials - plan.created, 0);
    let end = 0;
    let reason: string | null = null;
    for (const id of ids) {
      const e = r.ends.get(id);
      if (e === undefined || !Number.isFinite(e)) {
        reason = r.unknown.get(id) ?? `trial ${id} has no expected end (no maxRuntimeSeconds, and no experiment in flight has a finished trial to learn run times from)`;
        break;
      }
      end = Math.max(end, e);
    }
    if (!reason && remainingTrials === null) reason = 'the experiment\'s maximum trial count is not known to compute yet';
    out.set(experimentId, { tenant: tenantOf.get(experimentId) ?? plan?.tenant ?? '', remainingTrials, completionSec: reason ? null : end, reason });
  }
  return out;
}
