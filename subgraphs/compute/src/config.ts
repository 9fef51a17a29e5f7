import type { FairShareSettings } from './modules/admission/admission.store.js';
import os from 'node:os';
import { resolve } from 'node:path';
import type { Executor } from '@fairsweep/sdk';
import { detectGpus } from '@fairsweep/executor-local';
import { serviceConfigFromEnv, type ServiceConfig } from '@fairsweep/service-kit';
import type { PoolConfig } from './modules/pool/pool.store.js';
import { executorSettingsFromEnv, type ExecutorSettings } from './modules/executor/executor.settings.js';
import { parseGpuFlavorOrder } from './modules/admission/flavor.rules.js';

export const COMPUTE_DEFAULT_PORT = 4003;

export interface ComputeConfig extends ServiceConfig {
  /** The one pool this process admits into and runs on. */
  pool: PoolConfig;
  /** Where the default local executor keeps each attempt's work dir (params.json, logs). */
  workRoot: string;
  /** Defaults to the executor `executorSettings` names (local unless FAIRSWEEP_EXECUTOR says otherwise); compute closes only an executor it created. */
  executor?: Executor;
  /** Which executor runs the pool's trials and its options (FAIRSWEEP_EXECUTOR and friends; see executor.settings.ts). Default: local. */
  executorSettings?: ExecutorSettings;
  /**
   * On stop, detach from running attempts instead of cancelling them (an executor that can
   * re-attach only): the next compute process on the same work root takes them over. FAIRSWEEP_DETACH_ON_STOP=1
   */
  detachOnStop?: boolean;
  /**
   * Fair share: half-life of past usage (default 7 days), its weight next to current usage (0.5),
   * the minimum runtime before an attempt may be preempted (60 s), and the backoff before a
   * preempted trial may borrow again (30 s, doubling per preemption).
   */
  fairShare?: Partial<FairShareSettings>;
  /** Variables the default local executor gives every trial (e.g. FAIRSWEEP_PROJECT_DIR). */
  trialHostEnv?: Record<string, string>;
  /** Admission cycle period (cycles also run when events arrive). Default 250 ms. */
  admissionIntervalMs?: number;
  /** SIGTERM → SIGKILL grace period for cancelled attempts. Default 10 s. */
  cancelGraceMs?: number;
  /** A replica silent for this long is presumed dead and its running attempts lost. Default 10 s. */
  replicaTimeoutMs?: number;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, integer: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} >= 0, got "${raw}"`);
  }
  return n;
}

function positive(n: number, name: string): number {
  if (n <= 0) throw new Error(`${name} must be > 0, got ${n}`);
  return n;
}

/**
 * Service settings plus FAIRSWEEP_POOL_*, FAIRSWEEP_WORK_DIR, the executor (FAIRSWEEP_EXECUTOR and
 * its options) and FAIRSWEEP_DETACH_ON_STOP, naming any invalid variable.
 */
export function computeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ComputeConfig {
  const executorSettings = executorSettingsFromEnv(env);
  let gpuIds = (env.FAIRSWEEP_POOL_GPU_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // A local pool without configured GPUs has the ones nvidia-smi reports (none where it is missing).
  if (executorSettings.kind === 'local' && gpuIds.length === 0 && !env.FAIRSWEEP_POOL_GPUS && executorSettings.nvidiaSmi !== false) {
    gpuIds = detectGpus(undefined, executorSettings.nvidiaSmi ?? 'nvidia-smi').devices.map((d) => d.id);
  }
  const gpus = numberFrom(env, 'FAIRSWEEP_POOL_GPUS', gpuIds.length, true);
  return {
    ...serviceConfigFromEnv(COMPUTE_DEFAULT_PORT, env),
    pool: {
      name: env.FAIRSWEEP_POOL_NAME ?? 'local',
      cpus: numberFrom(env, 'FAIRSWEEP_POOL_CPUS', os.cpus().length, false),
      gpus,
      memoryMb: numberFrom(env, 'FAIRSWEEP_POOL_MEMORY_MB', Math.floor((os.totalmem() * 0.8) / 1024 / 1024), true),
      ...(gpuIds.length > 0 ? { gpuIds } : {}),
      ...(env.FAIRSWEEP_POOL_DEVICE_TYPE ? { deviceType: env.FAIRSWEEP_POOL_DEVICE_TYPE } : {}),
      ...(env.FAIRSWEEP_POOL_THROUGHPUT_FACTOR ? { throughputFactor: numberFrom(env, 'FAIRSWEEP_POOL_THROUGHPUT_FACTOR', 1, false) } : {}),
    },
    workRoot: resolve(env.FAIRSWEEP_WORK_DIR ?? './.fairsweep/work'),
    fairShare: {
      halfLifeSeconds: positive(numberFrom(env, 'FAIRSWEEP_FAIRSHARE_HALF_LIFE_HOURS', 7 * 24, false), 'FAIRSWEEP_FAIRSHARE_HALF_LIFE_HOURS') * 3600,
      historyWeight: numberFrom(env, 'FAIRSWEEP_FAIRSHARE_HISTORY_WEIGHT', 0.5, false),
      minRuntimeBeforePreemptSec: numberFrom(env, 'FAIRSWEEP_MIN_RUNTIME_BEFORE_PREEMPT_SECONDS', 60, false),
      borrowBackoffSec: numberFrom(env, 'FAIRSWEEP_BORROW_BACKOFF_SECONDS', 30, false),
      preferFlavorForSec: numberFrom(env, 'FAIRSWEEP_PREFER_GPU_TYPE_SECONDS', 60, false),
      gpuFlavorOrder: parseGpuFlavorOrder(env.FAIRSWEEP_GPU_FLAVOR_ORDER),
      poolRetentionHours: positive(numberFrom(env, 'FAIRSWEEP_POOL_RETENTION_HOURS', 24, false), 'FAIRSWEEP_POOL_RETENTION_HOURS'),
    },
    trialHostEnv: { FAIRSWEEP_PROJECT_DIR: resolve(env.FAIRSWEEP_PROJECT_DIR ?? process.cwd()) },
    executorSettings,
    detachOnStop: env.FAIRSWEEP_DETACH_ON_STOP === '1' || env.FAIRSWEEP_DETACH_ON_STOP === 'true',
  };
}
