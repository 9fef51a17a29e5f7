import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorEvent } from '@fairsweep/sdk';
import { sacctOf, shLaunch, slurmHarnessPerTest } from './testing-internal/slurm-harness.js';

const setup = slurmHarnessPerTest();

const startedOf = (events: ExecutorEvent[]) => events.find((e) => e.type === 'started') as Extract<ExecutorEvent, { type: 'started' }>;

describe('slurm executor on a real Slurm', () => {
  it('pins GPUs: two trials asking for one GPU each run at once on different devices, named in started.gpus', async () => {
    const h = setup();
    const script = 'echo "FAIRSWEEP_METRIC cuda=$CUDA_VISIBLE_DEVICES"; sleep 2';
    const a = shLaunch(script, { resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    const b = shLaunch(script, { resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    await Promise.all([h.executor.submit(a), h.executor.submit(b)]);
    await Promise.all([h.exited(a), h.exited(b)]);
    const [da, db] = [startedOf(h.log.of(a.attemptId)).devices, startedOf(h.log.of(b.attemptId)).devices];
    expect(da).toHaveLength(1);
    expect(db).toHaveLength(1);
    expect(da[0]).not.toBe(db[0]);
    expect(startedOf(h.log.of(a.attemptId)).gpus).toEqual([{ id: da[0] }]);
    expect(startedOf(h.log.of(b.attemptId)).gpus).toEqual([{ id: db[0] }]);
    for (const [launch, devices] of [[a, da], [b, db]] as const) {
      const cuda = h.log.of(launch.attemptId).find((e) => e.type === 'metric' && e.name === 'cuda');
      expect(cuda).toMatchObject({ value: Number(devices[0]) });
      expect((await sacctOf(h.executor.jobIdOf(launch.attemptId)!, 'AllocTRES'))[0]).toContain('gres/gpu=1');
    }
  });

  it('charges the tenant\'s account and the priority class\'s QOS (as sacct records them)', async () => {
    const h = setup({ accountFor: (tenant) => tenant, qosFor: (priority) => `fs-${priority}` });
    const critical = { ...shLaunch('exit 0', { tenant: 'globex' }), priority: 'critical' };
    const standard = shLaunch('exit 0', { tenant: 'acme' });
    await Promise.all([h.executor.submit(critical), h.executor.submit(standard)]);
    await Promise.all([h.exited(critical), h.exited(standard)]);
    expect(await sacctOf(h.executor.jobIdOf(critical.attemptId)!, 'Account,QOS,JobName')).toEqual(['globex', 'fs-critical', `fs-${critical.attemptId}`]);
    expect(await sacctOf(h.executor.jobIdOf(standard.attemptId)!, 'Account,QOS')).toEqual(['acme', 'fs-standard']);
  });

  it('turns a pending reason into words, and cancels a pending job', async () => {
    const h = setup();
    const first = shLaunch('echo "FAIRSWEEP_METRIC ready=1"; sleep 30', { tenant: 'tiny' });
    const second = shLaunch('exit 0', { tenant: 'tiny' });
    await h.executor.submit(first);
    await h.log.metric(first.attemptId, 'ready', 30000);
    await h.executor.submit(second);
    await h.log.until(() => /QOSGrpCpuLimit/.test(h.executor.pendingReasonOf(second.attemptId) ?? ''), 'the QOS pending reason', 10000);
    expect(h.executor.pendingReasonOf(second.attemptId)).toBe("the CPU limit of its QOS is reached (the tenant's priority class is full) (Slurm: QOSGrpCpuLimit)");
    expect(h.log.of(second.attemptId)).toContainEqual(expect.objectContaining({
      type: 'log', stream: 'stderr', line: expect.stringMatching(/^\[fairsweep\] pending in Slurm \(job \d+\): .*QOSGrpCpuLimit/),
    }));
    await h.executor.cancel(second.attemptId, { reason: 'no longer needed' });
    expect(await h.exited(second)).toMatchObject({ outcome: 'cancelled', reason: 'no longer needed' });
    expect(h.log.of(second.attemptId).some((e) => e.type === 'started')).toBe(false);
  });

  it('reads exit codes and signals exactly', async () => {
    const h = setup();
    const cases = [
      { launch: shLaunch('exit 3'), expected: { outcome: 'failed', exitCode: 3, signal: null, reason: 'exited with code 3' } },
      { launch: shLaunch('exit 255'), expected: { outcome: 'failed', exitCode: 255, signal: null } },
      { launch: shLaunch('kill -KILL $$'), expected: { outcome: 'failed', exitCode: null, signal: 'SIGKILL', reason: 'killed by signal SIGKILL' } },
      { launch: shLaunch('exit 0'), expected: { outcome: 'succeeded', exitCode: 0 } },
    ];
    await Promise.all(cases.map((c) => h.executor.submit(c.launch)));
    for (const c of cases) expect(await h.exited(c.launch)).toMatchObject(c.expected);
  });

  it('surfaces Slurm\'s refusals as failed attempts with Slurm\'s message', async () => {
    const h = setup({ qosFor: () => 'tiny-deny' });
    const overQos = shLaunch('exit 0', { tenant: 'tiny', resources: { cpus: 2, gpus: 0, memoryMb: 64 } });
    const unknownAccount = shLaunch('exit 0', { tenant: 'nobody' });
    const tooBig = shLaunch('exit 0', { tenant: 'acme', resources: { cpus: 99, gpus: 0, memoryMb: 64 } });
    const h2 = setup();
    await Promise.all([h.executor.submit(overQos), h.executor.submit(unknownAccount), h2.executor.submit(tooBig)]);
    expect(await h.exited(overQos)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^Slurm refused the job: QOSGrpCpuLimit; .*accounting\/QOS policy/) });
    expect(await h.exited(unknownAccount)).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('Invalid account') });
    expect(await h2.exited(tooBig)).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('More processors requested than permitted') });
  });

  it('gives the trial the same environment and files as the local executor', async () => {
    const h = setup({ hostEnv: { FROM_HOST: 'host', SBATCH_ACCOUNT: 'globex' } });
    const launch = shLaunch('env > env.txt; pwd > pwd.txt', { env: { FROM_SPEC: 'a b \'c\'', SLURM_JOB_NAME: 'x' }, params: { lr: 0.5, optimizer: 'sgd' } });
    await h.executor.submit(launch);
    expect(await h.exited(launch)).toMatchObject({ outcome: 'succeeded' });
    const dir = join(h.workRoot, 'acme', launch.experimentId, launch.trialId, 'attempt-1');
    const env = Object.fromEntries(readFileSync(join(dir, 'env.txt'), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env).toMatchObject({
      FROM_HOST: 'host', FROM_SPEC: 'a b \'c\'', FAIRSWEEP_TRIAL_ID: launch.trialId, FAIRSWEEP_SEED: String(launch.seed),
      FAIRSWEEP_PARAM_LR: '0.5', FAIRSWEEP_PARAMS: '{"lr":0.5,"optimizer":"sgd"}', FAIRSWEEP_PARAMS_FILE: join(dir, 'params.json'),
      CUDA_VISIBLE_DEVICES: '', SLURM_JOB_NAME: `fs-${launch.attemptId}`,
    });
    expect(env.SBATCH_ACCOUNT).toBeUndefined();
    expect(await sacctOf(h.executor.jobIdOf(launch.attemptId)!, 'Account')).toEqual(['acme']);
    expect(readFileSync(join(dir, 'pwd.txt'), 'utf8').trim()).toBe(dir);
    expect(JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'))).toEqual({
      trialId: launch.trialId, experimentId: launch.experimentId, trialIndex: launch.trialIndex, attempt: 1, seed: launch.seed, params: { lr: 0.5, optimizer: 'sgd' },
    });
  });
});
