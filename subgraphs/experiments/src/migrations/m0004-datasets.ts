import { Migration } from '@mikro-orm/migrations';

/**
 * The dataset cache: a dataset is registered once per tenant by (name, version), backed by a
 * `dataset` artifact (so its bytes count against the storage quota once).
 */
export class M0004Datasets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE experiments.dataset (
      tenant text NOT NULL,
      name text NOT NULL,
      version text NOT NULL,
      artifact_id uuid NOT NULL REFERENCES experiments.artifact(id),
      sha256 char(64) NOT NULL,
      size_bytes bigint NOT NULL,
      registered_by text NOT NULL,
      registered_at timestamptz NOT NULL DEFAULT now(),
      reason text,
      PRIMARY KEY (tenant, name, version)
    )`);
    this.addSql(`CREATE INDEX dataset_digest ON experiments.dataset (tenant, sha256)`);
    this.addSql(`CREATE TRIGGER dataset_append_only BEFORE UPDATE OR DELETE ON experiments.dataset
      FOR EACH ROW EXECUTE FUNCTION experiments.artifact_append_only()`);
  }
}
