import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { EXECUTOR_API_VERSION, type Executor, type ExecutorEvent, type TrialLaunch } from '@fairsweep/sdk';
import { AttemptRun } from './attempt.run.js';
import { GpuPool } from './gpu.pool.js';

/** The package version; a test keeps it equal to package.json. */
export const LOCAL_EXECUTOR_VERSION = '0.1.0';

export interface LocalExecutorConfig {
  /** Root of the attempts' working directories: `<workRoot>/<tenant>/<experimentId>/<trialId>/attempt-<n>`. */
  workRoot: string;
  /** Time between SIGTERM and SIGKILL when stopping an attempt (default 5000). */
  gracePeriodMs?: number;
  /** Reported in 'started' events (default: os.hostname()). */
  host?: string;
  /** GPU ids this executor may hand out, each to one attempt at a time (default: none). */
  gpuIds?: string[];
  /** Per attempt and stream: bytes kept in the log file, and bytes of lines sent as 'log' events (default 10 MiB). */
  logLimitBytes?: number;
  /**
   * Variables this host gives every trial, e.g. `FAIRSWEEP_PROJECT_DIR` (where trial code lives
   * when each attempt runs in its own work directory). The launch's own env and the trial
   * environment take precedence.
   */
  hostEnv?: Record<string, string>;
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_LOG_LIMIT = 10 * 1024 * 1024;
const DRAIN_MS = 2000;

/**
 * An executor that runs each attempt as a child process on this host, in its own process group and
 * working directory, with a scrubbed environment and exclusive GPUs.
 */
export function createLocalExecutor(config: LocalExecutorConfig): Executor {
  const settings = {
    workRoot: resolve(requireString(config.workRoot, 'workRoot')),
    host: config.host ?? hostname(),
    gracePeriodMs: nonNegative(config.gracePeriodMs ?? DEFAULT_GRACE_MS, 'gracePeriodMs'),
    logLimitBytes: nonNegative(config.logLimitBytes ?? DEFAULT_LOG_LIMIT, 'logLimitBytes'),
    drainMs: DRAIN_MS,
    hostEnv: { ...(config.hostEnv ?? {}) },
  };
  const gpus = new GpuPool(config.gpuIds ?? []);
  const attempts = new Map<string, { run: AttemptRun; started: Promise<void> }>();
  const listeners = new Set<(event: ExecutorEvent) => void>();
  let closed = false;

  const emit = (event: ExecutorEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error(`[executor-local] an event listener threw on a ${event.type} event:`, error);
      }
    }
  };

  return {
    name: 'local',
    kind: 'executor',
    apiVersion: EXECUTOR_API_VERSION,
    version: LOCAL_EXECUTOR_VERSION,

    submit(launch: TrialLaunch): Promise<void> {
      const existing = attempts.get(launch.attemptId);
      if (existing) return existing.started;
      if (closed) return Promise.reject(new Error(`executor "local": closed; cannot submit attempt ${launch.attemptId}`));
      const run = new AttemptRun(launch, settings, gpus, emit);
      const started = run.start();
      attempts.set(launch.attemptId, { run, started });
      return started;
    },

    async cancel(attemptId: string, opts: { graceMs?: number; reason?: string } = {}): Promise<void> {
      const graceMs = nonNegative(opts.graceMs ?? settings.gracePeriodMs, 'graceMs');
      const entry = attempts.get(attemptId);
      if (!entry) return;
      await entry.run.stop('cancelled', opts.reason ?? 'cancelled', graceMs);
    },

    onEvent(listener: (event: ExecutorEvent) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    async close(): Promise<void> {
      closed = true;
      const running = [...attempts.values()].filter((a) => !a.run.isFinished);
      await Promise.all(running.map((a) => a.run.stop('cancelled', 'executor closed', settings.gracePeriodMs)));
    },
  };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`executor "local": ${name} must be a non-empty string`);
  return value;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`executor "local": ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}
