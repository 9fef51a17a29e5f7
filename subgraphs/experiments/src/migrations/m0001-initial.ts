import { Migration } from '@mikro-orm/migrations';
import { outboxTablesSql } from '@fairsweep/service-kit';

export class M0001Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE experiments.experiment (
      id uuid PRIMARY KEY,
      tenant text NOT NULL,
      project text,
      name text NOT NULL,
      spec jsonb NOT NULL,
      spec_hash char(64) NOT NULL,
      seed bigint NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
      strategy text NOT NULL,
      strategy_version text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'cancelling', 'succeeded', 'failed', 'cancelled')),
      trials_created integer NOT NULL DEFAULT 0,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    this.addSql(`CREATE INDEX experiment_tenant ON experiments.experiment (tenant, created_at DESC)`);
    // The submitted record (spec, its hash, seed, strategy) never changes once stored.
    this.addSql(`CREATE FUNCTION experiments.experiment_record_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'experiment records cannot be deleted'; END IF;
        IF NEW.spec IS DISTINCT FROM OLD.spec OR NEW.spec_hash IS DISTINCT FROM OLD.spec_hash OR NEW.seed IS DISTINCT FROM OLD.seed
           OR NEW.tenant IS DISTINCT FROM OLD.tenant OR NEW.strategy IS DISTINCT FROM OLD.strategy
           OR NEW.strategy_version IS DISTINCT FROM OLD.strategy_version OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
          RAISE EXCEPTION 'experiment records are immutable: spec, hash, seed, tenant, strategy and author cannot change';
        END IF;
        RETURN NEW;
      END $$`);
    this.addSql(`CREATE TRIGGER experiment_record_immutable BEFORE UPDATE OR DELETE ON experiments.experiment
      FOR EACH ROW EXECUTE FUNCTION experiments.experiment_record_immutable()`);
    this.addSql(`CREATE TABLE experiments.trial (
      id uuid PRIMARY KEY,
      experiment_id uuid NOT NULL REFERENCES experiments.experiment(id),
      tenant text NOT NULL,
      trial_index integer NOT NULL,
      params jsonb NOT NULL,
      seed bigint NOT NULL,
      suggestion jsonb NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
      value double precision,
      attempt integer NOT NULL DEFAULT 0,
      host text,
      exit_code integer,
      reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      UNIQUE (experiment_id, trial_index)
    )`);
    this.addSql(`CREATE TABLE experiments.trial_metric (
      id bigserial PRIMARY KEY,
      trial_id uuid NOT NULL REFERENCES experiments.trial(id),
      tenant text NOT NULL,
      name text NOT NULL,
      value double precision NOT NULL,
      step integer,
      reported_at timestamptz NOT NULL
    )`);
    this.addSql(`CREATE INDEX trial_metric_trial ON experiments.trial_metric (trial_id, name, id)`);
    for (const sql of outboxTablesSql('experiments')) this.addSql(sql);
  }
}

export const migrations = [{ name: 'm0001-initial', class: M0001Initial }];
