import { Migration } from '@mikro-orm/migrations';

/**
 * The tenant-scoped artifact store: append-only artifact records (content-addressed by SHA-256,
 * linked to experiment/trial/attempt), tombstones that free quota, per-tenant storage usage with
 * the replicated storage quota, and the record of each attempt's output ingestion.
 */
export class M0003Artifacts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE experiments.artifact (
      id uuid PRIMARY KEY,
      tenant text NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
      kind text NOT NULL CHECK (kind IN ('log', 'checkpoint', 'model', 'dataset', 'other')),
      sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
      charged_bytes bigint NOT NULL CHECK (charged_bytes = 0 OR charged_bytes = size_bytes),
      experiment_id uuid REFERENCES experiments.experiment(id),
      trial_id uuid REFERENCES experiments.trial(id),
      attempt_id text,
      source text NOT NULL CHECK (source IN ('upload', 'attempt-output', 'dataset')),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      reason text
    )`);
    this.addSql(`CREATE INDEX artifact_tenant ON experiments.artifact (tenant, created_at DESC, id)`);
    this.addSql(`CREATE INDEX artifact_blob ON experiments.artifact (tenant, sha256)`);
    this.addSql(`CREATE INDEX artifact_experiment ON experiments.artifact (experiment_id) WHERE experiment_id IS NOT NULL`);
    this.addSql(`CREATE INDEX artifact_trial ON experiments.artifact (trial_id) WHERE trial_id IS NOT NULL`);
    this.addSql(`CREATE TABLE experiments.artifact_tombstone (
      artifact_id uuid PRIMARY KEY REFERENCES experiments.artifact(id),
      tenant text NOT NULL,
      freed_bytes bigint NOT NULL CHECK (freed_bytes >= 0),
      deleted_by text NOT NULL,
      deleted_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL
    )`);
    this.addSql(`CREATE FUNCTION experiments.artifact_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP; END $$`);
    this.addSql(`CREATE TRIGGER artifact_append_only BEFORE UPDATE OR DELETE ON experiments.artifact
      FOR EACH ROW EXECUTE FUNCTION experiments.artifact_append_only()`);
    this.addSql(`CREATE TRIGGER artifact_tombstone_append_only BEFORE UPDATE OR DELETE ON experiments.artifact_tombstone
      FOR EACH ROW EXECUTE FUNCTION experiments.artifact_append_only()`);
    // One row per tenant: what it holds and may hold. Every store/delete for a tenant locks it.
    this.addSql(`CREATE TABLE experiments.tenant_storage (
      tenant text PRIMARY KEY,
      used_bytes bigint NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
      artifact_count integer NOT NULL DEFAULT 0 CHECK (artifact_count >= 0),
      allowed_bytes bigint CHECK (allowed_bytes IS NULL OR allowed_bytes >= 0),
      quota_version integer NOT NULL DEFAULT 0,
      dataset_cache_hits bigint NOT NULL DEFAULT 0,
      dataset_cache_misses bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Where each attempt ran (from trial.started) and what became of its output files.
    this.addSql(`CREATE TABLE experiments.attempt_workdir (
      attempt_id text PRIMARY KEY,
      tenant text NOT NULL,
      trial_id uuid NOT NULL,
      experiment_id uuid NOT NULL,
      host text NOT NULL,
      work_dir text,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE experiments.attempt_output (
      attempt_id text NOT NULL,
      file text NOT NULL,
      tenant text NOT NULL,
      trial_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('ingested', 'unreachable', 'refused', 'failed')),
      artifact_id uuid REFERENCES experiments.artifact(id),
      detail text,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (attempt_id, file)
    )`);
    this.addSql(`CREATE INDEX attempt_output_trial ON experiments.attempt_output (trial_id)`);
    this.addSql(`CREATE TRIGGER attempt_output_append_only BEFORE UPDATE OR DELETE ON experiments.attempt_output
      FOR EACH ROW EXECUTE FUNCTION experiments.artifact_append_only()`);
  }
}
