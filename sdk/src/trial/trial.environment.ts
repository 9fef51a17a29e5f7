import { dirname, join } from 'node:path';
import { canonicalJson } from '../json/canonical-json.js';
import type { TrialLaunch } from '../executor/executor.types.js';
import type { ParamValues } from '../spec/spec.types.js';

/** Names of the environment variables every executor sets for a trial. */
export const TRIAL_ENV = {
  trialId: 'FAIRSWEEP_TRIAL_ID',
  experimentId: 'FAIRSWEEP_EXPERIMENT_ID',
  trialIndex: 'FAIRSWEEP_TRIAL_INDEX',
  attempt: 'FAIRSWEEP_ATTEMPT',
  seed: 'FAIRSWEEP_SEED',
  params: 'FAIRSWEEP_PARAMS',
  paramsFile: 'FAIRSWEEP_PARAMS_FILE',
  /** Where the platform writes a TrialStopDocument (JSON) just before it signals the trial to stop. */
  stopFile: 'FAIRSWEEP_STOP_FILE',
  /** Followed by the parameter name upper-cased, e.g. FAIRSWEEP_PARAM_LR. */
  paramPrefix: 'FAIRSWEEP_PARAM_',
} as const;

/** The stop file's name, beside params.json in the attempt's working directory. */
export const STOP_FILE_NAME = 'stop.json';

/** Why the platform stops a running attempt. */
export type TrialStopReason = 'pruned' | 'cancelled' | 'preempted';

/**
 * The contents of the stop file (FAIRSWEEP_STOP_FILE), written before SIGTERM so the trial can
 * tell a pruning decision from a cancellation or a preemption and act on it within the grace period.
 */
export interface TrialStopDocument {
  reason: TrialStopReason;
  /** In words: for a prune, the pruner, step and why. */
  message: string;
  attemptId: string;
  /** ISO time the stop was requested. */
  at: string;
}

/** The contents of params.json, the file FAIRSWEEP_PARAMS_FILE points to. */
export interface TrialParamsDocument {
  trialId: string;
  experimentId: string;
  trialIndex: number;
  attempt: number;
  seed: number;
  params: ParamValues;
}

export function trialParamsDocument(launch: TrialLaunch): TrialParamsDocument {
  const { trialId, experimentId, trialIndex, attempt, seed, params } = launch;
  return { trialId, experimentId, trialIndex, attempt, seed, params: { ...params } };
}

/**
 * The FAIRSWEEP_* variables for an attempt. Executors add them after the spec's own `env`, so they
 * always win. FAIRSWEEP_PARAMS is canonical JSON (keys sorted); FAIRSWEEP_PARAM_<NAME> holds each
 * value as text (`0.01`, `adam`, `true`).
 */
export function trialEnvironment(launch: TrialLaunch, paramsFile: string): Record<string, string> {
  const env: Record<string, string> = {
    [TRIAL_ENV.trialId]: launch.trialId,
    [TRIAL_ENV.experimentId]: launch.experimentId,
    [TRIAL_ENV.trialIndex]: String(launch.trialIndex),
    [TRIAL_ENV.attempt]: String(launch.attempt),
    [TRIAL_ENV.seed]: String(launch.seed),
    [TRIAL_ENV.params]: canonicalJson(launch.params),
    [TRIAL_ENV.paramsFile]: paramsFile,
    [TRIAL_ENV.stopFile]: join(dirname(paramsFile), STOP_FILE_NAME),
  };
  for (const [name, value] of Object.entries(launch.params)) {
    env[`${TRIAL_ENV.paramPrefix}${name.toUpperCase()}`] = String(value);
  }
  return env;
}
