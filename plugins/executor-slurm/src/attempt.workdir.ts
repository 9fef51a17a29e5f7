import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trialParamsDocument, type TrialLaunch } from '@fairsweep/sdk';

// The same layout and checks as @fairsweep/executor-local, so a spec runs unchanged on both.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Problems that make a launch unusable here (unsafe path parts or ids, no command); `[]` when fine. */
export function launchProblems(launch: TrialLaunch): string[] {
  const problems: string[] = [];
  for (const field of ['tenant', 'experimentId', 'trialId', 'attemptId'] as const) {
    const value: unknown = launch[field];
    if (typeof value !== 'string' || !SEGMENT.test(value)) {
      problems.push(`${field} ${JSON.stringify(value)} cannot name a directory or job: use letters, digits, ".", "_" and "-", starting with a letter or digit`);
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

/**
 * Creates the attempt's directory and writes params.json; returns the params file's path.
 * Synchronous on purpose: a few small writes cost less than thread-pool round trips, and
 * submission rate is what this executor is measured on.
 */
export function prepareAttemptDir(dir: string, launch: TrialLaunch): string {
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const paramsFile = join(dir, 'params.json');
  writeFileSync(paramsFile, `${JSON.stringify(trialParamsDocument(launch), null, 2)}\n`);
  return paramsFile;
}

/** Files of an attempt directory that the Slurm executor reads and writes. */
export const FILES = {
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  script: 'job.sh',
  /** Written by the job script before it runs the trial: host, pid and GPUs. */
  started: 'slurm-started.env',
  /** The job id, once sbatch has given it. */
  jobId: 'slurm-job-id',
  /** Written before sbatch runs: if it exists without slurm-job-id, the job is looked up by name. */
  submitting: 'slurm-submitting',
} as const;
