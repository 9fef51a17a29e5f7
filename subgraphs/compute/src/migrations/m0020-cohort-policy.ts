import { Migration } from '@mikro-orm/migrations';

/**
 * The cohort policy replica (tenancy m0011, event `cohort.policy.changed`): per cohort, the
 * latest policy version compute has seen. Cohorts without a row have the default policy (no
 * cohort lending headroom: members' unused nominal is lent in full).
 */
export class M0020CohortPolicy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE compute.cohort_policy (
      cohort text PRIMARY KEY,
      version integer NOT NULL CHECK (version >= 1),
      lending_headroom jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }
}
