import { Migration } from '@mikro-orm/migrations';

/**
 * Reproducibility and lineage: the environment snapshot taken at submit and the parent of a rerun
 * (both part of the immutable record), and one row per attempt of a trial for provenance.
 */
export class M0002Lineage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE experiments.experiment ADD COLUMN environment jsonb`);
    this.addSql(`ALTER TABLE experiments.experiment ADD COLUMN parent_id uuid REFERENCES experiments.experiment(id)`);
    this.addSql(`CREATE INDEX experiment_parent ON experiments.experiment (parent_id) WHERE parent_id IS NOT NULL`);
    // Same trigger, now also protecting the environment snapshot and the lineage link.
    this.addSql(`CREATE OR REPLACE FUNCTION experiments.experiment_record_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'experiment records cannot be deleted'; END IF;
        IF NEW.spec IS DISTINCT FROM OLD.spec OR NEW.spec_hash IS DISTINCT FROM OLD.spec_hash OR NEW.seed IS DISTINCT FROM OLD.seed
           OR NEW.tenant IS DISTINCT FROM OLD.tenant OR NEW.strategy IS DISTINCT FROM OLD.strategy
           OR NEW.strategy_version IS DISTINCT FROM OLD.strategy_version OR NEW.created_by IS DISTINCT FROM OLD.created_by
           OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.environment IS DISTINCT FROM OLD.environment
           OR NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
          RAISE EXCEPTION 'experiment records are immutable: spec, hash, seed, tenant, strategy, author, creation time, environment and parent cannot change';
        END IF;
        RETURN NEW;
      END $$`);
    this.addSql(`CREATE TABLE experiments.trial_attempt (
      attempt_id text PRIMARY KEY,
      trial_id uuid NOT NULL REFERENCES experiments.trial(id),
      tenant text NOT NULL,
      attempt integer NOT NULL,
      pool text NOT NULL,
      host text NOT NULL,
      devices jsonb NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      outcome text,
      exit_code integer,
      signal text,
      reason text
    )`);
    this.addSql(`CREATE INDEX trial_attempt_trial ON experiments.trial_attempt (trial_id, attempt)`);
  }
}
