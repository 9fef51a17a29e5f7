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

describe('poll: the started event names the GPUs Slurm allocated', () => {
  /** One poll round over a running job whose launch asked for `gpus`; scontrol answers `scontrol` (or fails). */
  async function startedOf(gpus: number, scontrol: { code: number; stdout: string }) {
    const events: ExecutorEvent[] = [];
    const calls: string[][] = [];
    const dir = mkdtempSync(join(tmpdir(), 'fs-slurm-poll-'));
    writeFileSync(join(dir, 'slurm-started.env'), 'host=vm\npid=42\nslurm_job_gpus=1,3\ncuda_visible_devices=1,3\n');
    const attempt = new SlurmAttempt(shLaunch('true', { resources: { cpus: 1, gpus, memoryMb: 64 } }), dir, (e) => events.push(e), 1 << 20);
    attempt.jobId = '78';
    const cli: SlurmCli = {
      run: async (command, args) => {
        calls.push([command, ...args]);
        if (command === 'squeue') return { code: 0, stdout: '78|RUNNING|None|vm||\n', stderr: '' };
        if (command === 'scontrol') return { ...scontrol, stderr: scontrol.code === 0 ? '' : 'slurm_load_jobs error: Invalid job id specified' };
        return { code: 1, stdout: '', stderr: `${command} not expected` };
      },
    };
    await pollOnce(cli, [attempt]);
    return { started: events.find((e) => e.type === 'started') as Extract<ExecutorEvent, { type: 'started' }>, calls };
  }

  it('from scontrol -d show job, for a job that asked for GPUs', async () => {
    const { started, calls } = await startedOf(2, { code: 0, stdout: 'JobId=78 JOB_GRES=gpu:2   Nodes=vm CPU_IDs=1 Mem=64 GRES=gpu:2(IDX:1,3) MinCPUsNode=1\n' });
    expect(calls).toContainEqual(['scontrol', '-d', '-o', 'show', 'job', '78']);
    expect(started).toMatchObject({ devices: ['1', '3'], gpus: [{ id: '1' }, { id: '3' }] });
  });

  it('without gpus when Slurm names none or cannot be asked; never asks for a job without GPUs', async () => {
    const none = await startedOf(2, { code: 0, stdout: 'JobId=78 JOB_GRES=(null) Nodes=vm CPU_IDs=1 Mem=64 GRES= MinCPUsNode=1\n' });
    expect(none.started).not.toHaveProperty('gpus');
    const failed = await startedOf(2, { code: 1, stdout: '' });
    expect(failed.started).toMatchObject({ devices: ['1', '3'] });
    expect(failed.started).not.toHaveProperty('gpus');
    const cpuOnly = await startedOf(0, { code: 0, stdout: '' });
    expect(cpuOnly.calls.map((c) => c[0])).toEqual(['squeue']);
    expect(cpuOnly.started).not.toHaveProperty('gpus');
  });
});
