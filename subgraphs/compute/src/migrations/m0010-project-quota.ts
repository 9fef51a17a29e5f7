import { Migration } from '@mikro-orm/migrations';

/**
 * Per-project hard limits: compute's replica of tenancy's latest project quota version (a null
 * limit: none on that resource), and the project each queued trial belongs to.
 */
export class M0010ProjectQuota extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE compute.project_quota (
      tenant text NOT NULL,
      project text NOT NULL,
      version integer NOT NULL,
      cpus double precision,
      gpus integer,
      memory_mb integer,
      concurrent_trials integer,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, project)
    )`);
    this.addSql(`ALTER TABLE compute.trial_run ADD COLUMN project text`);
  }
}
