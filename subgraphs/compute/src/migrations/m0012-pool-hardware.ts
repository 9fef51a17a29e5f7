import { Migration } from '@mikro-orm/migrations';

/**
 * What a pool declares about its devices: a type (e.g. "a100-80gb") and a throughput factor
 * relative to the reference device. Every attempt's trial.started event carries both, so
 * experiments can record the hardware per attempt and compare runs across device types.
 */
export class M0012PoolHardware extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.pool ADD COLUMN device_type text`);
    this.addSql(`ALTER TABLE compute.pool ADD COLUMN throughput_factor double precision CHECK (throughput_factor > 0)`);
  }
}
