import { Migration } from '@mikro-orm/migrations';

/**
 * The hardware an attempt ran on, as its pool declares it: device type and throughput factor
 * relative to the reference device. `compareExperiments` scales trial times by the factor.
 */
export class M0008AttemptHardware extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN device_type text`);
    this.addSql(`ALTER TABLE experiments.trial_attempt ADD COLUMN throughput_factor double precision CHECK (throughput_factor > 0)`);
  }
}
