import { Migration } from '@mikro-orm/migrations';

/**
 * Per-project hard limits inside a tenant: one immutable row per version (UPDATE/DELETE refused);
 * the current policy of a project is its highest version. A null limit means none on that resource.
 */
export class M0006ProjectQuota extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE tenancy.project_quota_version (
      tenant text NOT NULL,
      project text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      cpus double precision CHECK (cpus IS NULL OR cpus >= 0),
      gpus integer CHECK (gpus IS NULL OR gpus >= 0),
      memory_mb integer CHECK (memory_mb IS NULL OR memory_mb >= 0),
      concurrent_trials integer CHECK (concurrent_trials IS NULL OR concurrent_trials >= 0),
      changed_by text NOT NULL,
      reason text,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, project, version),
      FOREIGN KEY (tenant, project) REFERENCES tenancy.project (tenant, slug)
    )`);
    this.addSql(`CREATE TRIGGER project_quota_version_immutable BEFORE UPDATE OR DELETE ON tenancy.project_quota_version
      FOR EACH ROW EXECUTE FUNCTION tenancy.immutable_row()`);
  }
}
