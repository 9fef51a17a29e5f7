import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { executorSettingsFromEnv, parseGpuFlavorOrder, type ExecutorSettings } from '@fairsweep/subgraph-compute';

/** Settings of the all-in-one platform (`npm start`, `fairsweep up`); every one has an env variable. */
export interface PlatformConfig {
  /** Where embedded PostgreSQL data, dev keys and trial work directories live. FAIRSWEEP_DATA_DIR */
  dataDir: string;
  /** External PostgreSQL; when absent an embedded server is started. DATABASE_URL */
  databaseUrl: string | null;
  /** Port of the embedded PostgreSQL server. FAIRSWEEP_PG_PORT */
  embeddedPgPort: number;
  host: string;
  /** Gateway port; the subgraphs take the next three. FAIRSWEEP_PORT */
  port: number;
  /** Seed the demo tenant. FAIRSWEEP_DEMO (default on) */
  seedDemo: boolean;
  pool: { name: string; cpus: number; gpus: number; memoryMb: number; gpuIds: string[]; deviceType?: string; throughputFactor?: number };
  /** Given to local trials as FAIRSWEEP_PROJECT_DIR (their code's home). FAIRSWEEP_PROJECT_DIR, default: cwd */
  projectDir: string;
  /**
   * Which executor runs the pool's trials: FAIRSWEEP_EXECUTOR=local (default) or slurm, with its
   * options (FAIRSWEEP_SLURM_ACCOUNTS, FAIRSWEEP_SLURM_QOS, … — see docs/executors.md).
   */
  executor: ExecutorSettings;
  /** Trial work directories (for Slurm: on a file system the nodes share). FAIRSWEEP_WORK_DIR, default <dataDir>/work */
  workDir: string;
  /** Stop compute without stopping its trials; the next start re-attaches them. FAIRSWEEP_DETACH_ON_STOP=1 */
  detachOnStop: boolean;
  /**
   * Scheduler settings (FAIRSWEEP_FAIRSHARE_HALF_LIFE_HOURS, _HISTORY_WEIGHT, FAIRSWEEP_MIN_RUNTIME_BEFORE_PREEMPT_SECONDS,
   * FAIRSWEEP_BORROW_BACKOFF_SECONDS, FAIRSWEEP_PREFER_GPU_TYPE_SECONDS, FAIRSWEEP_POOL_RETENTION_HOURS, FAIRSWEEP_GPU_FLAVOR_ORDER).
   */
  fairShare: {
    halfLifeSeconds: number; historyWeight: number; minRuntimeBeforePreemptSec: number; borrowBackoffSec: number;
    preferFlavorForSec: number; poolRetentionHours: number; gpuFlavorOrder: string[];
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = int(env, name, fallback);
  if (n === 0) throw new Error(`${name} must be a number > 0, got "${env[name]}"`);
  return n;
}

export function platformConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const gpuIds = (env.FAIRSWEEP_POOL_GPU_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    dataDir: resolve(env.FAIRSWEEP_DATA_DIR ?? '.fairsweep'),
    databaseUrl: env.DATABASE_URL || null,
    embeddedPgPort: int(env, 'FAIRSWEEP_PG_PORT', 54329),
    host: env.FAIRSWEEP_HOST ?? '127.0.0.1',
    port: int(env, 'FAIRSWEEP_PORT', 4000),
    seedDemo: env.FAIRSWEEP_DEMO !== '0' && env.FAIRSWEEP_DEMO !== 'false',
    projectDir: resolve(env.FAIRSWEEP_PROJECT_DIR ?? process.cwd()),
    fairShare: {
      halfLifeSeconds: int(env, 'FAIRSWEEP_FAIRSHARE_HALF_LIFE_HOURS', 7 * 24) * 3600 || 3600,
      historyWeight: int(env, 'FAIRSWEEP_FAIRSHARE_HISTORY_WEIGHT', 0.5),
      minRuntimeBeforePreemptSec: int(env, 'FAIRSWEEP_MIN_RUNTIME_BEFORE_PREEMPT_SECONDS', 60),
      borrowBackoffSec: int(env, 'FAIRSWEEP_BORROW_BACKOFF_SECONDS', 30),
      preferFlavorForSec: int(env, 'FAIRSWEEP_PREFER_GPU_TYPE_SECONDS', 60),
      poolRetentionHours: positive(env, 'FAIRSWEEP_POOL_RETENTION_HOURS', 24),
      gpuFlavorOrder: parseGpuFlavorOrder(env.FAIRSWEEP_GPU_FLAVOR_ORDER),
    },
    executor: executorSettingsFromEnv(env),
    workDir: resolve(env.FAIRSWEEP_WORK_DIR ?? join(resolve(env.FAIRSWEEP_DATA_DIR ?? '.fairsweep'), 'work')),
    detachOnStop: env.FAIRSWEEP_DETACH_ON_STOP === '1' || env.FAIRSWEEP_DETACH_ON_STOP === 'true',
    pool: {
      name: env.FAIRSWEEP_POOL_NAME ?? 'local',
      cpus: int(env, 'FAIRSWEEP_POOL_CPUS', cpus().length),
      gpus: int(env, 'FAIRSWEEP_POOL_GPUS', gpuIds.length),
      memoryMb: int(env, 'FAIRSWEEP_POOL_MEMORY_MB', Math.floor((totalmem() / 1024 / 1024) * 0.8)),
      gpuIds,
      ...(env.FAIRSWEEP_POOL_DEVICE_TYPE ? { deviceType: env.FAIRSWEEP_POOL_DEVICE_TYPE } : {}),
      ...(env.FAIRSWEEP_POOL_THROUGHPUT_FACTOR ? { throughputFactor: int(env, 'FAIRSWEEP_POOL_THROUGHPUT_FACTOR', 1) } : {}),
    },
  };
}
