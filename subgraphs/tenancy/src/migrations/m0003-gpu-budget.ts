import { Migration } from '@mikro-orm/migrations';

/** Quota versions gain a GPU-hour budget per period, with a safe mode. */
export class M0003GpuBudget extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.quota_version
      ADD COLUMN gpu_hours_budget double precision CHECK (gpu_hours_budget IS NULL OR gpu_hours_budget >= 0),
      ADD COLUMN budget_period text NOT NULL DEFAULT 'month' CHECK (budget_period IN ('day', 'week', 'month')),
      ADD COLUMN budget_safe_mode boolean NOT NULL DEFAULT true`);
  }
}
