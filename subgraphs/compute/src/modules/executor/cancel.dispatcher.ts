import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { STOP_FILE_NAME, type Executor, type TrialStopDocument } from '@fairsweep/sdk';
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
    const rows = await this.orm.em.getConnection().execute<StopRow[]>(
      `SELECT attempt_id::text, cancel_reason, preempt, work_dir, cancel_requested_at FROM compute.allocation
       WHERE owner = ? AND state = 'active' AND cancel_requested_at IS NOT NULL`,
      [this.owner],
    );
    const pending = new Set(rows.map((r) => r.attempt_id));
    for (const id of this.sent) if (!pending.has(id)) this.sent.delete(id);
    for (const row of rows) {
      if (this.sent.has(row.attempt_id)) continue;
      this.sent.add(row.attempt_id);
      writeStopFile(row)
        .then(() => this.executor.cancel(row.attempt_id, { graceMs: this.graceMs, reason: row.cancel_reason ?? 'cancelled' }))
        .catch((err) => {
          this.sent.delete(row.attempt_id);
          this.log.error(`cancelling attempt ${row.attempt_id} failed; will retry`, err);
        });
    }
  }
}

interface StopRow {
  attempt_id: string;
  cancel_reason: string | null;
  preempt: boolean;
  work_dir: string | null;
  cancel_requested_at: Date | string;
}

/** What the trial reads from FAIRSWEEP_STOP_FILE: why it is being stopped (a prune's reason starts with "pruned: "). */
export function stopDocument(row: StopRow): TrialStopDocument {
  const message = row.cancel_reason ?? 'cancelled';
  const reason = row.preempt ? 'preempted' : message.startsWith('pruned: ') ? 'pruned' : 'cancelled';
  return { reason, message, attemptId: row.attempt_id, at: new Date(row.cancel_requested_at).toISOString() };
}

/**
 * Writes `stop.json` into the attempt's work dir before it is signalled, where this host can
 * reach it (the local executor; a shared file system for others); the trial then finds it at
 * FAIRSWEEP_STOP_FILE. Best effort: the signal is sent either way.
 */
async function writeStopFile(row: StopRow): Promise<void> {
  if (!row.work_dir) return;
  await writeFile(join(row.work_dir, STOP_FILE_NAME), `${JSON.stringify(stopDocument(row))}\n`).catch(() => undefined);
}
