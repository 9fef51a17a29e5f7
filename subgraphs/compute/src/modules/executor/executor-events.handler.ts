import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { ExecutorEvent } from '@fairsweep/sdk';
import type { Logger } from '@fairsweep/service-kit';
import { computeEvents, jsonArray, TEXT_ARRAY_SQL } from '../events/compute.events.js';
import { releaseAttempt } from '../allocation/allocation.release.js';

interface AttemptInfo {
  trialId: string;
  experimentId: string;
  tenant: string;
  attempt: number;
  pool: string;
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
        : { outcome: e.outcome, exitCode: e.exitCode, signal: e.signal, reason: e.reason };
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
          `UPDATE compute.allocation SET devices = ${TEXT_ARRAY_SQL}, work_dir = ? WHERE attempt_id = ?`,
          [jsonArray(e.devices), e.workDir ?? null, e.attemptId],
          'run',
        );
        await computeEvents.trialStarted(em, { ...base, attempt: info.attempt, pool: info.pool, host: e.host, devices: e.devices, workDir: e.workDir ?? null });
      } else {
        await computeEvents.trialMetric(em, { ...base, name: e.name, value: e.value, step: e.step });
      }
    });
  }

  private async activeAttempt(em: EntityManager, attemptId: string): Promise<AttemptInfo | null> {
    const [row] = await em.execute<AttemptInfo[]>(
      `SELECT a.trial_id AS "trialId", r.experiment_id AS "experimentId", a.tenant, a.attempt, a.pool
       FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id
       WHERE a.attempt_id = ? AND a.state = 'active'`,
      [attemptId],
    );
    return row ?? null;
  }
}
