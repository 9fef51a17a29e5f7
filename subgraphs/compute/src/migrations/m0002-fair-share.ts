import { Migration } from '@mikro-orm/migrations';

/**
 * Fair share and the decision log: quota replicas gain weight and allowed priority classes, runs
 * gain a priority class, and every admit / wait / reject is recorded append-only.
 */
export class M0002FairShare extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.tenant_quota
      ADD COLUMN weight double precision NOT NULL DEFAULT 1,
      ADD COLUMN priority_classes text[] NOT NULL DEFAULT ARRAY['standard', 'preemptible']`);
    this.addSql(`ALTER TABLE compute.trial_run
      ADD COLUMN priority text NOT NULL DEFAULT 'standard' CHECK (priority IN ('critical', 'standard', 'preemptible'))`);
    this.addSql(`CREATE TABLE compute.decision (
      id bigserial PRIMARY KEY,
      decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      pool text NOT NULL,
      tenant text NOT NULL,
      trial_id text NOT NULL,
      attempt_id uuid,
      kind text NOT NULL CHECK (kind IN ('admit', 'wait', 'reject')),
      reason text NOT NULL,
      priority text NOT NULL,
      share double precision,
      quota_version integer,
      inputs_digest char(64) NOT NULL
    )`);
    this.addSql(`CREATE INDEX decision_trial ON compute.decision (trial_id, id)`);
    this.addSql(`CREATE INDEX decision_tenant ON compute.decision (tenant, id DESC)`);
    this.addSql(`CREATE FUNCTION compute.decision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'scheduling decisions are append-only (% refused)', TG_OP; END $$`);
    this.addSql(`CREATE TRIGGER decision_append_only BEFORE UPDATE OR DELETE ON compute.decision
      FOR EACH ROW EXECUTE FUNCTION compute.decision_append_only()`);
  }
}
