import { Migration } from '@mikro-orm/migrations';
import { outboxTablesSql } from '@fairsweep/service-kit';

export class M0001Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE compute.pool (
      name text PRIMARY KEY,
      cpus double precision NOT NULL CHECK (cpus >= 0),
      gpus integer NOT NULL CHECK (gpus >= 0),
      memory_mb integer NOT NULL CHECK (memory_mb >= 0),
      gpu_ids text[] NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Replica of tenancy's quota policy: the latest version seen per tenant.
    this.addSql(`CREATE TABLE compute.tenant_quota (
      tenant text PRIMARY KEY,
      version integer NOT NULL,
      cpus double precision NOT NULL,
      gpus integer NOT NULL,
      memory_mb integer NOT NULL,
      concurrent_trials integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE compute.trial_run (
      trial_id text PRIMARY KEY,
      experiment_id text NOT NULL,
      tenant text NOT NULL,
      trial_index integer NOT NULL,
      launch jsonb NOT NULL,
      cpus double precision NOT NULL,
      gpus integer NOT NULL,
      memory_mb integer NOT NULL,
      state text NOT NULL CHECK (state IN ('queued', 'running', 'finished')),
      pending_reason text,
      outcome text CHECK (outcome IN ('succeeded', 'failed', 'cancelled')),
      finish_reason text,
      enqueued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      admitted_at timestamptz,
      finished_at timestamptz
    )`);
    // Experiments whose cancellation was requested: trials created for them later end at once.
    this.addSql(`CREATE TABLE compute.cancelled_experiment (
      experiment_id text PRIMARY KEY,
      tenant text NOT NULL,
      reason text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE INDEX trial_run_queue ON compute.trial_run (enqueued_at, trial_index, trial_id) WHERE state = 'queued'`);
    this.addSql(`CREATE INDEX trial_run_experiment ON compute.trial_run (experiment_id)`);
    this.addSql(`CREATE INDEX trial_run_tenant ON compute.trial_run (tenant, state)`);
    // Live compute processes; an allocation whose owner is not live is lost (restart safety).
    this.addSql(`CREATE TABLE compute.replica (
      id text PRIMARY KEY,
      pool text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE compute.allocation (
      id uuid PRIMARY KEY,
      attempt_id uuid NOT NULL UNIQUE,
      trial_id text NOT NULL REFERENCES compute.trial_run(trial_id),
      tenant text NOT NULL,
      pool text NOT NULL REFERENCES compute.pool(name),
      cpus double precision NOT NULL,
      gpus integer NOT NULL,
      memory_mb integer NOT NULL,
      devices text[] NOT NULL DEFAULT '{}',
      attempt integer NOT NULL CHECK (attempt >= 1),
      quota_version integer NOT NULL,
      owner text NOT NULL,
      state text NOT NULL CHECK (state IN ('active', 'released')),
      work_dir text,
      cancel_requested_at timestamptz,
      cancel_reason text,
      admitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      released_at timestamptz,
      outcome text CHECK (outcome IN ('succeeded', 'failed', 'cancelled')),
      reason text,
      UNIQUE (trial_id, attempt)
    )`);
    // Nothing doubled: a trial holds at most one active allocation.
    this.addSql(`CREATE UNIQUE INDEX allocation_one_active_per_trial ON compute.allocation (trial_id) WHERE state = 'active'`);
    this.addSql(`CREATE INDEX allocation_active ON compute.allocation (pool, tenant) WHERE state = 'active'`);
    for (const sql of outboxTablesSql('compute')) this.addSql(sql);
  }
}
