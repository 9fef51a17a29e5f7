import { Migration } from '@mikro-orm/migrations';

/** Quota replicas gain the tenant's GPU-hour budget (per period, with a safe mode). */
export class M0003GpuBudget extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.tenant_quota
      ADD COLUMN gpu_hours_budget double precision,
      ADD COLUMN budget_period text NOT NULL DEFAULT 'month' CHECK (budget_period IN ('day', 'week', 'month')),
      ADD COLUMN budget_safe_mode boolean NOT NULL DEFAULT true`);
  }
}
