import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorEvent, TrialLaunch } from '@fairsweep/sdk';
import { alive, harnessPerTest, launchOf } from './testing-internal/harness.js';

const setup = harnessPerTest();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const record = (h: { dirOf: (l: TrialLaunch) => string }, l: TrialLaunch, file: string) => JSON.parse(readFileSync(join(h.dirOf(l), file), 'utf8'));
const metrics = (events: ExecutorEvent[]) => events.flatMap((e) => (e.type === 'metric' ? [`${e.name}=${e.value}@${e.seq}`] : []));

/** Waits on `go` in its work dir; reports a metric before and after. */
const WAITER = 'echo run >> runs.txt; echo "FAIRSWEEP_METRIC ready=1"; while [ ! -f go ]; do sleep 0.05; done; echo "FAIRSWEEP_METRIC loss=0.25 step=2"; exit 3';

describe('local executor: re-attaching after a restart', () => {
  it('picks up an attempt that ended while no executor watched: replays its output with the same seq, exit code as recorded', async () => {
    const first = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', WAITER] });
    await first.executor.submit(launch);
    await first.logLine(launch.attemptId, 'FAIRSWEEP_METRIC ready=1');
    await first.executor.detach();
    writeFileSync(join(first.dirOf(launch), 'go'), '');
    for (let i = 0; i < 100 && !existsSync(join(first.dirOf(launch), 'exit.json')); i++) await sleep(50);

    const second = setup({ workRoot: first.workRoot });
    await second.executor.submit(launch);
    expect(await second.exited(launch.attemptId)).toMatchObject({ outcome: 'failed', exitCode: 3, reason: 'exited with code 3' });
    expect(second.of(launch.attemptId)[0]).toMatchObject({ type: 'started', reattached: true, host: 'test-host' });
    expect(metrics(second.of(launch.attemptId))).toEqual([...metrics(first.of(launch.attemptId)), expect.stringMatching(/^loss=0.25@\d+$/)]);
    expect(readFileSync(join(first.dirOf(launch), 'runs.txt'), 'utf8')).toBe('run\n');
  });

  it('cancels a re-attached attempt gracefully: its trap gets SIGTERM, outcome cancelled', async () => {
    const first = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', 'trap "echo got-term; exit 0" TERM; echo ready; while true; do sleep 0.05; done'] });
    await first.executor.submit(launch);
    await first.logLine(launch.attemptId, 'ready');
    await first.executor.detach();

    const second = setup({ workRoot: first.workRoot });
    await second.executor.submit(launch);
    await second.executor.cancel(launch.attemptId, { reason: 'pruned', graceMs: 3000 });
    expect(await second.exited(launch.attemptId)).toMatchObject({ outcome: 'cancelled', reason: 'pruned', exitCode: 0 });
    expect(second.lines(launch.attemptId, 'stdout')).toEqual(['ready', 'got-term']);
  });

  it('reports an attempt whose supervisor died unrecorded as lost (retryable), and kills what was left of it', async () => {
    const first = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', WAITER] });
    await first.executor.submit(launch);
    await first.logLine(launch.attemptId, 'FAIRSWEEP_METRIC ready=1');
    await first.executor.detach();
    const { supervisorPid } = record(first, launch, 'launched.json');
    const { pid } = record(first, launch, 'pid.json');
    process.kill(supervisorPid, 'SIGKILL');
    await sleep(100);
    expect(alive(pid)).toBe(true); // the trial outlives its supervisor, unobserved

    const second = setup({ workRoot: first.workRoot });
    await second.executor.submit(launch);
    const exited = await second.exited(launch.attemptId);
    expect(exited).toMatchObject({ outcome: 'failed', retryable: true });
    expect(exited.reason).toBe(`lost: its supervisor (pid ${supervisorPid}) is gone and no exit was recorded; killed its process group ${pid}, still running unobserved [retryable]`);
    await sleep(100);
    expect(alive(pid)).toBe(false);
  });

  it('reports attempts lost when its own supervisor dies under it', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', WAITER] });
    await h.executor.submit(launch);
    await h.logLine(launch.attemptId, 'FAIRSWEEP_METRIC ready=1');
    const { supervisorPid } = record(h, launch, 'launched.json');
    process.kill(supervisorPid, 'SIGKILL');
    const exited = await h.exited(launch.attemptId);
    expect(exited).toMatchObject({ outcome: 'failed', retryable: true });
    expect(exited.reason).toMatch(/^lost: the supervisor \(pid \d+\) exited unexpectedly \(code null, signal SIGKILL\) and no exit was recorded; killed its process group \d+/);
    // The next attempt gets a new supervisor.
    const next = launchOf({ command: ['/bin/sh', '-c', 'exit 0'] });
    await h.executor.submit(next);
    expect(await h.exited(next.attemptId)).toMatchObject({ outcome: 'succeeded' });
  });

  it('keeps trials running when the process holding the executor is SIGKILLed; a new executor follows them', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', WAITER] });
    const dist = join(__dirname, '..', 'dist', 'index.js');
    const script = `const { createLocalExecutor } = require(${JSON.stringify(dist)});
      const e = createLocalExecutor({ workRoot: ${JSON.stringify(h.workRoot)}, host: 'test-host' });
      e.onEvent((ev) => ev.type === 'metric' && console.log('ready'));
      e.submit(${JSON.stringify(launch)});
      setInterval(() => {}, 1000);`;
    const holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    const { pid } = record(h, launch, 'pid.json');
    expect(alive(pid)).toBe(true);

    await h.executor.submit(launch);
    writeFileSync(join(h.dirOf(launch), 'go'), '');
    expect(await h.exited(launch.attemptId)).toMatchObject({ outcome: 'failed', exitCode: 3 });
    expect(h.of(launch.attemptId).find((e) => e.type === 'started')).toMatchObject({ reattached: true });
    expect(metrics(h.of(launch.attemptId)).map((m) => m.split('@')[0])).toEqual(['ready=1', 'loss=0.25']);
    expect(readFileSync(join(h.dirOf(launch), 'runs.txt'), 'utf8')).toBe('run\n');
  });

  it('still refuses submits after detach()', async () => {
    const h = setup();
    await h.executor.detach();
    await expect(h.executor.submit(launchOf())).rejects.toThrow(/closed; cannot submit/);
  });
});

describe('local executor: isolation reports', () => {
  it('says in the started event why cgroup v2 limits were not applied on this host', async () => {
    const h = setup({ cgroupParent: '/proc/fairsweep-no-cgroup' });
    const launch = launchOf({ command: ['/bin/sh', '-c', 'exit 0'] });
    await h.executor.submit(launch);
    await h.exited(launch.attemptId);
    const started = h.of(launch.attemptId).find((e) => e.type === 'started');
    expect(started).toMatchObject({ notes: [expect.stringMatching(/^cgroup v2 limits not applied: \/proc is not a cgroup v2 file system .*; cpus and memoryMb are not enforced$/)] });
    expect(record(h, launch, 'launched.json').notes).toEqual((started as { notes: string[] }).notes);
  });

  it('turns cgroups off on request, and says so', async () => {
    const h = setup({ cgroupParent: false });
    expect(h.executor.cgroupSupport()).toEqual({ ok: false, why: 'cgroups are turned off for this executor (cgroupParent: false)' });
  });

  it('records the GPU mapping of an attempt (id, uuid, name) from an nvidia-smi inventory', async () => {
    const fake = join(__dirname, 'testing-internal', 'nvidia-smi.recorded.sh');
    const h = setup({ nvidiaSmi: fake, gpuIds: ['1', '3'] });
    expect(h.executor.gpuInventory.source).toBe('nvidia-smi');
    const launch = launchOf({ command: ['/bin/sh', '-c', 'echo "$CUDA_VISIBLE_DEVICES $CUDA_DEVICE_ORDER"'], resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    await h.executor.submit(launch);
    await h.exited(launch.attemptId);
    expect(h.lines(launch.attemptId, 'stdout')).toEqual(['1 PCI_BUS_ID']);
    expect(h.of(launch.attemptId).find((e) => e.type === 'started')).toMatchObject({
      devices: ['1'], gpus: [{ id: '1', uuid: 'GPU-5d3f1c2a-0b1e-4c53-9a43-d7f0a8f2b2a1', name: 'NVIDIA H100 80GB HBM3', memoryMb: 81559 }],
    });
  });
});
