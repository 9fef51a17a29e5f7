import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { harness, harnessPerTest, launchOf } from './testing-internal/harness.js';

const setup = harnessPerTest();

const PRINT_ENV = 'console.log(JSON.stringify({ env: process.env, cwd: process.cwd() }))';

async function runAndReadEnv(h: ReturnType<typeof harness>, launch: ReturnType<typeof launchOf>) {
  await h.executor.submit(launch);
  const exited = await h.exited(launch.attemptId);
  expect(exited.outcome).toBe('succeeded');
  return JSON.parse(h.lines(launch.attemptId, 'stdout')[0]) as { env: Record<string, string>; cwd: string };
}

describe('local executor: trial environment', () => {
  it('gives every trial the host variables, below the launch env and the trial variables', async () => {
    const h = setup({ hostEnv: { FAIRSWEEP_PROJECT_DIR: '/srv/code', SHARED: 'host', FAIRSWEEP_SEED: 'host-cannot-override' } });
    const launch = launchOf({ script: PRINT_ENV, trialId: 'trial-host-env', env: { SHARED: 'launch' } });
    const { env } = await runAndReadEnv(h, launch);
    expect(env.FAIRSWEEP_PROJECT_DIR).toBe('/srv/code');
    expect(env.SHARED).toBe('launch');
    expect(env.FAIRSWEEP_SEED).toBe(String(launch.seed));
  });

  it('writes params.json and passes a scrubbed environment plus the trial variables', async () => {
    process.env.FAIRSWEEP_TEST_SECRET = 'do-not-leak';
    const h = setup();
    const launch = launchOf({
      script: PRINT_ENV,
      trialId: 'trial-env',
      attempt: 2,
      trialIndex: 5,
      seed: 4000000000,
      params: { lr: 0.001, optimizer: 'adam', use_bn: true },
      env: { EPOCHS: '3', FAIRSWEEP_SEED: 'overridden?' },
    });
    const { env, cwd } = await runAndReadEnv(h, launch);
    delete process.env.FAIRSWEEP_TEST_SECRET;
    const dir = h.dirOf(launch);
    expect(dir).toBe(join(h.workRoot, 'acme', 'exp-1', 'trial-env', 'attempt-2'));
    expect(cwd).toBe(dir);

    const paramsFile = join(dir, 'params.json');
    expect(JSON.parse(await readFile(paramsFile, 'utf8'))).toEqual({
      trialId: 'trial-env', experimentId: 'exp-1', trialIndex: 5, attempt: 2, seed: 4000000000,
      params: { lr: 0.001, optimizer: 'adam', use_bn: true },
    });
    const expected: Record<string, string> = {
      EPOCHS: '3',
      FAIRSWEEP_TRIAL_ID: 'trial-env',
      FAIRSWEEP_EXPERIMENT_ID: 'exp-1',
      FAIRSWEEP_TRIAL_INDEX: '5',
      FAIRSWEEP_ATTEMPT: '2',
      FAIRSWEEP_SEED: '4000000000',
      FAIRSWEEP_PARAMS: '{"lr":0.001,"optimizer":"adam","use_bn":true}',
      FAIRSWEEP_PARAMS_FILE: paramsFile,
      FAIRSWEEP_STOP_FILE: join(dir, 'stop.json'),
      FAIRSWEEP_PARAM_LR: '0.001',
      FAIRSWEEP_PARAM_OPTIMIZER: 'adam',
      FAIRSWEEP_PARAM_USE_BN: 'true',
      CUDA_VISIBLE_DEVICES: '',
    };
    for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[name] !== undefined) expected[name] = process.env[name]!;
    // Node adds nothing of its own to a child's environment; anything else came from the parent.
    expect(env).toEqual(expected);
  });

  it('lends each GPU to one attempt at a time and sets CUDA_VISIBLE_DEVICES', async () => {
    const h = setup({ gpuIds: ['0', '1', '2'] });
    const holdGpus = 'console.log(JSON.stringify({ cuda: process.env.CUDA_VISIBLE_DEVICES })); setInterval(() => {}, 1000)';
    const two = launchOf({ script: holdGpus, resources: { cpus: 1, gpus: 2, memoryMb: 64 } });
    const one = launchOf({ script: holdGpus, resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    const tooMany = launchOf({ script: holdGpus, resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    await h.executor.submit(two);
    await h.executor.submit(one);
    await h.executor.submit(tooMany);
    expect(h.of(two.attemptId)[0]).toMatchObject({ type: 'started', devices: ['0', '1'] });
    expect(h.of(one.attemptId)[0]).toMatchObject({ type: 'started', devices: ['2'] });
    expect(await h.exited(tooMany.attemptId)).toMatchObject({
      outcome: 'failed',
      reason: "needs 1 GPU(s) but only 0 of the executor's 3 GPU(s) are free",
    });
    await h.logLine(two.attemptId, '{"cuda":"0,1"}');
    await h.logLine(one.attemptId, '{"cuda":"2"}');

    await h.executor.cancel(two.attemptId, { graceMs: 0 });
    const again = launchOf({ script: holdGpus, resources: { cpus: 1, gpus: 2, memoryMb: 64 } });
    await h.executor.submit(again);
    expect(h.of(again.attemptId)[0]).toMatchObject({ type: 'started', devices: ['0', '1'] });
    await h.logLine(again.attemptId, '{"cuda":"0,1"}');
  });

  it('fails a GPU attempt on an executor without GPUs', async () => {
    const h = setup();
    const launch = launchOf({ resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    await h.executor.submit(launch);
    expect(await h.exited(launch.attemptId)).toMatchObject({
      outcome: 'failed',
      reason: 'needs 1 GPU(s) but this executor has no GPUs configured (gpuIds)',
    });
  });
});
