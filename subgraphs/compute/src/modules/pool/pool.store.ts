import type { EntityManager } from '@mikro-orm/postgresql';
import { GPU_TYPE_PATTERN, GPU_TYPE_RULE } from '@fairsweep/sdk';
import { computeEvents, jsonArray, TEXT_ARRAY_SQL } from '../events/compute.events.js';
import { poolGpuIds } from '../admission/admission.rules.js';
import type { PoolCapacity } from '../admission/admission.types.js';
import { POOL_LIVE_SQL, POOL_LIVE_WITHIN_SEC } from '../admission/snapshot.columns.js';
import { releaseLostAttempts } from '../allocation/allocation.release.js';
import { errors } from '@fairsweep/service-kit';

export interface PoolConfig {
  name: string;
  cpus: number;
  gpus: number;
  memoryMb: number;
  gpuIds?: string[];
  /**
   * What the pool's devices are (e.g. "a100-80gb"), recorded with every attempt that runs here; it
   * is also the pool's GPU flavor (trials that name a gpuType run only on pools of that type).
   */
  deviceType?: string;
  /** Throughput relative to the reference device (2 = twice as fast); `compareExperiments` scales trial times by it. */
  throughputFactor?: number;
}

/** The hardware a pool declares: recorded per attempt (provenance) and used to compare runs across device types. */
export interface PoolHardware {
  deviceType: string | null;
  throughputFactor: number | null;
}

const GPU_TYPE = new RegExp(GPU_TYPE_PATTERN);

/** The pool's GPU flavor: its declared device type (the charset trial specs use for gpuType), or null. */
export function poolFlavor(cfg: PoolConfig): string | null {
  if (cfg.deviceType !== undefined && !GPU_TYPE.test(cfg.deviceType)) {
    throw new Error(`pool.deviceType "${cfg.deviceType}" must be ${GPU_TYPE_RULE}`);
  }
  return cfg.deviceType ?? null;
}

/** Checks the pool's declared hardware. */
export function poolHardware(cfg: PoolConfig): PoolHardware {
  poolFlavor(cfg);
  if (cfg.throughputFactor !== undefined && !(Number.isFinite(cfg.throughputFactor) && cfg.throughputFactor > 0 && cfg.throughputFactor <= 1000)) {
    throw new Error(`pool.throughputFactor must be a number > 0 and <= 1000 (throughput relative to the reference device), got ${cfg.throughputFactor}`);
  }
  return { deviceType: cfg.deviceType ?? null, throughputFactor: cfg.throughputFactor ?? null };
}

/** Checks the configured pool and fills in its GPU ids ("0".."n-1" unless given). */
export function poolCapacity(cfg: PoolConfig): PoolCapacity {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(cfg.name)) throw new Error(`pool.name "${cfg.name}" must be 1-40 lower-case letters, digits or dashes`);
  if (!Number.isFinite(cfg.cpus) || cfg.cpus < 0) throw new Error(`pool.cpus must be a number >= 0, got ${cfg.cpus}`);
  for (const k of ['gpus', 'memoryMb'] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 0) throw new Error(`pool.${k} must be an integer >= 0, got ${cfg[k]}`);
  }
  if (cfg.gpuIds && cfg.gpuIds.length > 0 && cfg.gpuIds.length !== cfg.gpus) {
    throw new Error(`pool.gpuIds lists ${cfg.gpuIds.length} devices but pool.gpus is ${cfg.gpus}`);
  }
  return { name: cfg.name, cpus: cfg.cpus, gpus: cfg.gpus, memoryMb: cfg.memoryMb, gpuIds: poolGpuIds(cfg), flavor: poolFlavor(cfg) };
}

export async function upsertPool(
  em: EntityManager,
  pool: PoolCapacity,
  executor?: { name: string; version: string; apiVersion: string },
  hardware: PoolHardware = { deviceType: null, throughputFactor: null },
): Promise<void> {
  await em.execute(
    `INSERT INTO compute.pool (name, cpus, gpus, memory_mb, gpu_ids, executor_name, executor_version, executor_api_version, device_type, throughput_factor, updated_at, last_seen_at)
     VALUES (?, ?, ?, ?, ${TEXT_ARRAY_SQL}, ?, ?, ?, ?, ?, now(), now())
     ON CONFLICT (name) DO UPDATE SET cpus = EXCLUDED.cpus, gpus = EXCLUDED.gpus, memory_mb = EXCLUDED.memory_mb,
       gpu_ids = EXCLUDED.gpu_ids, executor_name = EXCLUDED.executor_name, executor_version = EXCLUDED.executor_version,
       executor_api_version = EXCLUDED.executor_api_version, device_type = EXCLUDED.device_type,
       throughput_factor = EXCLUDED.throughput_factor, updated_at = now(), last_seen_at = now(),
       decommissioned_at = NULL, decommissioned_by = NULL, decommission_reason = NULL`,
    [pool.name, pool.cpus, pool.gpus, pool.memoryMb, jsonArray(pool.gpuIds), executor?.name ?? null, executor?.version ?? null, executor?.apiVersion ?? null,
      hardware.deviceType, hardware.throughputFactor],
    'run',
  );
  await computeEvents.poolRegistered(em, { pool: pool.name, executor: executor ?? null, deviceType: hardware.deviceType, at: new Date().toISOString() });
}

/**
 * Marks a pool gone (a platform admin's decision): routing forgets it at once, as it would a day
 * after its last replica stopped, and its history stays. Attempts it still holds (its replicas died
 * with them) are released as lost and their trials retried on the pools there are. Refused while a
 * compute replica of it runs; the pool registering again (a compute process started with it)
 * brings it back. Returns how many attempts were released.
 */
export async function decommissionPool(em: EntityManager, name: string, by: string, reason: string): Promise<number> {
  if (reason.trim() === '') throw errors.invalidInput('reason', 'must say why the pool is decommissioned (it is recorded with the pool)');
  const [row] = await em.execute<{ live: boolean; active: number }[]>(
    `SELECT ${POOL_LIVE_SQL} AS live, (SELECT count(*)::int FROM compute.allocation a WHERE a.pool = p.name AND a.state = 'active') AS active
     FROM compute.pool p WHERE p.name = ? FOR UPDATE`,
    [name],
  );
  if (!row) throw errors.notFound('pool', name);
  if (row.live) {
    throw errors.conflict(`pool "${name}" has a running compute replica: stop its compute processes first (decommissioning is for pools that are gone)`, { pool: name });
  }
  await em.execute(`UPDATE compute.pool SET decommissioned_at = now(), decommissioned_by = ?, decommission_reason = ? WHERE name = ?`, [by, reason, name], 'run');
  await computeEvents.poolDecommissioned(em, { pool: name, at: new Date().toISOString() });
  return row.active === 0 ? 0 : releaseLostAttempts(em, name, POOL_LIVE_WITHIN_SEC * 1000, `lost: pool ${name} was decommissioned (${reason})`, true);
}
