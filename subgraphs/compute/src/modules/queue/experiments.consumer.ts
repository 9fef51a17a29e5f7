import type { EntityManager } from '@mikro-orm/postgresql';
import { SOURCES, TOPICS, type ConsumerDefinition, type ExperimentCancelRequested, type TrialCreated, type TrialStopRequested } from '@fairsweep/service-kit';
import { computeEvents, jsonArray, TEXT_ARRAY_SQL } from '../events/compute.events.js';
import { neverFitsReason } from '../admission/admission.rules.js';
import { requestedFlavors } from '../admission/flavor.rules.js';
import type { PoolCapacity, TenantQuota } from '../admission/admission.types.js';
import { finishRun } from './trial-run.finish.js';
import type { StoredLaunch } from './trial-run.entity.js';
import { requestValidationError } from './trial-request.rules.js';
import { recordTrialPlanned } from '../eta/experiment-plan.store.js';

/**
 * One durable consumer for experiments' events, so a cancellation is always handled after the
 * `trial.created` events committed before it.
 */
export function experimentsConsumer(pool: PoolCapacity): ConsumerDefinition {
  return {
    name: 'compute.experiments',
    source: SOURCES.experiments,
    topics: [TOPICS.trialCreated, TOPICS.experimentCancelRequested, TOPICS.trialStopRequested],
    handle: async (event, em) => {
      if (event.topic === TOPICS.trialCreated) await enqueue(em, event.payload as unknown as TrialCreated, pool);
      else if (event.topic === TOPICS.trialStopRequested) await stopTrial(em, event.payload as unknown as TrialStopRequested);
      else await cancelExperiment(em, event.payload as unknown as ExperimentCancelRequested);
    },
  };
}

const PRIORITIES = ['critical', 'standard', 'preemptible'];

/** An unknown class (from a newer producer) is scheduled as standard rather than dropped. */
function priorityOf(p: string | undefined): string {
  return p && PRIORITIES.includes(p) ? p : 'standard';
}

async function enqueue(em: EntityManager, t: TrialCreated, pool: PoolCapacity): Promise<void> {
  const [quota] = await em.execute<TenantQuota[]>(
    `SELECT version, cpus, gpus, memory_mb AS "memoryMb", concurrent_trials AS "concurrentTrials" FROM compute.tenant_quota WHERE tenant = ?`,
    [t.tenant],
  );
  const [cancelled] = await em.execute<{ reason: string }[]>(`SELECT reason FROM compute.cancelled_experiment WHERE experiment_id = ?`, [t.experimentId]);
  const invalid = requestValidationError(t);
  const r = invalid ? { cpus: 0, gpus: 0, memoryMb: 0 } : t.resources;
  const gpuTypes = invalid ? null : requestedFlavors(r);
  // A run that may go to other pools' GPU types is not measured against this pool (admission routes it).
  const onlyHere = gpuTypes === null || (gpuTypes.length === 1 && gpuTypes[0] === (pool.flavor ?? null));
  const checkedPool = onlyHere ? pool : { ...pool, cpus: Infinity, gpus: Infinity, memoryMb: Infinity };
  const never = invalid ?? (cancelled ? null : neverFitsReason(t.resources, checkedPool, t.tenant, quota));
  const launch: StoredLaunch = { command: t.command, env: t.env ?? {}, params: t.params ?? {}, seed: t.seed, maxRuntimeSeconds: t.maxRuntimeSeconds ?? null, executor: t.executor };
  const inserted = await em.execute<{ trial_id: string }[]>(
    `INSERT INTO compute.trial_run (trial_id, experiment_id, tenant, trial_index, launch, cpus, gpus, memory_mb, priority, state, project, gpu_types)
     VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, 'queued', ?, CASE WHEN ?::jsonb IS NULL THEN NULL ELSE ${TEXT_ARRAY_SQL} END) ON CONFLICT (trial_id) DO NOTHING RETURNING trial_id`,
    [t.trialId, t.experimentId, t.tenant, Number.isInteger(t.trialIndex) ? t.trialIndex : 0, JSON.stringify(launch), r.cpus, r.gpus, r.memoryMb, priorityOf(t.priority),
      typeof t.project === 'string' && t.project !== '' ? t.project : null, ...Array<string | null>(2).fill(gpuTypes === null ? null : jsonArray(gpuTypes))],
  );
  if (inserted.length === 0) return; // delivered before: handled then
  await recordTrialPlanned(em, t);
  if (cancelled) {
    await finishRun(em, { trialId: t.trialId, attemptId: null, outcome: 'cancelled', exitCode: null, signal: null, reason: cancelled.reason });
  } else if (never) {
    await finishRun(em, { trialId: t.trialId, attemptId: null, outcome: 'failed', exitCode: null, signal: null, reason: never });
  } else {
    await computeEvents.usageChanged(em, [t.tenant]);
  }
}

async function cancelExperiment(em: EntityManager, c: ExperimentCancelRequested): Promise<void> {
  const reason = `cancelled by ${c.requestedBy}: ${c.reason}`;
  await em.execute(
    `INSERT INTO compute.cancelled_experiment (experiment_id, tenant, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    [c.experimentId, c.tenant, reason],
    'run',
  );
  const queued = await em.execute<{ trial_id: string }[]>(
    `SELECT trial_id FROM compute.trial_run WHERE experiment_id = ? AND tenant = ? AND state = 'queued' ORDER BY enqueued_at, trial_index FOR UPDATE`,
    [c.experimentId, c.tenant],
  );
  for (const q of queued) {
    await finishRun(em, { trialId: q.trial_id, attemptId: null, outcome: 'cancelled', exitCode: null, signal: null, reason });
  }
  // Running attempts: the replica that owns each one signals its executor (cancel.dispatcher.ts).
  await em.execute(
    `UPDATE compute.allocation a SET cancel_requested_at = clock_timestamp(), cancel_reason = ?
     FROM compute.trial_run r WHERE r.trial_id = a.trial_id AND r.experiment_id = ? AND r.tenant = ? AND a.state = 'active' AND a.cancel_requested_at IS NULL`,
    [reason, c.experimentId, c.tenant],
    'run',
  );
  if (queued.length > 0) await computeEvents.usageChanged(em, [c.tenant]);
}

/**
 * Stops one trial (a pruning decision): a queued run ends cancelled at once; a running attempt is
 * stopped through the cancel path (cancel.dispatcher.ts: stop file, SIGTERM, grace, SIGKILL) with
 * the reason `<reason>: <message>`. A run already finished is left alone.
 */
async function stopTrial(em: EntityManager, s: TrialStopRequested): Promise<void> {
  const reason = `${s.reason}: ${s.message}`;
  const [run] = await em.execute<{ state: string }[]>(`SELECT state FROM compute.trial_run WHERE trial_id = ? AND tenant = ? FOR UPDATE`, [s.trialId, s.tenant]);
  if (!run || run.state === 'finished') return;
  if (run.state === 'queued') {
    await finishRun(em, { trialId: s.trialId, attemptId: null, outcome: 'cancelled', exitCode: null, signal: null, reason });
    await computeEvents.usageChanged(em, [s.tenant]);
    return;
  }
  // A stop outranks a preemption already under way: the attempt then ends cancelled instead of
  // being requeued, so a pruned trial never runs again.
  await em.execute(
    `UPDATE compute.allocation SET cancel_requested_at = COALESCE(cancel_requested_at, clock_timestamp()), cancel_reason = ?, preempt = false
     WHERE trial_id = ? AND tenant = ? AND state = 'active'`,
    [reason, s.trialId, s.tenant],
    'run',
  );
}
