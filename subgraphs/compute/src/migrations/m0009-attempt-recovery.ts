import { Migration } from '@mikro-orm/migrations';

/**
 * Re-attach after a restart: an append-only record of what happened to each attempt a compute
 * process found orphaned (re-submitted to re-attach, re-attached, lost and retried); allocations
 * record the highest metric `seq` stored (replayed output is recorded once), when the attempt was
 * re-attached, and what the executor said of its start (GPU mapping, isolation notes).
 */
export class M0009AttemptRecovery extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE compute.attempt_recovery (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      pool text NOT NULL,
      tenant text NOT NULL,
      trial_id text NOT NULL,
      attempt_id uuid NOT NULL,
      action text NOT NULL CHECK (action IN ('resubmit', 'reattached', 'retry', 'lost')),
      reason text NOT NULL,
      replica text NOT NULL
    )`);
    this.addSql(`CREATE INDEX attempt_recovery_trial ON compute.attempt_recovery (trial_id, id)`);
    this.addSql(`CREATE FUNCTION compute.attempt_recovery_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'attempt recovery records are append-only (% refused)', TG_OP; END $$`);
    this.addSql(`CREATE TRIGGER attempt_recovery_append_only BEFORE UPDATE OR DELETE ON compute.attempt_recovery
      FOR EACH ROW EXECUTE FUNCTION compute.attempt_recovery_append_only()`);
    this.addSql(`ALTER TABLE compute.allocation
      ADD COLUMN metric_seq bigint,
      ADD COLUMN reattached_at timestamptz,
      ADD COLUMN gpu_info jsonb,
      ADD COLUMN start_notes text[]`);
  }
}
