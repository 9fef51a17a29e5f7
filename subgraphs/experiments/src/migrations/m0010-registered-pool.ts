import { Migration } from '@mikro-orm/migrations';

/**
 * The pools compute registered (its `pool.registered` events) with the executor each runs: specs
 * may name those executors (`trial.executor`, `rerun --executor`) besides FAIRSWEEP_EXECUTORS.
 * A decommissioned pool (`pool.decommissioned`) keeps its row with no executor.
 */
export class M0010RegisteredPool extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE experiments.registered_pool (
      pool text PRIMARY KEY,
      executor text,
      executor_version text,
      executor_api_version text,
      registered_at timestamptz NOT NULL
    )`);
  }
}
