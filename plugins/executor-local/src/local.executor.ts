import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  consoleExecutorLog, EXECUTOR_API_VERSION, ExecutorEventHub, executorOptionChecks, submitGate, type Executor, type ExecutorLog, type TrialLaunch,
} from '@fairsweep/sdk';
import { AttemptRun } from './attempt.run.js';
import { checkCgroupSupport, type CgroupSupport } from './cgroup.limits.js';
import { detectGpus, type GpuInventory } from './gpu.inventory.js';
import { GpuPool } from './gpu.pool.js';
import { SupervisorClient } from './supervisor.client.js';

/** The package version; a test keeps it equal to package.json. */
export const LOCAL_EXECUTOR_VERSION = '0.1.0';

export interface LocalExecutorConfig {
  /** Root of the attempts' working directories: `<workRoot>/<tenant>/<experimentId>/<trialId>/attempt-<n>`. */
  workRoot: string;
  /** Time between SIGTERM and SIGKILL when stopping an attempt (default 5000). */
  gracePeriodMs?: number;
  /** Reported in 'started' events (default: os.hostname()). */
  host?: string;
  /**
   * GPU ids this executor may hand out, each to one attempt at a time. Where `nvidia-smi` runs, the
   * GPUs it reports are the inventory and these ids (indexes or uuids) select some of them;
   * elsewhere these are the inventory (default: all detected GPUs, or none).
   */
  gpuIds?: string[];
  /** The nvidia-smi to ask for the GPU inventory, or false not to ask (default 'nvidia-smi' on PATH). */
  nvidiaSmi?: string | false;
  /**
   * A cgroup v2 directory delegated to this executor: each attempt gets its own cgroup under it with
   * cpu.max and memory.max from its resources (default /sys/fs/cgroup/fairsweep). Where that is not
   * possible the attempt runs without them, and its started event says why; false: never try.
   */
  cgroupParent?: string | false;
  /** Per attempt and stream: bytes kept in the log file, and bytes of lines sent as 'log' events (default 10 MiB). */
  logLimitBytes?: number;
  /**
   * Variables this host gives every trial, e.g. `FAIRSWEEP_PROJECT_DIR` (where trial code lives
   * when each attempt runs in its own work directory). The launch's own env and the trial
   * environment take precedence.
   */
  hostEnv?: Record<string, string>;
  /** Where the executor reports its own problems, e.g. an event listener that threw (default: the console). */
  log?: ExecutorLog;
}

const { nonEmptyString, nonNegative } = executorOptionChecks('local');
const DEFAULT_GRACE_MS = 5000;
const DEFAULT_LOG_LIMIT = 10 * 1024 * 1024;
const REATTACH_POLL_MS = 250;
export const DEFAULT_CGROUP_PARENT = '/sys/fs/cgroup/fairsweep';

/** The local executor: an Executor that can re-attach, plus what it found on this host. */
export interface LocalExecutor extends Executor {
  /** Stops following attempts without stopping them; a new executor on the same workRoot re-attaches when they are submitted again. */
  detach(): Promise<void>;
  /** The GPUs it hands out, and where that list came from. */
  readonly gpuInventory: GpuInventory;
  /** Whether attempts get cgroup v2 limits here, and if not why (checked on first use). */
  cgroupSupport(): CgroupSupport;
}

/**
 * An executor that runs each attempt on this host under its supervisor (which outlives the
 * executor), in its own process group and working directory, with a scrubbed environment,
 * exclusive GPUs and, where the host allows, its own cgroup v2 limits.
 */
export function createLocalExecutor(config: LocalExecutorConfig): LocalExecutor {
  const gpuInventory = detectGpus(config.gpuIds, config.nvidiaSmi ?? 'nvidia-smi');
  let cgroups: CgroupSupport | undefined;
  const cgroupParent = config.cgroupParent ?? DEFAULT_CGROUP_PARENT;
  const cgroupSupport = () =>
    (cgroups ??= cgroupParent === false ? { ok: false, why: 'cgroups are turned off for this executor (cgroupParent: false)' } : checkCgroupSupport(cgroupParent));
  const settings = {
    workRoot: resolve(nonEmptyString(config.workRoot, 'workRoot')),
    host: config.host ?? hostname(),
    gracePeriodMs: nonNegative(config.gracePeriodMs ?? DEFAULT_GRACE_MS, 'gracePeriodMs'),
    logLimitBytes: nonNegative(config.logLimitBytes ?? DEFAULT_LOG_LIMIT, 'logLimitBytes'),
    hostEnv: { ...(config.hostEnv ?? {}) },
    reattachPollMs: REATTACH_POLL_MS,
    gpuInfo: new Map(gpuInventory.devices.map((d) => [d.id, d])),
    cgroups: cgroupSupport,
    pciOrder: gpuInventory.source === 'nvidia-smi',
  };
  const gpus = new GpuPool(gpuInventory.devices.map((d) => d.id));
  const supervisor = new SupervisorClient(settings.workRoot);
  const attempts = new Map<string, { run: AttemptRun; started: Promise<void> }>();
  const events = new ExecutorEventHub(config.log ?? consoleExecutorLog('executor-local'));
  let closed = false;

  return {
    name: 'local',
    kind: 'executor',
    apiVersion: EXECUTOR_API_VERSION,
    version: LOCAL_EXECUTOR_VERSION,

    submit(launch: TrialLaunch): Promise<void> {
      const answered = submitGate('local', launch.attemptId, attempts.get(launch.attemptId)?.started, closed);
      if (answered) return answered;
      const run = new AttemptRun(launch, settings, gpus, supervisor, events.emit);
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

    onEvent: events.onEvent,

    async close(): Promise<void> {
      closed = true;
      const running = [...attempts.values()].filter((a) => !a.run.isFinished);
      await Promise.all(running.map((a) => a.run.stop('cancelled', 'executor closed', settings.gracePeriodMs)));
      supervisor.disconnect();
    },

    async detach(): Promise<void> {
      closed = true;
      await Promise.allSettled([...attempts.values()].map((a) => a.started));
      for (const { run } of attempts.values()) run.detach();
      attempts.clear();
      supervisor.disconnect();
    },

    gpuInventory,
    cgroupSupport,
  };
}
