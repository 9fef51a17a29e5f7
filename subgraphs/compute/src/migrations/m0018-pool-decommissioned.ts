import { Migration } from '@mikro-orm/migrations';

/**
 * Pools gain `decommissioned_at`: a platform admin's decommissionPool marks a stopped pool gone at
 * once (routing forgets it, its history stays); the pool registering again clears it.
 */
export class M0018PoolDecommissioned extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.pool ADD COLUMN decommissioned_at timestamptz, ADD COLUMN decommissioned_by text, ADD COLUMN decommission_reason text`);
  }
}
