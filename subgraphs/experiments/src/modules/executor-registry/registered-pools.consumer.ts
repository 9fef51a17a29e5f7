import type { EntityManager } from '@mikro-orm/postgresql';
import { SOURCES, TOPICS, type ConsumerDefinition, type PoolDecommissioned, type PoolRegistered } from '@fairsweep/service-kit';

/**
 * Keeps experiments' replica of the pools compute registered and the executor each runs
 * (experiments.registered_pool): a pool started again with another executor replaces its row, a
 * decommissioned one keeps its row without an executor. An older event than the row's never
 * overwrites it, and one applied twice leaves the same row.
 */
export function registeredPoolsConsumer(): ConsumerDefinition {
  return {
    name: 'experiments<-compute.pools',
    source: SOURCES.compute,
    topics: [TOPICS.poolRegistered, TOPICS.poolDecommissioned],
    handle: async (event, em: EntityManager) => {
      if (event.topic === TOPICS.poolRegistered) {
        const e = event.payload as unknown as PoolRegistered;
        await em.execute(
          `INSERT INTO experiments.registered_pool (pool, executor, executor_version, executor_api_version, registered_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (pool) DO UPDATE SET executor = EXCLUDED.executor, executor_version = EXCLUDED.executor_version,
             executor_api_version = EXCLUDED.executor_api_version, registered_at = EXCLUDED.registered_at
           WHERE experiments.registered_pool.registered_at <= EXCLUDED.registered_at`,
          [e.pool, e.executor?.name ?? null, e.executor?.version ?? null, e.executor?.apiVersion ?? null, e.at],
          'run',
        );
      } else if (event.topic === TOPICS.poolDecommissioned) {
        const e = event.payload as unknown as PoolDecommissioned;
        // Kept as a tombstone (no executor) so a registration older than the decommissioning, delivered late, changes nothing.
        await em.execute(
          `INSERT INTO experiments.registered_pool (pool, executor, registered_at) VALUES (?, NULL, ?)
           ON CONFLICT (pool) DO UPDATE SET executor = NULL, executor_version = NULL, executor_api_version = NULL, registered_at = EXCLUDED.registered_at
           WHERE experiments.registered_pool.registered_at <= EXCLUDED.registered_at`,
          [e.pool, e.at],
          'run',
        );
      }
    },
  };
}

/** The executors the registered pools run, by name (sorted). */
export async function registeredExecutors(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ executor: string }[]>(
    `SELECT DISTINCT executor FROM experiments.registered_pool WHERE executor IS NOT NULL ORDER BY executor`,
  );
  return rows.map((r) => r.executor);
}
