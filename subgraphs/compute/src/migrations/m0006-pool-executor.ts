import { Migration } from '@mikro-orm/migrations';

/** Pools record the executor plugin that runs their trials (name, version, apiVersion). */
export class M0006PoolExecutor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.pool
      ADD COLUMN executor_name text,
      ADD COLUMN executor_version text,
      ADD COLUMN executor_api_version text`);
  }
}
