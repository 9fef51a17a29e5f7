import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trialParamsDocument } from '../trial/trial.environment.js';
import type { TrialLaunch } from './executor.types.js';

/**
 * The working-directory layout every executor gives a trial, so that a spec runs unchanged on all
 * of them: `<workRoot>/<tenant>/<experimentId>/<trialId>/attempt-<n>`, holding `params.json`.
 */

/** A launch id that may be one part of a path: letters, digits, ".", "_", "-", starting with a letter or digit, at most 128 characters. */
const PATH_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The name of the parameters file in an attempt's directory (FAIRSWEEP_PARAMS_FILE points to it). */
export const PARAMS_FILE_NAME = 'params.json';

export interface LaunchCheckOptions {
  /** The launch ids that must be path segments (default tenant, experimentId and trialId). */
  segments?: readonly ('tenant' | 'experimentId' | 'trialId' | 'attemptId')[];
  /** What those ids name, in the messages (default `a directory`; e.g. `a directory or job`). */
  names?: string;
}

/**
 * Problems that make a launch unusable for an executor that lays attempts out with `attemptDir`:
 * an id that cannot be a path segment (so no launch can reach outside the work root), a negative
 * or fractional attempt number, an empty command or program. `[]` when fine; an executor fails
 * the attempt with `invalid launch: <problems joined by "; ">`.
 */
export function launchProblems(launch: TrialLaunch, opts: LaunchCheckOptions = {}): string[] {
  const problems: string[] = [];
  for (const field of opts.segments ?? (['tenant', 'experimentId', 'trialId'] as const)) {
    const value: unknown = launch[field];
    if (typeof value !== 'string' || !PATH_SEGMENT.test(value)) {
      problems.push(`${field} ${JSON.stringify(value)} cannot name ${opts.names ?? 'a directory'}: use letters, digits, ".", "_" and "-", starting with a letter or digit`);
    }
  }
  if (!Number.isSafeInteger(launch.attempt) || launch.attempt < 0) problems.push(`attempt must be an integer >= 0, got ${launch.attempt}`);
  if (!Array.isArray(launch.command) || launch.command.length === 0 || launch.command.some((a) => typeof a !== 'string')) {
    problems.push('command must be a non-empty list of strings');
  } else if (launch.command[0] === '') {
    problems.push('command[0] (the program) is empty');
  }
  return problems;
}

/** An attempt's directory: `<workRoot>/<tenant>/<experimentId>/<trialId>/attempt-<n>` (check the launch with `launchProblems` first). */
export function attemptDir(workRoot: string, launch: TrialLaunch): string {
  return join(workRoot, launch.tenant, launch.experimentId, launch.trialId, `attempt-${launch.attempt}`);
}

/** Creates the attempt's directory (mode 0750) and writes `params.json` (`trialParamsDocument`); resolves to the params file's path. */
export async function prepareAttemptDir(dir: string, launch: TrialLaunch): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const paramsFile = join(dir, PARAMS_FILE_NAME);
  await writeFile(paramsFile, paramsJson(launch));
  return paramsFile;
}

/**
 * `prepareAttemptDir`, synchronously: for executors measured on submission rate, where a few
 * small writes cost less than thread-pool round trips.
 */
export function prepareAttemptDirSync(dir: string, launch: TrialLaunch): string {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const paramsFile = join(dir, PARAMS_FILE_NAME);
  writeFileSync(paramsFile, paramsJson(launch));
  return paramsFile;
}

function paramsJson(launch: TrialLaunch): string {
  return `${JSON.stringify(trialParamsDocument(launch), null, 2)}\n`;
}

/** What a trial inherits from the executor's process: only PATH, HOME, LANG and TMPDIR (those that are set). */
export function baseEnvironment(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
