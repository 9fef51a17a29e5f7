import type { Executor } from '@fairsweep/sdk';
import { createLocalExecutor } from '@fairsweep/executor-local';
import { TOPICS, SOURCES, type ServiceDeps } from '@fairsweep/service-kit';
import type { ComputeConfig } from './config.js';
import { DEFAULT_FAIR_SHARE } from './modules/admission/admission.store.js';
import { AdmissionLoop } from './modules/admission/admission.loop.js';
import type { PoolCapacity } from './modules/admission/admission.types.js';
import { releaseLostAttempts } from './modules/allocation/allocation.release.js';
import { ReplicaRegistry } from './modules/allocation/replica.registry.js';
import { CancelDispatcher } from './modules/executor/cancel.dispatcher.js';
import { ExecutorEventHandler } from './modules/executor/executor-events.handler.js';
import { upsertPool } from './modules/pool/pool.store.js';

export const LOST_ON_RESTART = 'lost: compute restarted while the attempt was running';
const LOST_REPLICA = 'lost: the compute replica running the attempt stopped responding';
const HEARTBEAT_MS = 1000;

/**
 * compute's background work: registers this replica, releases attempts lost by earlier
 * processes, runs admission cycles, and turns executor events into compute events.
 */
export async function startComputeRuntime(config: ComputeConfig, pool: PoolCapacity, deps: ServiceDeps): Promise<() => Promise<void>> {
  const { orm, feed, log } = deps;
  const ownsExecutor = !config.executor;
  const graceMs = config.cancelGraceMs ?? 10_000;
  const executor: Executor = config.executor ?? createLocalExecutor({ workRoot: config.workRoot, gpuIds: pool.gpuIds, gracePeriodMs: graceMs, hostEnv: config.trialHostEnv ?? {} });
  const replicaTimeoutMs = config.replicaTimeoutMs ?? 10_000;
  const replica = new ReplicaRegistry(orm, pool.name);

  await orm.em.fork().transactional((em) => upsertPool(em, pool, { name: executor.name, version: executor.version, apiVersion: executor.apiVersion }));
  await replica.register();
  const lost = await orm.em.fork().transactional((em) => releaseLostAttempts(em, pool.name, replicaTimeoutMs, LOST_ON_RESTART));
  if (lost > 0) log.warn(`released ${lost} attempt(s) lost by an earlier compute process`, { pool: pool.name });

  let loop: AdmissionLoop | null = null;
  const orphan = (attemptId: string) =>
    void executor.cancel(attemptId, { graceMs, reason: 'its allocation was released' }).catch((err) => log.error(`stopping orphaned attempt ${attemptId} failed`, err));
  const events = new ExecutorEventHandler(orm, log, () => loop?.trigger(), orphan);
  const offExecutor = executor.onEvent((e) => events.enqueue(e));
  const cancels = new CancelDispatcher(orm, executor, replica.id, graceMs, log);
  let lastBeat = Date.now();
  const housekeeping = async () => {
    await cancels.dispatch().catch((err) => log.error('dispatching cancellations failed', err));
    if (Date.now() - lastBeat < HEARTBEAT_MS) return;
    lastBeat = Date.now();
    try {
      await replica.heartbeat();
      await orm.em.fork().transactional((em) => releaseLostAttempts(em, pool.name, replicaTimeoutMs, LOST_REPLICA));
      await replica.prune(replicaTimeoutMs * 6);
    } catch (err) {
      log.error('replica heartbeat failed', err);
    }
  };
  loop = new AdmissionLoop(orm, pool, replica.id, executor, config.admissionIntervalMs ?? 250, log, housekeeping, (launch, err) => {
    const reason = `executor ${executor.name} could not start the attempt: ${(err as Error)?.message ?? String(err)}`;
    events.enqueue({ type: 'exited', attemptId: launch.attemptId, at: new Date(), outcome: 'failed', exitCode: null, signal: null, reason });
  }, { ...DEFAULT_FAIR_SHARE, ...(config.fairShare ?? {}) });
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
    events.markStopping();
    if (ownsExecutor) await executor.close().catch((err) => log.error('closing the executor failed', err));
    await events.idle();
    offExecutor();
    await replica.deregister().catch((err) => log.error('deregistering the replica failed', err));
  };
}
