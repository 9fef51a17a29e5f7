import { Migration } from '@mikro-orm/migrations';

/**
 * The tenant and project quota replicas gain the usage-decay budget window (budget_period 'decay'
 * with its half-life in hours; tenancy m0009). Existing rows keep their reset period.
 */
export class M0015BudgetDecay extends Migration {
  override async up(): Promise<void> {
    for (const table of ['tenant_quota', 'project_quota']) {
      this.addSql(`ALTER TABLE compute.${table}
        DROP CONSTRAINT IF EXISTS ${table}_budget_period_check,
        ADD COLUMN budget_half_life_hours double precision CHECK (budget_half_life_hours IS NULL OR budget_half_life_hours > 0),
        ADD CONSTRAINT ${table}_budget_period_known CHECK (budget_period IN ('day', 'week', 'month', 'decay'))`);
    }
  }
}
