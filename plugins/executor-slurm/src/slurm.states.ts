import { constants } from 'node:os';
import type { TrialOutcome } from '@fairsweep/sdk';

/** Job states after which nothing more happens to the job. */
export const TERMINAL_STATES = new Set([
  'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE',
  'OUT_OF_MEMORY', 'REVOKED', 'SPECIAL_EXIT',
]);

/** Failures that say nothing about the trial itself: running the attempt again may succeed. */
export const RETRYABLE_STATES = new Set(['NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL']);

/** Marks a retryable failure in an exited event's reason. */
export const RETRYABLE_MARK = '[retryable]';

export function isRetryableReason(reason: string): boolean {
  return reason.endsWith(RETRYABLE_MARK);
}

/** `CANCELLED by 0` → `CANCELLED`. */
export function baseState(state: string): string {
  return state.trim().split(/\s+/)[0]?.replace(/\+$/, '') ?? '';
}

const PENDING_REASONS: Record<string, string> = {
  None: 'submitted, waiting for the scheduler',
  Resources: 'waiting for CPUs, memory or GPUs on the partition to free up',
  Priority: 'queued behind jobs of higher priority',
  Dependency: 'waiting for a job it depends on',
  BeginTime: 'waiting for its start time',
  JobHeldUser: 'held by a user',
  JobHeldAdmin: 'held by an administrator',
  PartitionDown: 'the partition is down',
  PartitionInactive: 'the partition is inactive',
  PartitionNodeLimit: 'asks for more nodes than the partition allows',
  PartitionTimeLimit: 'asks for more time than the partition allows',
  ReqNodeNotAvail: 'a node it needs is not available (down, drained or reserved)',
  NodeDown: 'a node it needs is down',
  QOSGrpCpuLimit: "the CPU limit of its QOS is reached (the tenant's priority class is full)",
  QOSGrpGRES: "the GPU limit of its QOS is reached (the tenant's priority class is full)",
  QOSGrpMemLimit: "the memory limit of its QOS is reached",
  QOSGrpJobsLimit: 'the running-jobs limit of its QOS is reached',
  QOSMaxJobsPerUserLimit: 'the per-user jobs limit of its QOS is reached',
  AssocGrpCpuLimit: "the CPU limit of the tenant's account is reached",
  AssocGrpGRES: "the GPU limit of the tenant's account is reached",
  AssocGrpMemLimit: "the memory limit of the tenant's account is reached",
  AssocGrpJobsLimit: "the running-jobs limit of the tenant's account is reached",
  AssocMaxJobsLimit: "the jobs limit of the tenant's account is reached",
  AssocGrpBillingMinutes: "the tenant's account has used up its billing minutes",
};

/** A readable Fairsweep pending reason for a Slurm pending reason code, ending in `(Slurm: <code>)`. */
export function describePendingReason(code: string): string {
  const text = PENDING_REASONS[code]
    ?? (code.startsWith('QOS') ? 'a limit of its QOS is reached'
      : code.startsWith('Assoc') ? "a limit of the tenant's account is reached"
        : 'pending in Slurm');
  return `${text} (Slurm: ${code})`;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** Slurm's `ExitCode` field, `<status>:<signal>`. */
export function parseExitCode(field: string): { exitCode: number | null; signal: string | null } {
  const match = /^(\d+):(\d+)$/.exec(field.trim());
  if (!match) return { exitCode: null, signal: null };
  const status = Number(match[1]);
  const signal = Number(match[2]);
  if (signal > 0) return { exitCode: null, signal: SIGNAL_NAMES.get(signal) ?? `signal ${signal}` };
  return { exitCode: status, signal: null };
}

export interface JobEnd {
  outcome: TrialOutcome;
  exitCode: number | null;
  signal: string | null;
  reason: string;
  retryable: boolean;
}

/** How a finished job maps to an attempt's outcome, when Fairsweep did not cancel it. */
export function jobEnd(state: string, exitCodeField: string, ctx: { maxRuntimeSeconds: number | null; memoryMb: number }): JobEnd {
  const { exitCode, signal } = parseExitCode(exitCodeField);
  const base = baseState(state);
  const end = (outcome: TrialOutcome, reason: string, retryable = false): JobEnd => ({
    outcome, exitCode, signal, retryable, reason: retryable ? `${reason} ${RETRYABLE_MARK}` : reason,
  });
  const how = signal ? `killed by signal ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
  switch (base) {
    case 'COMPLETED':
      return exitCode === 0 ? end('succeeded', 'exited with code 0') : end('failed', how);
    case 'FAILED':
      return end('failed', how);
    case 'TIMEOUT':
      return end('failed', `exceeded maxRuntimeSeconds=${ctx.maxRuntimeSeconds ?? '?'} (Slurm TIMEOUT)`);
    case 'OUT_OF_MEMORY':
      return end('failed', `ran out of memory: used more than memoryMb=${ctx.memoryMb} (Slurm OUT_OF_MEMORY)`);
    case 'CANCELLED':
      return end('failed', `cancelled in Slurm, not by Fairsweep (${state.trim()})`);
    case 'NODE_FAIL':
      return end('failed', 'the node failed (Slurm NODE_FAIL)', true);
    case 'PREEMPTED':
      return end('failed', 'preempted by Slurm (Slurm PREEMPTED)', true);
    case 'BOOT_FAIL':
      return end('failed', 'the node failed to boot (Slurm BOOT_FAIL)', true);
    default:
      return end('failed', `ended in Slurm state ${state.trim()}, ${how}`);
  }
}
