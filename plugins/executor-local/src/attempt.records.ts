import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceInfo } from '@fairsweep/sdk';

/** Files an attempt's directory holds besides params.json and the trial's own files. */
export const FILES = {
  /** Written by the executor before it asks the supervisor to spawn: who runs it, where, with which GPUs. */
  launched: 'launched.json',
  /** Written by the supervisor once the trial runs. */
  pid: 'pid.json',
  /** Written by the supervisor, atomically, once the trial has ended and its output is flushed. */
  exit: 'exit.json',
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  /** `<stream offset> <line>` per FAIRSWEEP_METRIC line that did not fit in stdout.log. */
  overflow: 'stdout.overflow',
} as const;

/** A GPU of this host: the id handed out in CUDA_VISIBLE_DEVICES, and what nvidia-smi says it is. */
export type GpuDevice = DeviceInfo;

export interface LaunchedRecord {
  host: string;
  supervisorPid: number;
  supervisorStart: string | null;
  devices: string[];
  gpus: GpuDevice[];
  notes: string[];
  cgroup: string | null;
  at: string;
}

export interface PidRecord {
  pid: number;
  start: string | null;
}

export interface ExitRecord {
  code: number | null;
  signal: string | null;
  error: string | null;
  stdoutBytes: number;
  stderrBytes: number;
  at: string;
}

/** A JSON record of the attempt, or null when it does not exist (yet). */
export function readRecord<T>(dir: string, file: string): T | null {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${join(dir, file)}: ${(error as Error).message}`);
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null off Linux or when gone. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is still the process that was recorded (same start time where known), so that a
 * recycled pid is never taken for it — nor signalled. Zombies count as gone.
 */
export function isSameProcess(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return start === null; // no /proc: trust kill(0)
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return false;
  return start === null || fields[19] === start;
}
