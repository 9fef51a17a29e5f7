import type { MikroORM } from '@mikro-orm/postgresql';
import type { Executor } from '@fairsweep/sdk';
import type { Logger } from '@fairsweep/service-kit';

/**
 * Cancellation requests are recorded on allocations (by whichever replica consumed the event);
 * the replica that owns an attempt signals its own executor, once per attempt.
 */
export class CancelDispatcher {
  private readonly sent = new Set<string>();

  constructor(
    private readonly orm: MikroORM,
    private readonly executor: Executor,
    private readonly owner: string,
    private readonly graceMs: number,
    private readonly log: Logger,
  ) {}

  async dispatch(): Promise<void> {
    const rows = await this.orm.em.getConnection().execute<{ attempt_id: string; cancel_reason: string | null }[]>(
      `SELECT attempt_id::text, cancel_reason FROM compute.allocation
       WHERE owner = ? AND state = 'active' AND cancel_requested_at IS NOT NULL`,
      [this.owner],
    );
    const pending = new Set(rows.map((r) => r.attempt_id));
    for (const id of this.sent) if (!pending.has(id)) this.sent.delete(id);
    for (const row of rows) {
      if (this.sent.has(row.attempt_id)) continue;
      this.sent.add(row.attempt_id);
      this.executor.cancel(row.attempt_id, { graceMs: this.graceMs, reason: row.cancel_reason ?? 'cancelled' }).catch((err) => {
        this.sent.delete(row.attempt_id);
        this.log.error(`cancelling attempt ${row.attempt_id} failed; will retry`, err);
      });
    }
  }
}
