import type { MikroORM } from '@mikro-orm/postgresql';
import type { Executor, TrialLaunch } from '@fairsweep/sdk';
import type { Logger } from '@fairsweep/service-kit';
import { DEFAULT_FAIR_SHARE, runAdmissionCycle, type FairShareSettings } from './admission.store.js';
import type { PoolCapacity } from './admission.types.js';

/**
 * Runs admission cycles: on a timer and whenever `trigger()` is called (an event arrived, an
 * attempt ended). Calls never overlap; a trigger during a cycle runs one more cycle after it.
 * Launches are submitted to the executor only after their cycle committed.
 */
export class AdmissionLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly pool: PoolCapacity,
    private readonly owner: string,
    private readonly executor: Executor,
    private readonly intervalMs: number,
    private readonly log: Logger,
    /** Extra per-cycle work (cancel dispatch, heartbeats), run after admission. */
    private readonly housekeeping: () => Promise<void>,
    /** Called when a submit fails: the attempt must still end (and release) exactly once. */
    private readonly onSubmitFailed: (launch: TrialLaunch, err: unknown) => void,
    private readonly fairShare: FairShareSettings = DEFAULT_FAIR_SHARE,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.trigger(), this.intervalMs);
    this.timer.unref();
    this.trigger();
  }

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.cycle()
      .catch((err) => this.log.error('admission cycle failed; will retry', err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async cycle(): Promise<void> {
    try {
      const launches = await runAdmissionCycle(this.orm, this.pool, this.owner, this.fairShare);
      await Promise.all(launches.map((l) => this.executor.submit(l).catch((err) => this.onSubmitFailed(l, err))));
    } finally {
      await this.housekeeping();
    }
  }
}
