import type { DeviceInfo } from '@fairsweep/sdk';
import type { SlurmCli } from './slurm.cli.js';
import { parseJobGpus } from './slurm.gres.js';
import { baseState } from './slurm.states.js';

export interface QueueStatus {
  state: string;
  reason: string;
  nodes: string;
  /** `<status>:<signal>` from the raw wait status (exact, unlike sacct's in 22.05). */
  exitCode: string;
}

export interface AccountingStatus {
  state: string;
  exitCode: string;
}

/**
 * The live state of jobs from squeue: a map by job id, without the jobs squeue no longer knows
 * (finished more than MinJobAge ago); `null` when squeue itself failed (controller unreachable).
 */
export async function queueStatus(cli: SlurmCli, jobIds: string[]): Promise<Map<string, QueueStatus> | null> {
  const found = new Map<string, QueueStatus>();
  if (jobIds.length === 0) return found;
  const format = 'JobID:30|,State:30|,Reason:200|,NodeList:500|,exit_code:20|';
  const res = await cli.run('squeue', ['-h', '-t', 'all', '-j', jobIds.join(','), '-O', format]);
  if (res.code !== 0) return /Invalid job id/i.test(res.stderr) ? found : null;
  for (const line of res.stdout.split('\n')) {
    const [id, state, reason, nodes, status] = line.split('|').map((f) => f.trim());
    if (id && state) found.set(id, { state: baseState(state), reason: reason ?? '', nodes: nodes ?? '', exitCode: waitStatus(status) });
  }
  return found;
}

/** A raw wait status (65280) as Slurm's `<status>:<signal>` (255:0). */
export function waitStatus(raw: string | undefined): string {
  const value = Number(raw);
  if (!raw || !Number.isSafeInteger(value) || value < 0) return '';
  return `${(value >> 8) & 0xff}:${value & 0x7f}`;
}

/** Exact end states and exit codes from sacct (slurmdbd); `null` when sacct failed. */
export async function accountingStatus(cli: SlurmCli, jobIds: string[]): Promise<Map<string, AccountingStatus> | null> {
  const found = new Map<string, AccountingStatus>();
  if (jobIds.length === 0) return found;
  const res = await cli.run('sacct', ['-n', '-X', '-P', '-j', jobIds.join(','), '-o', 'JobID,State,ExitCode']);
  if (res.code !== 0) return null;
  for (const line of res.stdout.split('\n')) {
    const [id, state, exitCode] = line.trim().split('|');
    if (id && state) found.set(id, { state: baseState(state), exitCode: exitCode ?? '' });
  }
  return found;
}

/** The newest job with this name, live or in the accounting history (last 30 days). */
export async function findJobByName(cli: SlurmCli, name: string): Promise<string | undefined> {
  const live = await cli.run('squeue', ['-h', '-t', 'all', '-n', name, '-o', '%i']);
  const liveIds = live.code === 0 ? live.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
  if (liveIds.length > 0) return liveIds.sort((a, b) => Number(a) - Number(b)).pop();
  const past = await cli.run('sacct', ['-n', '-X', '-P', '-S', 'now-30days', '--name', name, '-o', 'JobID']);
  const pastIds = past.code === 0 ? past.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [];
  return pastIds.sort((a, b) => Number(a) - Number(b)).pop();
}

/** The GPUs Slurm allocated to a job (`scontrol -d -o show job`, see parseJobGpus); `null` when scontrol failed (e.g. a job it has forgotten). */
export async function jobGpus(cli: SlurmCli, jobId: string): Promise<DeviceInfo[] | null> {
  const res = await cli.run('scontrol', ['-d', '-o', 'show', 'job', jobId]);
  return res.code === 0 ? parseJobGpus(res.stdout) : null;
}
