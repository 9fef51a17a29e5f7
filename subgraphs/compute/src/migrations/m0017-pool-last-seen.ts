import { Migration } from '@mikro-orm/migrations';

/**
 * Pools gain `last_seen_at`: when a compute replica of the pool last heartbeated (written at most
 * every 10 s). Routing forgets a pool not seen for a day (decommissioned: designs/3-executor-routing.md).
 * Existing pools count as seen when they were last registered.
 */
export class M0017PoolLastSeen extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.pool ADD COLUMN last_seen_at timestamptz`);
    this.addSql(`UPDATE compute.pool SET last_seen_at = updated_at`);
  }
}
