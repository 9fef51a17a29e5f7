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

export type ExecutorEvent =
  /** The process is running; `devices` are the GPU ids it was given. */
  | { type: 'started'; attemptId: string; at: Date; host: string; pid?: number; devices: string[]; workDir?: string }
  /** One metric from a FAIRSWEEP_METRIC line. */
  | { type: 'metric'; attemptId: string; at: Date; name: string; value: number; step: number | null }
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
}
