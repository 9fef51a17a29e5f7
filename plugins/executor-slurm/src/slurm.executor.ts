import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  attemptDir, consoleExecutorLog, EXECUTOR_API_VERSION, ExecutorEventHub, executorOptionChecks, launchProblems, prepareAttemptDirSync, submitGate,
  type Executor, type ExecutorLog, type PriorityClass, type TrialLaunch,
} from '@fairsweep/sdk';
import { FILES } from './attempt.workdir.js';
import { SlurmAttempt } from './slurm.attempt.js';
import { clientEnvironment, createSlurmCli, slurmMessage, type SlurmCli } from './slurm.cli.js';
import { jobName, jobScript, launchPriority, sbatchArgs, sbatchEnvironment } from './slurm.job-script.js';
import { findJobByName } from './slurm.observer.js';
import { pollOnce } from './slurm.poll.js';

/** The package version; a test keeps it equal to package.json. */
export const SLURM_EXECUTOR_VERSION = '0.1.0';

export interface SlurmExecutorConfig {
  /** Root of the attempts' directories, on a file system the compute nodes share: `<workRoot>/<tenant>/<experimentId>/<trialId>/attempt-<n>`. */
  workRoot: string;
  /** `--partition` (default: the cluster's default partition). */
  partition?: string;
  /** The Slurm account a tenant's jobs are charged to (`--account`); none: the user's default account. */
  accountFor?: (tenant: string) => string | undefined;
  /** The QOS for a priority class (`--qos`); none: the association's default QOS. */
  qosFor?: (priority: PriorityClass, launch: TrialLaunch) => string | undefined;
  /** How often squeue/sacct are asked about running jobs (default 1000 ms). */
  pollIntervalMs?: number;
  /** Time between SIGTERM and the kill when cancelling (default 5000 ms); `cancel` may override it. */
  gracePeriodMs?: number;
  /** SLURM_CONF for every Slurm command (default: this process's SLURM_CONF, else Slurm's own lookup). */
  slurmConf?: string;
  /** Variables every trial gets, below the spec's env (SLURM_ and SBATCH_ names are dropped). */
  hostEnv?: Record<string, string>;
  /** More sbatch arguments, placed before the script (e.g. `--constraint=a100`). */
  sbatchArgs?: string[];
  /** Per attempt and stream: bytes of output lines sent as `log` events (default 10 MiB). */
  logLimitBytes?: number;
  /** Where the executor reports its own problems: a failed poll round, an event listener that threw (default: the console). */
  log?: ExecutorLog;
  /** Runs the Slurm commands; for tests. */
  cli?: SlurmCli;
}

/** The Slurm executor: an Executor, plus what Slurm says of an attempt. */
export interface SlurmExecutor extends Executor {
  /** The Slurm job id of an attempt, once sbatch has given one. */
  jobIdOf(attemptId: string): string | undefined;
  /**
   * Stops following jobs without cancelling them, as a restart would: a new executor on the same
   * workRoot picks each attempt up again when it is submitted again. Later submits reject.
   */
  detach(): Promise<void>;
  /** Why an attempt is pending, in words ending in `(Slurm: <reason code>)`; null when not pending. */
  pendingReasonOf(attemptId: string): string | null;
}

const { nonEmptyString, nonNegative } = executorOptionChecks('slurm');

/** Ids that name the attempt's directory and Slurm job. */
const LAUNCH_CHECKS = { segments: ['tenant', 'experimentId', 'trialId', 'attemptId'], names: 'a directory or job' } as const;

/** Submits each attempt as a Slurm batch job and follows it with squeue and sacct. */
export function createSlurmExecutor(config: SlurmExecutorConfig): SlurmExecutor {
  const workRoot = resolve(nonEmptyString(config.workRoot, 'workRoot'));
  const pollIntervalMs = nonNegative(config.pollIntervalMs ?? 1000, 'pollIntervalMs');
  const gracePeriodMs = nonNegative(config.gracePeriodMs ?? 5000, 'gracePeriodMs');
  const logLimitBytes = nonNegative(config.logLimitBytes ?? 10 * 1024 * 1024, 'logLimitBytes');
  const cli = config.cli ?? createSlurmCli(config.slurmConf);
  const baseEnv = clientEnvironment(config.slurmConf);
  const hostEnv = { ...(config.hostEnv ?? {}) };
  const attempts = new Map<string, SlurmAttempt>();
  const log = config.log ?? consoleExecutorLog('executor-slurm');
  const events = new ExecutorEventHub(log);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  const unfinished = () => [...attempts.values()].filter((a) => !a.isFinished);

  /** Keeps one poll round scheduled while some job is unfinished. */
  const schedule = (delayMs = pollIntervalMs) => {
    if (timer || polling || !unfinished().some((a) => a.jobId)) return;
    timer = setTimeout(() => {
      timer = undefined;
      polling = pollOnce(cli, unfinished())
        .catch((error) => log.error('poll failed', error))
        .finally(() => {
          polling = undefined;
          schedule();
        });
    }, delayMs);
  };

  const scancel = (attempt: SlurmAttempt, args: string[]) => cli.run('scancel', [...args, attempt.jobId!]);

  /**
   * SIGTERM to the batch process and its children now; after the grace period, cancel the job
   * (Slurm sends SIGTERM again, then SIGKILL after the cluster's KillWait).
   */
  const stopJob = async (attempt: SlurmAttempt, graceMs: number) => {
    if (attempt.isStarted) await scancel(attempt, ['--full', '--signal=TERM']);
    else await scancel(attempt, []); // pending: nothing to be graceful with (if it just started, Slurm sends SIGTERM, then SIGKILL after KillWait)
    attempt.killTimer = setTimeout(() => {
      if (attempt.isFinished) return;
      attempt.note(`job ${attempt.jobId} did not end within the ${graceMs} ms grace period; cancelled it (SIGKILL follows after Slurm's KillWait)`);
      void scancel(attempt, []);
    }, graceMs);
    schedule(0);
  };

  /** The job an earlier executor submitted for this attempt, if any. */
  const existingJob = async (attempt: SlurmAttempt): Promise<string | undefined> => {
    if (!existsSync(join(attempt.dir, FILES.submitting))) return undefined; // a fresh attempt: the common case
    const recorded = existsSync(join(attempt.dir, FILES.jobId)) ? readFileSync(join(attempt.dir, FILES.jobId), 'utf8').trim() : '';
    if (recorded) return recorded;
    return findJobByName(cli, jobName(attempt.id)); // it crashed between sbatch and recording the id
  };

  const launchAttempt = async (attempt: SlurmAttempt): Promise<void> => {
    const { launch, dir } = attempt;
    const problems = launchProblems(launch, LAUNCH_CHECKS);
    if (problems.length > 0) return attempt.finish('failed', `invalid launch: ${problems.join('; ')}`);
    try {
      const earlier = await existingJob(attempt);
      if (earlier) {
        attempt.jobId = earlier;
        attempt.reattached = true;
        attempt.note(`re-attached to Slurm job ${earlier}`);
      } else {
        const paramsFile = prepareAttemptDirSync(dir, launch);
        writeFileSync(join(dir, FILES.script), jobScript(launch, dir), { mode: 0o750 });
        writeFileSync(join(dir, FILES.submitting), `${new Date().toISOString()}\n`);
        const args = sbatchArgs(launch, dir, {
          partition: config.partition,
          account: config.accountFor?.(launch.tenant),
          qos: config.qosFor?.(launchPriority(launch), launch),
          extraArgs: config.sbatchArgs ?? [],
        });
        const res = await cli.run('sbatch', args, { env: sbatchEnvironment(launch, paramsFile, baseEnv, hostEnv) });
        const jobId = res.stdout.trim().split(';')[0];
        if (res.code !== 0 || !/^\d+$/.test(jobId)) {
          return attempt.finish('failed', `Slurm refused the job: ${slurmMessage(res.stderr) || `sbatch exited with code ${res.code}`}`);
        }
        writeFileSync(join(dir, FILES.jobId), `${jobId}\n`);
        attempt.jobId = jobId;
      }
    } catch (error) {
      return attempt.finish('failed', `could not submit to Slurm: ${(error as Error).message}`);
    }
    if (attempt.cancel) await stopJob(attempt, gracePeriodMs);
    schedule();
  };

  const stop = async (attempt: SlurmAttempt, reason: string, graceMs: number): Promise<void> => {
    if (attempt.isFinished || attempt.cancel) return attempt.done;
    attempt.cancel = { reason };
    if (attempt.jobId) await stopJob(attempt, graceMs);
    else if (attempt.isFinished === false) await attempt.submitted; // launchAttempt stops it once it has a job
    return attempt.done;
  };

  return {
    name: 'slurm',
    kind: 'executor',
    apiVersion: EXECUTOR_API_VERSION,
    version: SLURM_EXECUTOR_VERSION,

    submit(launch: TrialLaunch): Promise<void> {
      const answered = submitGate('slurm', launch.attemptId, attempts.get(launch.attemptId)?.submitted, closed);
      if (answered) return answered;
      const attempt = new SlurmAttempt(launch, attemptDir(workRoot, launch), events.emit, logLimitBytes);
      attempts.set(launch.attemptId, attempt);
      attempt.submitted = launchAttempt(attempt);
      return attempt.submitted;
    },

    async cancel(attemptId: string, opts: { graceMs?: number; reason?: string } = {}): Promise<void> {
      const graceMs = nonNegative(opts.graceMs ?? gracePeriodMs, 'graceMs');
      const attempt = attempts.get(attemptId);
      if (attempt) await stop(attempt, opts.reason ?? 'cancelled', graceMs);
    },

    onEvent: events.onEvent,

    async close(): Promise<void> {
      closed = true;
      await Promise.all(unfinished().map((a) => stop(a, 'executor closed', gracePeriodMs)));
      clearTimeout(timer);
      timer = undefined;
      await polling;
    },

    async detach(): Promise<void> {
      closed = true;
      for (const attempt of attempts.values()) clearTimeout(attempt.killTimer);
      attempts.clear();
      clearTimeout(timer);
      timer = undefined;
      await polling;
    },

    jobIdOf: (attemptId) => attempts.get(attemptId)?.jobId,
    pendingReasonOf: (attemptId) => attempts.get(attemptId)?.pendingReason ?? null,
  };
}
