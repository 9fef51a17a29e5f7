import { Migration } from '@mikro-orm/migrations';

/**
 * Project quota replicas gain the project's GPU-hour budget per UTC period with a safe mode, as
 * the tenant replica has (m0003). Existing rows: no project budget until tenancy publishes one.
 */
export class M0013ProjectBudget extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.project_quota
      ADD COLUMN gpu_hours_budget double precision,
      ADD COLUMN budget_period text NOT NULL DEFAULT 'month' CHECK (budget_period IN ('day', 'week', 'month')),
      ADD COLUMN budget_safe_mode boolean NOT NULL DEFAULT true`);
  }
}
