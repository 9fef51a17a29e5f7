import { Migration } from '@mikro-orm/migrations';

/**
 * Backfill and priority changes: decisions gain kind "backfill" (admitted behind a reservation
 * without delaying it); priority changes of queued trials are an append-only record of who
 * changed what, when and why.
 */
export class M0007BackfillPriority extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.decision DROP CONSTRAINT decision_kind_check`);
    this.addSql(`ALTER TABLE compute.decision ADD CONSTRAINT decision_kind_check CHECK (kind IN ('admit', 'wait', 'reject', 'preempt', 'backfill'))`);
    this.addSql(`CREATE TABLE compute.priority_change (
      id bigserial PRIMARY KEY,
      changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      tenant text NOT NULL,
      experiment_id text NOT NULL,
      trial_id text NOT NULL,
      from_priority text NOT NULL,
      to_priority text NOT NULL CHECK (to_priority IN ('critical', 'standard', 'preemptible')),
      changed_by text NOT NULL,
      reason text NOT NULL,
      quota_version integer
    )`);
    this.addSql(`CREATE INDEX priority_change_tenant ON compute.priority_change (tenant, id DESC)`);
    this.addSql(`CREATE INDEX priority_change_trial ON compute.priority_change (trial_id, id)`);
    this.addSql(`CREATE FUNCTION compute.priority_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'priority changes are append-only (% refused)', TG_OP; END $$`);
    this.addSql(`CREATE TRIGGER priority_change_append_only BEFORE UPDATE OR DELETE ON compute.priority_change
      FOR EACH ROW EXECUTE FUNCTION compute.priority_change_append_only()`);
  }
}
