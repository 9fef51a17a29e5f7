import { Migration } from '@mikro-orm/migrations';

/**
 * A queued run that preempted others is marked, so it gets the freed capacity first; runs count
 * how often they were preempted and when last, for victim order and the borrowing backoff.
 */
export class M0005PreemptorReservation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.trial_run
      ADD COLUMN preempting_since timestamptz,
      ADD COLUMN preemptions integer NOT NULL DEFAULT 0,
      ADD COLUMN last_preempted_at timestamptz`);
  }
}
