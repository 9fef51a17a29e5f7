import { Migration } from '@mikro-orm/migrations';

/**
 * What else an attempt ran with, as compute reports it at start: the executor plugin and its
 * version, the tenant quota policy version it was admitted under, what each lent device is
 * (uuid, name, memory) and how the attempt was isolated.
 */
export class M0009AttemptProvenance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN executor text`);
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN executor_version text`);
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN quota_version integer`);
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN gpus jsonb NOT NULL DEFAULT '[]'`);
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN isolation jsonb NOT NULL DEFAULT '[]'`);
  }
}
