import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trialParamsDocument, type TrialLaunch } from '@fairsweep/sdk';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Problems that make a launch unusable here (unsafe path parts, no command); `[]` when fine. */
export function launchProblems(launch: TrialLaunch): string[] {
  const problems: string[] = [];
  for (const field of ['tenant', 'experimentId', 'trialId'] as const) {
    const value: unknown = launch[field];
    if (typeof value !== 'string' || !SEGMENT.test(value)) {
      problems.push(`${field} ${JSON.stringify(value)} cannot name a directory: use letters, digits, ".", "_" and "-", starting with a letter or digit`);
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

/** `<workRoot>/<tenant>/<experimentId>/<trialId>/attempt-<n>` */
export function attemptDir(workRoot: string, launch: TrialLaunch): string {
  return join(workRoot, launch.tenant, launch.experimentId, launch.trialId, `attempt-${launch.attempt}`);
}

/** Creates the attempt's directory and writes params.json; returns the params file's path. */
export async function prepareAttemptDir(dir: string, launch: TrialLaunch): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const paramsFile = join(dir, 'params.json');
  await writeFile(paramsFile, `${JSON.stringify(trialParamsDocument(launch), null, 2)}\n`);
  return paramsFile;
}

/** What a trial inherits from this process: only PATH, HOME, LANG and TMPDIR. */
export function baseEnvironment(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
