import { readFileSync } from 'node:fs';
import type { ParamValues } from '../spec/spec.types.js';
import { TRIAL_ENV, type TrialParamsDocument } from '../trial/trial.environment.js';
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
