import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SLURM_EXECUTOR_VERSION } from './slurm.executor.js';
import { jobScript, sbatchArgs, sbatchEnvironment, shellQuote } from './slurm.job-script.js';
import { waitStatus } from './slurm.observer.js';
import { describePendingReason, isRetryableReason, jobEnd, parseExitCode } from './slurm.states.js';
import { shLaunch } from './testing-internal/slurm-harness.js';

const ctx = { maxRuntimeSeconds: 90, memoryMb: 512 };

describe('Slurm states', () => {
  it('parses ExitCode fields', () => {
    expect(parseExitCode('3:0')).toEqual({ exitCode: 3, signal: null });
    expect(parseExitCode('0:9')).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(parseExitCode('garbage')).toEqual({ exitCode: null, signal: null });
    expect(waitStatus('65280')).toBe('255:0');
    expect(waitStatus('9')).toBe('0:9');
    expect(waitStatus('')).toBe('');
  });

  it('classifies ends: retryable only for node failures, preemption and boot failures', () => {
    expect(jobEnd('COMPLETED', '0:0', ctx)).toMatchObject({ outcome: 'succeeded', retryable: false });
    expect(jobEnd('FAILED', '2:0', ctx)).toMatchObject({ outcome: 'failed', exitCode: 2, reason: 'exited with code 2', retryable: false });
    expect(jobEnd('TIMEOUT', '0:15', ctx).reason).toBe('exceeded maxRuntimeSeconds=90 (Slurm TIMEOUT)');
    expect(jobEnd('OUT_OF_MEMORY', '0:125', ctx).reason).toContain('memoryMb=512');
    expect(jobEnd('CANCELLED by 0', '0:0', ctx).reason).toBe('cancelled in Slurm, not by Fairsweep (CANCELLED by 0)');
    for (const state of ['NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL']) {
      const end = jobEnd(state, '0:0', ctx);
      expect(end).toMatchObject({ outcome: 'failed', retryable: true });
      expect(isRetryableReason(end.reason)).toBe(true);
    }
    expect(isRetryableReason(jobEnd('FAILED', '1:0', ctx).reason)).toBe(false);
  });

  it('words pending reasons and keeps the code', () => {
    expect(describePendingReason('Resources')).toBe('waiting for CPUs, memory or GPUs on the partition to free up (Slurm: Resources)');
    expect(describePendingReason('AssocGrpGRES')).toBe("the GPU limit of the tenant's account is reached (Slurm: AssocGrpGRES)");
    expect(describePendingReason('QOSGrpNodeLimit')).toBe('a limit of its QOS is reached (Slurm: QOSGrpNodeLimit)');
    expect(describePendingReason('Whatever')).toBe('pending in Slurm (Slurm: Whatever)');
  });
});

describe('job script and sbatch arguments', () => {
  const launch = shLaunch("echo 'it''s'", { resources: { cpus: 2, gpus: 2, memoryMb: 1000.5 }, maxRuntimeSeconds: 61 });

  it('asks for exactly what the launch needs', () => {
    expect(sbatchArgs(launch, '/w/a', { account: 'acme', qos: 'fs-standard', partition: 'gpu', extraArgs: ['--constraint=a100'] })).toEqual([
      '--parsable', `--job-name=fs-${launch.attemptId}`, '--chdir=/w/a', '--output=/w/a/stdout.log', '--error=/w/a/stderr.log',
      '--nodes=1', '--ntasks=1', '--cpus-per-task=2', '--mem=1001M', '--export=ALL', '--no-requeue', '--gres=gpu:2', '--time=2',
      '--partition=gpu', '--account=acme', '--qos=fs-standard', '--constraint=a100', '/w/a/job.sh',
    ]);
  });

  it('execs the argv, quoted for the shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(jobScript(launch, '/w/a').trim().split('\n').at(-1)).toBe(`exec '/bin/sh' '-c' 'echo '\\''it'\\'''\\''s'\\'''`);
  });

  it('drops variables that would steer Slurm', () => {
    const env = sbatchEnvironment({ ...launch, env: { SBATCH_QOS: 'x', SLURM_CONF: '/etc/x', A: '1' } }, '/w/a/params.json', { PATH: '/bin', SLURM_CONF: '/c' }, { SALLOC_X: '1' });
    expect(env).toMatchObject({ PATH: '/bin', A: '1', SLURM_CONF: '/c', CUDA_VISIBLE_DEVICES: '' });
    expect(Object.keys(env).filter((k) => /^(SBATCH|SALLOC)_/.test(k))).toEqual([]);
  });

  it('keeps SLURM_EXECUTOR_VERSION equal to package.json', () => {
    expect(SLURM_EXECUTOR_VERSION).toBe(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version);
  });
});
