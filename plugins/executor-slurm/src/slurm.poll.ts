import type { GpusOf, SlurmAttempt } from './slurm.attempt.js';
import type { SlurmCli } from './slurm.cli.js';
import { accountingStatus, jobGpus, queueStatus, type AccountingStatus } from './slurm.observer.js';
import { jobEnd, parseExitCode, RETRYABLE_MARK, TERMINAL_STATES } from './slurm.states.js';

/** Polls in a row a job may be missing from both squeue and sacct (slurmdbd lags) before it counts as lost. */
const PATIENCE = 20;

/**
 * One observation round over the attempts that have a job: squeue for live states (pending
 * reasons, start, output, exact exit status), and sacct for jobs the controller has forgotten.
 */
export async function pollOnce(cli: SlurmCli, attempts: SlurmAttempt[]): Promise<void> {
  const active = attempts.filter((a) => a.jobId !== undefined && !a.isFinished);
  if (active.length === 0) return;
  const queue = await queueStatus(cli, active.map((a) => a.jobId!));
  if (queue === null) return; // controller unreachable: try again next round, never guess
  const gpusOf = (jobId: string) => jobGpus(cli, jobId);
  const ended: { attempt: SlurmAttempt; end?: AccountingStatus }[] = [];
  for (const attempt of active) {
    const status = queue.get(attempt.jobId!);
    if (!status) {
      ended.push({ attempt }); // gone from squeue (older than MinJobAge): ask sacct
    } else if (status.state === 'PENDING') {
      attempt.notePending(status.reason);
    } else {
      if (await attempt.observeStarted(gpusOf)) await attempt.tail();
      if (TERMINAL_STATES.has(status.state)) ended.push({ attempt, end: { state: status.state, exitCode: status.exitCode } });
    }
  }
  if (ended.length === 0) return;
  // squeue's raw exit status is exact while the controller holds the job; sacct masks codes above
  // 127 in 22.05 (255 shows as 127), so it only serves jobs the controller has forgotten.
  const forgotten = ended.filter((e) => !e.end).map((e) => e.attempt.jobId!);
  const accounting = forgotten.length > 0 ? await accountingStatus(cli, forgotten) : null;
  for (const { attempt, end: live } of ended) {
    const end = live ?? accounting?.get(attempt.jobId!);
    if (isEnd(end)) {
      await finishFromSlurm(attempt, end, gpusOf);
    } else if (++attempt.accountingMisses >= PATIENCE) {
      attempt.finish('failed', `Slurm job ${attempt.jobId} is unknown to squeue and sacct: lost ${RETRYABLE_MARK}`, null, null, true);
    }
  }
}

function isEnd(status: AccountingStatus | undefined): status is AccountingStatus {
  return status !== undefined && TERMINAL_STATES.has(status.state);
}

async function finishFromSlurm(attempt: SlurmAttempt, end: AccountingStatus, gpusOf: GpusOf): Promise<void> {
  await attempt.observeStarted(gpusOf);
  await attempt.tail(true);
  if (attempt.cancel) {
    const { exitCode, signal } = parseExitCode(end.exitCode);
    return attempt.finish('cancelled', attempt.cancel.reason, exitCode, signal);
  }
  const { resources, maxRuntimeSeconds } = attempt.launch;
  const result = jobEnd(end.state, end.exitCode, { maxRuntimeSeconds, memoryMb: resources.memoryMb });
  attempt.finish(result.outcome, result.reason, result.exitCode, result.signal, result.retryable);
}
