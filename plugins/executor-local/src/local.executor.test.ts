import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertPlugin } from '@fairsweep/sdk';
import createDefault, { createLocalExecutor, LOCAL_EXECUTOR_VERSION } from './index.js';
import { alive, harnessPerTest, launchOf } from './testing-internal/harness.js';

const setup = harnessPerTest();

describe('local executor: plugin', () => {
  it('is a valid executor plugin named local, exported as default too', () => {
    const executor = createLocalExecutor({ workRoot: '/tmp/x' });
    expect(() => assertPlugin(executor, 'executor')).not.toThrow();
    expect(executor).toMatchObject({ name: 'local', kind: 'executor', apiVersion: '1', version: '0.1.0' });
    expect(createDefault).toBe(createLocalExecutor);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(LOCAL_EXECUTOR_VERSION).toBe(pkg.version);
  });

  it.each([
    [{ workRoot: '' }, /workRoot must be a non-empty string/],
    [{ workRoot: '/tmp', gracePeriodMs: -1 }, /gracePeriodMs must be a number >= 0/],
    [{ workRoot: '/tmp', logLimitBytes: Number.NaN }, /logLimitBytes must be a number >= 0/],
    [{ workRoot: '/tmp', gpuIds: ['0', '0'] }, /gpuIds lists "0" twice/],
  ])('refuses config %j', (config, message) => {
    expect(() => createLocalExecutor(config)).toThrow(message);
  });
});

describe('local executor: running attempts', () => {
  it('runs a trial, turning protocol lines into metrics and every line into logs', async () => {
    const h = setup();
    const launch = launchOf({
      script: [
        'console.log("epoch 1");',
        'console.log("FAIRSWEEP_METRIC loss=0.5 acc=0.8 step=1");',
        'console.error("warning: slow");',
        'console.log("FAIRSWEEP_METRIC loss=nan");',
        'process.stdout.write("FAIRSWEEP_METRIC loss=0.25");', // last line without a newline
      ].join(''),
    });
    await h.executor.submit(launch);
    const exited = await h.exited(launch.attemptId);
    expect(exited).toMatchObject({ outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exited with code 0' });

    const events = h.of(launch.attemptId);
    expect(events[0]).toMatchObject({ type: 'started', host: 'test-host', devices: [], workDir: h.dirOf(launch) });
    expect(events[0].type === 'started' && events[0].pid).toBeGreaterThan(0);
    expect(events[events.length - 1]).toBe(exited);
    expect(events.filter((e) => e.type === 'exited')).toHaveLength(1);
    expect(events.flatMap((e) => (e.type === 'metric' ? [[e.name, e.value, e.step]] : []))).toEqual([
      ['loss', 0.5, 1],
      ['acc', 0.8, 1],
      ['loss', 0.25, null],
    ]);
    expect(h.lines(launch.attemptId, 'stdout')).toEqual([
      'epoch 1', 'FAIRSWEEP_METRIC loss=0.5 acc=0.8 step=1', 'FAIRSWEEP_METRIC loss=nan', 'FAIRSWEEP_METRIC loss=0.25',
    ]);
    // stdout and stderr are separate pipes: their relative order is not defined
    expect(h.lines(launch.attemptId, 'stderr').sort()).toEqual([
      '[fairsweep] malformed FAIRSWEEP_METRIC line ignored: value of loss must be a finite number, got "nan"',
      'warning: slow',
    ]);
    const dir = h.dirOf(launch);
    expect(await readFile(join(dir, 'stdout.log'), 'utf8')).toBe(
      'epoch 1\nFAIRSWEEP_METRIC loss=0.5 acc=0.8 step=1\nFAIRSWEEP_METRIC loss=nan\nFAIRSWEEP_METRIC loss=0.25',
    );
    expect(await readFile(join(dir, 'stderr.log'), 'utf8')).toBe('warning: slow\n');
  });

  it('reports a non-zero exit code as a failure naming the code', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', 'echo oops >&2; exit 3'] });
    await h.executor.submit(launch);
    expect(await h.exited(launch.attemptId)).toMatchObject({ outcome: 'failed', exitCode: 3, signal: null, reason: 'exited with code 3' });
    expect(h.lines(launch.attemptId, 'stderr')).toEqual(['oops']);
  });

  it('reports death by a signal it did not send as a failure', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', 'kill -9 $$'] });
    await h.executor.submit(launch);
    expect(await h.exited(launch.attemptId)).toMatchObject({ outcome: 'failed', exitCode: null, signal: 'SIGKILL', reason: 'killed by signal SIGKILL' });
  });

  it('fails an attempt whose program does not exist, without a started event', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/nonexistent/train-model', '--x'] });
    await h.executor.submit(launch);
    const exited = await h.exited(launch.attemptId);
    expect(exited).toMatchObject({ outcome: 'failed', exitCode: null, signal: null });
    expect(exited.reason).toMatch(/^could not start "\/nonexistent\/train-model": spawn \/nonexistent\/train-model ENOENT/);
    expect(h.of(launch.attemptId).map((e) => e.type)).toEqual(['exited']);
  });

  it('fails a launch whose ids cannot name a directory, touching nothing outside the work root', async () => {
    const h = setup();
    const launch = launchOf({ tenant: '..', trialId: 'a/b' });
    await h.executor.submit(launch);
    const exited = await h.exited(launch.attemptId);
    expect(exited.outcome).toBe('failed');
    expect(exited.reason).toMatch(/^invalid launch: tenant "\.\." cannot name a directory.*; trialId "a\/b" cannot name a directory/);
    expect(existsSync(join(h.workRoot, '..', 'exp-1'))).toBe(false);
  });

  it('treats a second submit of the same attempt as a no-op', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', 'echo once'] });
    await Promise.all([h.executor.submit(launch), h.executor.submit({ ...launch })]);
    await h.exited(launch.attemptId);
    await h.executor.submit(launch);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.of(launch.attemptId).map((e) => e.type)).toEqual(['started', 'log', 'exited']);
  });

  it('kills what the trial left running in its process group when it exits', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', 'sleep 30 & echo $!'] });
    await h.executor.submit(launch);
    expect((await h.exited(launch.attemptId)).outcome).toBe('succeeded');
    const orphan = Number(h.lines(launch.attemptId, 'stdout')[0]);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(orphan)).toBe(false);
  });

  it('caps log files and log events at logLimitBytes, still collecting metrics', async () => {
    const h = setup({ logLimitBytes: 100 });
    const launch = launchOf({ script: 'for (let i = 0; i < 50; i++) console.log("line " + String(i).padStart(3, "0")); console.log("FAIRSWEEP_METRIC late=1")' });
    await h.executor.submit(launch);
    await h.exited(launch.attemptId);
    expect((await readFile(join(h.dirOf(launch), 'stdout.log'))).length).toBe(100);
    expect(h.lines(launch.attemptId, 'stdout')).toHaveLength(11); // 9 bytes per line
    expect(h.lines(launch.attemptId, 'stderr')).toEqual([
      '[fairsweep] stdout passed the log limit of 100 bytes; later lines are not logged (metrics are still collected)',
    ]);
    expect(h.of(launch.attemptId).some((e) => e.type === 'metric' && e.name === 'late')).toBe(true);
  });

  it('keeps going when a listener throws, and stops calling unsubscribed listeners', async () => {
    const h = setup();
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const unsubscribe = h.executor.onEvent(() => {
      throw new Error('listener bug');
    });
    const seen: string[] = [];
    const off = h.executor.onEvent((e) => seen.push(e.type));
    off();
    const launch = launchOf();
    await h.executor.submit(launch);
    expect((await h.exited(launch.attemptId)).outcome).toBe('succeeded');
    unsubscribe();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
    expect(seen).toEqual([]);
  });
});
