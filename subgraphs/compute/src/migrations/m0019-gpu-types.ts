import { Migration } from '@mikro-orm/migrations';

/**
 * Flavor fungibility: a queued run keeps the GPU types any of which will do, most preferred first
 * (`gpu_types`), instead of the one it needed (`gpu_type`); a run that named one keeps it as a
 * list of one. Null: any pool.
 */
export class M0019GpuTypes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.trial_run ADD COLUMN gpu_types text[]`);
    this.addSql(`UPDATE compute.trial_run SET gpu_types = ARRAY[gpu_type] WHERE gpu_type IS NOT NULL`);
    this.addSql(`ALTER TABLE compute.trial_run DROP COLUMN gpu_type`);
  }
}
