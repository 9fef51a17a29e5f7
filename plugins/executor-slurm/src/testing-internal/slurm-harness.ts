import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog, uniqueAttemptLaunch, type TrialLaunch } from '@fairsweep/sdk';
import { createSlurmExecutor, type SlurmExecutor, type SlurmExecutorConfig } from '../slurm.executor.js';

export const TIMEOUT_MS = 30000;

/** A Slurm executor on a fresh work root (on /tmp: this single node shares it), recording events. */
export function slurmHarness(config: Partial<SlurmExecutorConfig> = {}) {
  const workRoot = config.workRoot ?? mkdtempSync(join(tmpdir(), 'fs-slurm-'));
  const executor: SlurmExecutor = createSlurmExecutor({
    workRoot, pollIntervalMs: 200, gracePeriodMs: 2000, accountFor: (tenant) => tenant, ...config,
  });
  const log = new EventLog(executor);
  const exited = (launch: TrialLaunch) => log.exited(launch.attemptId, TIMEOUT_MS);
  return { executor, log, exited, workRoot };
}

/** `slurmHarness` for a test file: each executor it makes is closed after its test. */
export function slurmHarnessPerTest(): (config?: Partial<SlurmExecutorConfig>) => ReturnType<typeof slurmHarness> {
  const open: ReturnType<typeof slurmHarness>[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.executor.close()));
  });
  return (config) => {
    const h = slurmHarness(config);
    open.push(h);
    return h;
  };
}

/** A launch for tenant acme running a /bin/sh script. */
export function shLaunch(script: string, extra: Partial<TrialLaunch> = {}): TrialLaunch {
  return uniqueAttemptLaunch({ tenant: 'acme', ...extra }, script);
}

/**
 * sacct fields of a job, e.g. `sacctOf(id, 'Account,QOS')` → ['acme', 'normal'], once slurmdbd has
 * the whole record (right after the end it may still show QOS Unknown and JobName allocation).
 */
export async function sacctOf(jobId: string, fields: string): Promise<string[]> {
  for (let i = 0; ; i++) {
    const out = execFileSync('sacct', ['-n', '-X', '-P', '-j', jobId, '-o', `${fields},QOS,JobName`], { encoding: 'utf8' }).trim().split('|');
    const complete = out.at(-2) !== 'Unknown' && out.at(-1) !== 'allocation';
    if (complete || i >= 20) return out.slice(0, -2);
    await sleep(250);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
