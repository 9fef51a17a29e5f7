import { harness, harnessPerTest, launchOf } from './testing-internal/harness.js';

const setup = harnessPerTest();

const TRAPS_TERM = 'trap "echo got-term; exit 7" TERM; echo ready; while true; do sleep 0.05; done';
const SH_IGNORES_TERM = 'trap "echo ignoring" TERM; echo ready; while true; do sleep 0.05; done';
const IGNORES_TERM = 'process.on("SIGTERM", () => console.log("ignoring")); console.log("ready"); setInterval(() => {}, 1000)';

describe('local executor: stopping attempts', () => {
  it('cancels gracefully: SIGTERM, the trial cleans up and exits, outcome cancelled', async () => {
    const h = setup({ gracePeriodMs: 5000 });
    const launch = launchOf({ command: ['/bin/sh', '-c', TRAPS_TERM] });
    await h.executor.submit(launch);
    await h.logLine(launch.attemptId, 'ready');
    const t0 = Date.now();
    await h.executor.cancel(launch.attemptId, { reason: 'pruned by median rule' });
    expect(Date.now() - t0).toBeLessThan(3000);
    const exited = await h.exited(launch.attemptId);
    expect(exited).toMatchObject({ outcome: 'cancelled', exitCode: 7, signal: null, reason: 'pruned by median rule' });
    expect(h.lines(launch.attemptId, 'stdout')).toContain('got-term');
  });

  it('sends SIGKILL after the grace period to a trial that ignores SIGTERM', async () => {
    const h = setup();
    const launch = launchOf({ script: IGNORES_TERM });
    await h.executor.submit(launch);
    await h.logLine(launch.attemptId, 'ready');
    const t0 = Date.now();
    await h.executor.cancel(launch.attemptId, { graceMs: 400 });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(3000);
    expect(await h.exited(launch.attemptId)).toMatchObject({ outcome: 'cancelled', exitCode: null, signal: 'SIGKILL', reason: 'cancelled' });
    expect(h.lines(launch.attemptId, 'stdout')).toContain('ignoring');
    expect(h.lines(launch.attemptId, 'stderr')).toEqual([
      '[fairsweep] the process group did not exit within the 400 ms grace period; sent SIGKILL',
    ]);
  });

  it('enforces maxRuntimeSeconds as a failure', async () => {
    const h = setup({ gracePeriodMs: 300 });
    const launch = launchOf({ command: ['/bin/sh', '-c', 'echo start; sleep 30'], maxRuntimeSeconds: 0.3 });
    const t0 = Date.now();
    await h.executor.submit(launch);
    const exited = await h.exited(launch.attemptId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(exited).toMatchObject({ outcome: 'failed', signal: 'SIGTERM', reason: 'exceeded maxRuntimeSeconds=0.3' });
  });

  it('keeps the first stop reason: a cancel after a timeout does not change the outcome', async () => {
    const h = setup({ gracePeriodMs: 600 });
    // A shell sets its trap within milliseconds of the spawn (a Node trial may still be starting
    // when a 0.2 s limit fires on a loaded machine, and then dies of the SIGTERM it should ignore).
    const launch = launchOf({ command: ['/bin/sh', '-c', SH_IGNORES_TERM], maxRuntimeSeconds: 1 });
    await h.executor.submit(launch);
    await h.logLine(launch.attemptId, 'ignoring');
    await h.executor.cancel(launch.attemptId, { graceMs: 0 });
    expect(await h.exited(launch.attemptId)).toMatchObject({ outcome: 'failed', reason: 'exceeded maxRuntimeSeconds=1' });
  });

  it('cancels an attempt submitted a moment ago', async () => {
    const h = setup();
    const launch = launchOf({ command: ['/bin/sh', '-c', 'sleep 30'] });
    const submitted = h.executor.submit(launch);
    await h.executor.cancel(launch.attemptId, { reason: 'changed my mind' });
    await submitted;
    const events = h.of(launch.attemptId);
    expect(events.filter((e) => e.type === 'exited')).toEqual([expect.objectContaining({ outcome: 'cancelled', reason: 'changed my mind' })]);
    expect(events[events.length - 1].type).toBe('exited');
  });

  it('ignores cancels of unknown or finished attempts', async () => {
    const h = setup();
    await expect(h.executor.cancel('no-such-attempt')).resolves.toBeUndefined();
    const launch = launchOf();
    await h.executor.submit(launch);
    await h.exited(launch.attemptId);
    await h.executor.cancel(launch.attemptId);
    expect(h.of(launch.attemptId).filter((e) => e.type === 'exited')).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
  });

  it('refuses a negative grace period', async () => {
    const h = setup();
    await expect(h.executor.cancel('x', { graceMs: -5 })).rejects.toThrow(/graceMs must be a number >= 0/);
  });

  it('close() cancels everything still running and refuses new submissions', async () => {
    const h = harness({ gracePeriodMs: 300 });
    const sleepers = [launchOf({ command: ['/bin/sh', '-c', 'echo ready; sleep 30'] }), launchOf({ script: IGNORES_TERM })];
    const done = launchOf();
    await h.executor.submit(done);
    await h.exited(done.attemptId);
    for (const l of sleepers) await h.executor.submit(l);
    for (const l of sleepers) await h.logLine(l.attemptId, 'ready');
    await h.executor.close();
    for (const l of sleepers) {
      expect(await h.exited(l.attemptId)).toMatchObject({ outcome: 'cancelled', reason: 'executor closed' });
    }
    expect(h.events.filter((e) => e.type === 'exited')).toHaveLength(3);
    await expect(h.executor.submit(launchOf())).rejects.toThrow(/closed; cannot submit/);
    await expect(h.executor.close()).resolves.toBeUndefined();
  });
});
