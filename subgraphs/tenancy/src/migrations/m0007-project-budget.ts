import { Migration } from '@mikro-orm/migrations';

/**
 * Project quota versions gain a GPU-hour budget per UTC period with a safe mode, as tenant quota
 * versions have (m0003). Existing versions: no project budget. Adding columns rewrites no row, so
 * the immutability trigger is not involved.
 */
export class M0007ProjectBudget extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.project_quota_version
      ADD COLUMN gpu_hours_budget double precision CHECK (gpu_hours_budget IS NULL OR gpu_hours_budget >= 0),
      ADD COLUMN budget_period text NOT NULL DEFAULT 'month' CHECK (budget_period IN ('day', 'week', 'month')),
      ADD COLUMN budget_safe_mode boolean NOT NULL DEFAULT true`);
  }
}
