import { Migration } from '@mikro-orm/migrations';

/**
 * What compute knows of each experiment's plan, from `trial.created`: its maximum trial count and
 * parallel trials, and when its first and latest trials were created — for completion estimates
 * that include the trials experiments has not created yet. Derived data (the latest event wins).
 */
export class M0008ExperimentPlan extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE compute.experiment_plan (
      experiment_id text PRIMARY KEY,
      tenant text NOT NULL,
      max_trials integer CHECK (max_trials >= 0),
      max_parallel integer CHECK (max_parallel > 0),
      first_created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      last_created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
    this.addSql(`CREATE INDEX experiment_plan_tenant ON compute.experiment_plan (tenant)`);
  }
}
