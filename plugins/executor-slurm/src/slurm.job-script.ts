import { join } from 'node:path';
import { trialEnvironment, type PriorityClass, type TrialLaunch } from '@fairsweep/sdk';
import { FILES } from './attempt.workdir.js';

export const JOB_NAME_PREFIX = 'fs-';

/** The Slurm job name of an attempt: how a restarted executor finds its jobs. */
export function jobName(attemptId: string): string {
  return `${JOB_NAME_PREFIX}${attemptId}`;
}

/** A word for /bin/sh, single-quoted. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The batch script: records where it runs (host, pid, GPUs) for the `started` event, then execs
 * the trial's argv, so the trial is the job's batch process and receives Slurm's signals itself.
 */
export function jobScript(launch: TrialLaunch, dir: string): string {
  const started = shellQuote(join(dir, FILES.started));
  return [
    '#!/bin/sh',
    `# Fairsweep attempt ${launch.attemptId} (trial ${launch.trialId}, experiment ${launch.experimentId})`,
    `printf 'host=%s\\npid=%s\\nslurm_job_gpus=%s\\ncuda_visible_devices=%s\\n' "$(hostname)" "$$" "\${SLURM_JOB_GPUS:-}" "\${CUDA_VISIBLE_DEVICES:-}" > ${started}.tmp`,
    `mv ${started}.tmp ${started}`,
    '# Like the local executor: set (empty) when Slurm assigned no GPU.',
    'export CUDA_VISIBLE_DEVICES="${CUDA_VISIBLE_DEVICES:-}"',
    `exec ${launch.command.map(shellQuote).join(' ')}`,
    '',
  ].join('\n');
}

export interface SbatchSettings {
  partition?: string;
  account?: string;
  qos?: string;
  extraArgs: string[];
}

/** sbatch's arguments for an attempt, ending with the script's path. */
export function sbatchArgs(launch: TrialLaunch, dir: string, settings: SbatchSettings): string[] {
  const { cpus, gpus, memoryMb } = launch.resources;
  const args = [
    '--parsable',
    `--job-name=${jobName(launch.attemptId)}`,
    `--chdir=${dir}`,
    `--output=${join(dir, FILES.stdout)}`,
    `--error=${join(dir, FILES.stderr)}`,
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${Math.max(1, Math.ceil(cpus))}`,
    `--mem=${Math.max(1, Math.ceil(memoryMb))}M`,
    '--export=ALL',
    // Slurm must not run the attempt again itself after a node failure or preemption (the same job
    // id, truncated output, the trial run twice): the job ends NODE_FAIL/PREEMPTED, the attempt ends
    // retryable, and Fairsweep starts a new attempt.
    '--no-requeue',
  ];
  if (gpus > 0) args.push(`--gres=gpu:${gpus}`);
  if (launch.maxRuntimeSeconds !== null) args.push(`--time=${Math.max(1, Math.ceil(launch.maxRuntimeSeconds / 60))}`);
  if (settings.partition) args.push(`--partition=${settings.partition}`);
  if (settings.account) args.push(`--account=${settings.account}`);
  if (settings.qos) args.push(`--qos=${settings.qos}`);
  args.push(...settings.extraArgs, join(dir, FILES.script));
  return args;
}

/** Variables that would steer sbatch or Slurm itself; never taken from a spec or host env. */
const SLURM_STEERING = /^(SBATCH_|SLURM_|SALLOC_|SRUN_)/;

/**
 * sbatch's environment, which `--export=ALL` hands to the job: the same layers as the local
 * executor (PATH, HOME, LANG, TMPDIR; host env; the spec's env; the FAIRSWEEP_* variables), plus
 * SLURM_CONF. CUDA_VISIBLE_DEVICES is empty unless Slurm assigns GPUs (it then sets it itself).
 */
export function sbatchEnvironment(
  launch: TrialLaunch,
  paramsFile: string,
  base: Record<string, string>,
  hostEnv: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  const layers = [hostEnv, launch.env];
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) if (!SLURM_STEERING.test(name)) env[name] = value;
  }
  return { ...base, ...env, ...trialEnvironment(launch, paramsFile), CUDA_VISIBLE_DEVICES: '', ...(base.SLURM_CONF ? { SLURM_CONF: base.SLURM_CONF } : {}) };
}

/** The priority class a launch carries, if the platform sets one (TrialLaunch may gain a `priority`). */
export function launchPriority(launch: TrialLaunch): PriorityClass {
  const value = (launch as TrialLaunch & { priority?: PriorityClass }).priority;
  return value ?? 'standard';
}
