import { Migration } from '@mikro-orm/migrations';

/**
 * GPU-hour budgets gain a usage-decay window (budget_period 'decay' with a half-life in hours) next
 * to the UTC reset periods, for tenant and project quota versions. Existing versions keep their
 * reset period and a null half-life. Adding a column and swapping a CHECK rewrites no row, so the
 * immutability triggers are not involved.
 */
export class M0009BudgetDecay extends Migration {
  override async up(): Promise<void> {
    for (const table of ['quota_version', 'project_quota_version']) {
      this.addSql(`ALTER TABLE tenancy.${table}
        DROP CONSTRAINT IF EXISTS ${table}_budget_period_check,
        ADD COLUMN budget_half_life_hours double precision,
        ADD CONSTRAINT ${table}_budget_window_check CHECK (
          (budget_period IN ('day', 'week', 'month') AND budget_half_life_hours IS NULL)
          OR (budget_period = 'decay' AND budget_half_life_hours IS NOT NULL AND budget_half_life_hours > 0 AND budget_half_life_hours <= 8760))`);
    }
  }
}
