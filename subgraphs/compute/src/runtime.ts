import { canReattach, type Executor, type TrialLaunch } from '@fairsweep/sdk';
import { TOPICS, SOURCES, type ServiceDeps } from '@fairsweep/service-kit';
import type { ComputeConfig } from './config.js';
import { DEFAULT_FAIR_SHARE } from './modules/admission/admission.store.js';
import { AdmissionLoop } from './modules/admission/admission.loop.js';
import type { PoolCapacity } from './modules/admission/admission.types.js';
import { releaseLostAttempts } from './modules/allocation/allocation.release.js';
import { claimOrphanedAttempts } from './modules/allocation/attempt.recovery.js';
import { ReplicaRegistry } from './modules/allocation/replica.registry.js';
import { CancelDispatcher } from './modules/executor/cancel.dispatcher.js';
import { ExecutorEventHandler } from './modules/executor/executor-events.handler.js';
import { createPoolExecutor } from './modules/executor/executor.factory.js';
import { poolHardware, upsertPool } from './modules/pool/pool.store.js';

export const LOST_ON_RESTART = 'lost: compute restarted while the attempt was running';
const LOST_REPLICA = 'lost: the compute replica running the attempt stopped responding';
const HEARTBEAT_MS = 1000;

/**
 * compute's background work: registers this replica, takes over attempts earlier processes left
 * running (re-attaching where the executor can, else recording them lost), runs admission cycles,
 * and turns executor events into compute events.
 */
export async function startComputeRuntime(config: ComputeConfig, pool: PoolCapacity, deps: ServiceDeps): Promise<() => Promise<void>> {
  const { orm, feed, log } = deps;
  const ownsExecutor = !config.executor;
  const graceMs = config.cancelGraceMs ?? 10_000;
  const executor: Executor = config.executor
    ?? await createPoolExecutor(config.executorSettings, { workRoot: config.workRoot, gpuIds: pool.gpuIds, gracePeriodMs: graceMs, hostEnv: config.trialHostEnv ?? {}, log });
  const replicaTimeoutMs = config.replicaTimeoutMs ?? 10_000;
  const replica = new ReplicaRegistry(orm, pool.name);
  const reattach = canReattach(executor);

  const hardware = poolHardware(config.pool);
  await orm.em.fork().transactional((em) => upsertPool(em, pool, { name: executor.name, version: executor.version, apiVersion: executor.apiVersion }, hardware));
  await replica.register();

  let loop: AdmissionLoop | null = null;
  const orphan = (attemptId: string) =>
    void executor.cancel(attemptId, { graceMs, reason: 'its allocation was released' }).catch((err) => log.error(`stopping orphaned attempt ${attemptId} failed`, err));
  const events = new ExecutorEventHandler(orm, log, () => loop?.trigger(), orphan, hardware, { name: executor.name, version: executor.version });
  const offExecutor = executor.onEvent((e) => events.enqueue(e));
  const submitFailed = (launch: TrialLaunch, err: unknown) => {
    const reason = `executor ${executor.name} could not start the attempt: ${(err as Error)?.message ?? String(err)}`;
    events.enqueue({ type: 'exited', attemptId: launch.attemptId, at: new Date(), outcome: 'failed', exitCode: null, signal: null, reason });
  };
  /**
   * Attempts of this pool whose replica is gone: with an executor that can re-attach, this replica
   * takes them over and submits them again (the executor follows the running work, or reports it
   * lost, retryable, and the trial gets a new attempt); otherwise they are recorded lost.
   */
  const recover = async (lostReason: string) => {
    if (!reattach) {
      const lost = await orm.em.fork().transactional((em) => releaseLostAttempts(em, pool.name, replicaTimeoutMs, lostReason));
      if (lost > 0) log.warn(`released ${lost} attempt(s) lost by an earlier compute process`, { pool: pool.name });
      return;
    }
    const launches = await orm.em.fork().transactional((em) => claimOrphanedAttempts(em, pool.name, replica.id, replicaTimeoutMs, executor.name));
    if (launches.length > 0) log.warn(`took over ${launches.length} attempt(s) of a compute process that is gone; re-attaching`, { pool: pool.name });
    await Promise.all(launches.map((l) => executor.submit(l).catch((err) => submitFailed(l, err))));
    if (launches.length > 0) loop?.trigger();
  };
  await recover(LOST_ON_RESTART);

  const cancels = new CancelDispatcher(orm, executor, replica.id, graceMs, log);
  let lastBeat = Date.now();
  const housekeeping = async () => {
    await cancels.dispatch().catch((err) => log.error('dispatching cancellations failed', err));
    if (Date.now() - lastBeat < HEARTBEAT_MS) return;
    lastBeat = Date.now();
    try {
      await replica.heartbeat();
      await recover(LOST_REPLICA);
      await replica.prune(replicaTimeoutMs * 6);
    } catch (err) {
      log.error('replica heartbeat failed', err);
    }
  };
  // Launches carry the priority class they were admitted under (Slurm maps it to a QOS).
  const submitting: Executor = { ...executor, submit: async (l) => executor.submit(await withPriority(orm, l)) };
  // The pool admits trials asking for its executor, or for one no pool runs (pool-routing.rules.ts).
  loop = new AdmissionLoop(orm, { ...pool, executor: executor.name }, replica.id, submitting, config.admissionIntervalMs ?? 250, log, housekeeping, submitFailed,
    { ...DEFAULT_FAIR_SHARE, ...(config.fairShare ?? {}) });
  // Every change of queue, quota or usage is announced on compute's own outbox after it commits.
  const offFeed = feed.subscribe(SOURCES.compute, (e) => {
    if (e.topic === TOPICS.tenantUsageChanged) loop?.trigger();
  });
  loop.start();

  return async () => {
    offFeed();
    await loop.stop();
    // An executor compute created is closed while its exits are still recorded; one passed in
    // belongs to the caller, and its attempts become lost once this replica has deregistered.
    // With detachOnStop, attempts keep running and the next compute process re-attaches them.
    const detach = ownsExecutor && config.detachOnStop === true && reattach;
    if (!detach) events.markStopping();
    if (detach) await executor.detach!().catch((err) => log.error('detaching the executor failed', err));
    else if (ownsExecutor) await executor.close().catch((err) => log.error('closing the executor failed', err));
    await events.idle();
    offExecutor();
    await replica.deregister().catch((err) => log.error('deregistering the replica failed', err));
  };
}

async function withPriority(orm: ServiceDeps['orm'], launch: TrialLaunch): Promise<TrialLaunch> {
  const [row] = await orm.em.getConnection().execute<{ priority: string }[]>(`SELECT priority FROM compute.allocation WHERE attempt_id = ?`, [launch.attemptId]);
  return row ? ({ ...launch, priority: row.priority } as TrialLaunch) : launch;
}
