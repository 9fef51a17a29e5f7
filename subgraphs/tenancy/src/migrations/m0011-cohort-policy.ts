import { Migration } from '@mikro-orm/migrations';

/**
 * A cohort's own policy: one immutable row per version (UPDATE/DELETE refused); the current policy
 * of a cohort is its highest version. A cohort still exists by name in tenants' quotas (or here);
 * lending_headroom is per resource ({cpus, gpus, memoryMb}) what the cohort as a whole keeps
 * unlent; null means none.
 */
export class M0011CohortPolicy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE tenancy.cohort_policy_version (
      cohort text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      lending_headroom jsonb,
      changed_by text NOT NULL,
      reason text,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cohort, version)
    )`);
    this.addSql(`CREATE TRIGGER cohort_policy_version_immutable BEFORE UPDATE OR DELETE ON tenancy.cohort_policy_version
      FOR EACH ROW EXECUTE FUNCTION tenancy.immutable_row()`);
  }
}
