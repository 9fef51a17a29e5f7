import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';

/**
 * This process's entry in compute.replica. Allocations are owned by a replica; one whose replica
 * stopped heartbeating (crash) or deregistered (stop) is lost and gets released by any replica.
 */
export class ReplicaRegistry {
  readonly id = `replica-${randomUUID()}`;

  constructor(private readonly orm: MikroORM, private readonly pool: string) {}

  async register(): Promise<void> {
    await this.orm.em.getConnection().execute(
      `INSERT INTO compute.replica (id, pool) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [this.id, this.pool],
      'run',
    );
  }

  /** Refreshes the heartbeat; re-registers if another replica pruned this one meanwhile. Marks the pool seen (at most every 10 s). */
  async heartbeat(): Promise<void> {
    await this.register();
    await this.orm.em.getConnection().execute(
      `UPDATE compute.pool SET last_seen_at = now() WHERE name = ? AND (last_seen_at IS NULL OR last_seen_at < now() - interval '10 seconds')`,
      [this.pool],
      'run',
    );
  }

  async deregister(): Promise<void> {
    await this.orm.em.getConnection().execute(`DELETE FROM compute.replica WHERE id = ?`, [this.id], 'run');
  }

  /** Forgets replicas silent for long, once none of their allocations is still active. */
  async prune(silentForMs: number): Promise<void> {
    await this.orm.em.getConnection().execute(
      `DELETE FROM compute.replica r WHERE r.heartbeat_at < now() - ? * interval '1 millisecond'
         AND NOT EXISTS (SELECT 1 FROM compute.allocation a WHERE a.owner = r.id AND a.state = 'active')`,
      [silentForMs],
      'run',
    );
  }
}
