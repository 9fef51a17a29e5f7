import type { ParamValues, Resources } from '../spec/spec.types.js';

/** The executor plugin API this SDK implements; `assertPlugin` accepts executors that declare it. */
export const EXECUTOR_API_VERSION = '1';

/** One attempt of one trial, as handed to an executor. */
export interface TrialLaunch {
  /** Unique per attempt; `submit` is idempotent on it. */
  attemptId: string;
  trialId: string;
  experimentId: string;
  tenant: string;
  trialIndex: number;
  /** 1 for the first attempt, then 2, 3, ... for retries. */
  attempt: number;
  /** argv: the executable and its arguments (no shell unless the spec asked for one). */
  command: string[];
  /** The spec's trial.env. */
  env: Record<string, string>;
  params: ParamValues;
  /** The trial seed (deriveTrialSeed). */
  seed: number;
  resources: Resources;
  maxRuntimeSeconds: number | null;
}

export type TrialOutcome = 'succeeded' | 'failed' | 'cancelled';

/** One device an attempt was given, for provenance: the id it was handed out as, and what it is. */
export interface DeviceInfo {
  /** As in `devices` (what CUDA_VISIBLE_DEVICES lists). */
  id: string;
  uuid?: string;
  name?: string;
  memoryMb?: number;
}

export type ExecutorEvent =
  /**
   * The process is running; `devices` are the GPU ids it was given. Optional, for provenance:
   * `gpus` (what each device is), `notes` (how it was isolated, e.g. which limits were or were not
   * applied). `reattached: true` when a new executor instance took over an attempt an earlier one
   * started (see `Executor.detach`): the process was not started again.
   */
  | {
      type: 'started'; attemptId: string; at: Date; host: string; pid?: number; devices: string[]; workDir?: string;
      gpus?: DeviceInfo[]; notes?: string[]; reattached?: boolean;
    }
  /**
   * One metric from a FAIRSWEEP_METRIC line. `seq`, where an executor gives it, identifies the
   * metric within its attempt's output and grows with it; a re-attached executor that replays output
   * repeats the same `seq`, so a consumer that records the highest one keeps metrics exactly-once.
   */
  | { type: 'metric'; attemptId: string; at: Date; name: string; value: number; step: number | null; seq?: number }
  /** One line of output, without its line ending. */
  | { type: 'log'; attemptId: string; at: Date; stream: 'stdout' | 'stderr'; line: string }
  /** The attempt is over; emitted exactly once per attempt, always last. */
  | {
      type: 'exited';
      attemptId: string;
      at: Date;
      outcome: TrialOutcome;
      exitCode: number | null;
      signal: string | null;
      reason: string;
      /** true when the attempt failed for reasons outside the trial (e.g. lost with its supervisor, node failure): a new attempt may succeed. */
      retryable?: boolean;
    };

/**
 * Runs attempts somewhere (a host, Slurm, Kubernetes) and reports what happens to them as events.
 */
export interface Executor {
  readonly name: string;
  readonly kind: 'executor';
  /** The executor API version it implements: EXECUTOR_API_VERSION. */
  readonly apiVersion: string;
  /** The plugin's own version (its package version). */
  readonly version: string;
  /** Starts an attempt; resolves once it is launched (or has failed to). A second submit of the same attemptId is a no-op. */
  submit(launch: TrialLaunch): Promise<void>;
  /** Stops an attempt gracefully (SIGTERM, `graceMs`, then SIGKILL); its outcome is 'cancelled'. */
  cancel(attemptId: string, opts?: { graceMs?: number; reason?: string }): Promise<void>;
  /** Subscribes to events of every attempt; returns the unsubscribe function. */
  onEvent(listener: (event: ExecutorEvent) => void): () => void;
  /** Cancels everything still running and releases the executor. */
  close(): Promise<void>;
  /**
   * Optional capability: re-attach. Stops following attempts without stopping them (as a restart
   * of the platform would); later submits reject. An executor that has it promises that a new
   * instance (same configuration, e.g. the same workRoot) given the same launch again by `submit`
   * follows the existing work instead of starting it twice — to its real end, or to a `failed`
   * exit with `retryable: true` when the work was lost meanwhile. Its `started` event then says
   * `reattached: true`.
   */
  detach?(): Promise<void>;
}

/** Whether an executor can re-attach to attempts an earlier instance started (`detach` present). */
export function canReattach(executor: Executor): executor is Executor & { detach(): Promise<void> } {
  return typeof executor.detach === 'function';
}
