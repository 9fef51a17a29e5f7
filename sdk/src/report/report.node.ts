import { existsSync, readFileSync } from 'node:fs';
import type { ParamValues } from '../spec/spec.types.js';
import { TRIAL_ENV, type TrialParamsDocument, type TrialStopDocument } from '../trial/trial.environment.js';
import { formatReportLine } from './report.protocol.js';

/** Inside a trial: reports metrics by printing a FAIRSWEEP_METRIC line on stdout. */
export function report(metrics: Record<string, number>, step?: number | null): void {
  process.stdout.write(`${formatReportLine(metrics, step)}\n`);
}

/** Inside a trial: its parameters, from FAIRSWEEP_PARAMS_FILE (or FAIRSWEEP_PARAMS). */
export function trialParams(env: NodeJS.ProcessEnv = process.env): ParamValues {
  const file = env[TRIAL_ENV.paramsFile];
  if (file) return (JSON.parse(readFileSync(file, 'utf8')) as TrialParamsDocument).params;
  const inline = env[TRIAL_ENV.params];
  if (inline) return JSON.parse(inline) as ParamValues;
  throw new Error(`trialParams: not running as a Fairsweep trial (${TRIAL_ENV.paramsFile} and ${TRIAL_ENV.params} are unset)`);
}

/** Inside a trial: its seed (FAIRSWEEP_SEED), a uint32 to seed the trial's own randomness. */
export function trialSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[TRIAL_ENV.seed];
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new Error(`trialSeed: not running as a Fairsweep trial (${TRIAL_ENV.seed} is ${text === undefined ? 'unset' : JSON.stringify(text)})`);
  }
  return Number(text);
}

let sigtermSeen = false;

/**
 * Inside a trial: why the platform is stopping it — the stop file (FAIRSWEEP_STOP_FILE) it writes
 * just before SIGTERM, e.g. `{ reason: 'pruned', message: 'pruned by median@0.1.0 at step 3: …' }` —
 * or null while the trial is not being stopped.
 */
export function stopReason(env: NodeJS.ProcessEnv = process.env): TrialStopDocument | null {
  const file = env[TRIAL_ENV.stopFile];
  if (!file || !existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TrialStopDocument;
  } catch {
    return null; // being written: the next call sees it
  }
}

/** Inside a trial: true once the platform asked it to stop (stop file present, or SIGTERM seen by onStop). */
export function shouldStop(env: NodeJS.ProcessEnv = process.env): boolean {
  return sigtermSeen || stopReason(env) !== null;
}

/**
 * Inside a trial: handles SIGTERM instead of dying at once. The handler gets the stop document
 * (null when the signal came from elsewhere) and has the grace period to save and exit; return
 * from it and call process.exit yourself, or keep training and check shouldStop() between steps.
 * Returns a function that removes the handler.
 */
export function onStop(handler: (stop: TrialStopDocument | null) => void, env: NodeJS.ProcessEnv = process.env): () => void {
  const listener = () => {
    sigtermSeen = true;
    handler(stopReason(env));
  };
  process.on('SIGTERM', listener);
  return () => void process.off('SIGTERM', listener);
}
