import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { ExecutorEvent } from '@fairsweep/sdk';
import type { Logger } from '@fairsweep/service-kit';
import { computeEvents, jsonArray, TEXT_ARRAY_SQL } from '../events/compute.events.js';
import type { PoolHardware } from '../pool/pool.store.js';
import { releaseAttempt } from '../allocation/allocation.release.js';
import { recordRecovery } from '../allocation/attempt.recovery.js';

interface AttemptInfo {
  trialId: string;
  experimentId: string;
  tenant: string;
  attempt: number;
  pool: string;
  owner: string;
  /** The tenant quota policy version the attempt was admitted under. */
  quotaVersion: number | null;
  /** Whether a start was recorded already (by this or an earlier compute process). */
  startRecorded: boolean;
}

/** Exits an executor marks retryable, by flag or (Slurm's convention) by a reason ending in "[retryable]". */
export function isRetryable(e: { retryable?: boolean; reason: string }): boolean {
  return e.retryable === true || /\[retryable\]$/.test(e.reason);
}

const RETRIES = 5;

/**
 * Turns executor events into compute's events. Handling is serialised in one promise chain, so
 * the events of an attempt are processed in the order the executor emitted them.
 */
export class ExecutorEventHandler {
  private chain: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
    /** Called after an attempt's allocation was released (an admission cycle may now admit more). */
    private readonly onReleased: () => void,
    /** Called for an attempt that runs without an active allocation (released meanwhile): stop it. */
    private readonly onOrphan: (attemptId: string) => void,
    /** The pool's declared hardware, announced with every attempt's start (provenance, compareExperiments). */
    private readonly hardware: PoolHardware = { deviceType: null, throughputFactor: null },
    /** The executor plugin that runs this pool's attempts, announced with each start (provenance). */
    private readonly executor: { name: string; version: string } | null = null,
  ) {}

  /** From now on, attempts the executor stops because compute is shutting down end as failed, not cancelled. */
  markStopping(): void {
    this.stopping = true;
  }

  enqueue(event: ExecutorEvent): void {
    this.chain = this.chain.then(() => this.handleWithRetry(event));
  }

  /** Resolves once every event enqueued so far has been handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async handleWithRetry(event: ExecutorEvent): Promise<void> {
    for (let i = 1; ; i++) {
      try {
        return await this.handle(event);
      } catch (err) {
        if (i >= RETRIES) return this.log.error(`executor event ${event.type} of attempt ${event.attemptId} could not be recorded`, err);
        await new Promise((r) => setTimeout(r, 100 * 2 ** i));
      }
    }
  }

  private async handle(e: ExecutorEvent): Promise<void> {
    if (e.type === 'log') return; // the executor keeps logs in the attempt's work dir
    if (e.type === 'exited') {
      const interrupted = this.stopping && e.outcome === 'cancelled';
      const end = interrupted
        ? { outcome: 'failed' as const, exitCode: e.exitCode, signal: e.signal, reason: `interrupted: compute stopped while the attempt was running (${e.reason})` }
        : { outcome: e.outcome, exitCode: e.exitCode, signal: e.signal, reason: e.reason, retryable: e.outcome === 'failed' && isRetryable(e) };
      const released = await this.orm.em.fork().transactional((em) => releaseAttempt(em, e.attemptId, end));
      if (released) this.onReleased();
      return;
    }
    await this.orm.em.fork().transactional(async (em) => {
      const info = await this.activeAttempt(em, e.attemptId);
      if (!info) {
        if (e.type === 'started') this.onOrphan(e.attemptId); // released meanwhile (e.g. found lost)
        return;
      }
      const base = { trialId: info.trialId, experimentId: info.experimentId, tenant: info.tenant, attemptId: e.attemptId, at: e.at.toISOString() };
      if (e.type === 'started') {
        await em.execute(
          `UPDATE compute.allocation SET devices = ${TEXT_ARRAY_SQL}, work_dir = ?, gpu_info = ?::jsonb, start_notes = ${TEXT_ARRAY_SQL},
             reattached_at = CASE WHEN ? THEN clock_timestamp() ELSE reattached_at END
           WHERE attempt_id = ?`,
          [jsonArray(e.devices), e.workDir ?? null, JSON.stringify(e.gpus ?? []), jsonArray(e.notes ?? []), e.reattached === true, e.attemptId],
          'run',
        );
        if (e.reattached) {
          await recordRecovery(em, {
            pool: info.pool, tenant: info.tenant, trialId: info.trialId, attemptId: e.attemptId, action: 'reattached', replica: info.owner,
            reason: `re-attached: the executor follows the attempt that kept running (pid ${e.pid ?? 'unknown'} on ${e.host})`,
          });
        }
        // A re-attached attempt was announced already, unless the earlier process died before recording its start.
        if (!e.reattached || !info.startRecorded) {
          await computeEvents.trialStarted(em, {
            ...base, attempt: info.attempt, pool: info.pool, host: e.host, devices: e.devices, workDir: e.workDir ?? null,
            deviceType: this.hardware.deviceType, throughputFactor: this.hardware.throughputFactor,
            executor: this.executor, quotaVersion: info.quotaVersion ?? null, gpus: e.gpus ?? [], notes: e.notes ?? [],
          });
        }
      } else {
        if (e.seq !== undefined) {
          // Replayed output (after a re-attach) repeats seq numbers: record each metric once.
          const fresh = await em.execute(
            `UPDATE compute.allocation SET metric_seq = ? WHERE attempt_id = ? AND (metric_seq IS NULL OR metric_seq < ?) RETURNING attempt_id`,
            [e.seq, e.attemptId, e.seq],
          );
          if (fresh.length === 0) return;
        }
        await computeEvents.trialMetric(em, { ...base, name: e.name, value: e.value, step: e.step });
      }
    });
  }

  private async activeAttempt(em: EntityManager, attemptId: string): Promise<AttemptInfo | null> {
    const [row] = await em.execute<AttemptInfo[]>(
      `SELECT a.trial_id AS "trialId", r.experiment_id AS "experimentId", a.tenant, a.attempt, a.pool, a.owner, a.quota_version AS "quotaVersion",
         a.start_notes IS NOT NULL OR a.work_dir IS NOT NULL AS "startRecorded"
       FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id
       WHERE a.attempt_id = ? AND a.state = 'active'`,
      [attemptId],
    );
    return row ?? null;
  }
}
