import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorEvent } from '@fairsweep/sdk';
import { SlurmAttempt } from './slurm.attempt.js';
import type { SlurmCli } from './slurm.cli.js';
import { pollOnce } from './slurm.poll.js';
import { shLaunch } from './testing-internal/slurm-harness.js';

// The fixture's single node cannot fail or be preempted without disturbing other tests, so the end
// states of infrastructure failures come from a scripted squeue here (their wording: slurm.states.test).
function endedAs(state: string, exitCode: string): Promise<Extract<ExecutorEvent, { type: 'exited' }>> {
  const events: ExecutorEvent[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'fs-slurm-poll-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'slurm-started.env'), 'host=node7\npid=42\nslurm_job_gpus=1\n');
  writeFileSync(join(dir, 'stdout.log'), 'FAIRSWEEP_METRIC loss=1 step=1\n');
  const attempt = new SlurmAttempt(shLaunch('true'), dir, (e) => events.push(e), 1 << 20);
  attempt.jobId = '77';
  const cli: SlurmCli = {
    run: async (command) => (command === 'squeue'
      ? { code: 0, stdout: `77|${state}|None|node7|${exitCode}|\n`, stderr: '' }
      : { code: 1, stdout: '', stderr: `${command} not expected` }),
  };
  return pollOnce(cli, [attempt]).then(() => events.find((e) => e.type === 'exited') as Extract<ExecutorEvent, { type: 'exited' }>);
}

describe('poll: how an ended job ends its attempt', () => {
  it.each(['NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL'])('%s: failed, retryable', async (state) => {
    const exited = await endedAs(state, '0');
    expect(exited).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringContaining(`Slurm ${state}`) });
  });

  it.each([['FAILED', '768'], ['TIMEOUT', '15'], ['OUT_OF_MEMORY', '0'], ['CANCELLED', '15']])('%s: the trial\'s own failure, not retryable', async (state, status) => {
    const exited = await endedAs(state, status);
    expect(exited.outcome).toBe('failed');
    expect(exited).not.toHaveProperty('retryable');
  });
});
