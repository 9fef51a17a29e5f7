import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorEvent, TrialLaunch } from '@fairsweep/sdk';
import { shLaunch, sleep, slurmHarnessPerTest } from './testing-internal/slurm-harness.js';

const setup = slurmHarnessPerTest();

const metricsOf = (events: ExecutorEvent[]) => events.filter((e): e is Extract<ExecutorEvent, { type: 'metric' }> => e.type === 'metric');
const dirOf = (workRoot: string, l: TrialLaunch) => join(workRoot, l.tenant, l.experimentId, l.trialId, `attempt-${l.attempt}`);

describe('slurm executor: stopping and re-attaching', () => {
  it('cancels with SIGTERM and lets the trial use its grace period to clean up', async () => {
    const h = setup();
    const launch = shLaunch([
      'trap \'echo TERM > term.marker; sleep 1; echo cleaned >> term.marker; exit 0\' TERM',
      'echo "FAIRSWEEP_METRIC ready=1"',
      'while true; do sleep 0.1; done',
    ].join('\n'));
    await h.executor.submit(launch);
    await h.log.metric(launch.attemptId, 'ready', 30000);
    const t0 = Date.now();
    await h.executor.cancel(launch.attemptId, { graceMs: 6000, reason: 'pruned' });
    const exited = await h.exited(launch);
    const elapsed = Date.now() - t0;
    expect(exited).toMatchObject({ outcome: 'cancelled', reason: 'pruned', exitCode: 0 });
    expect(readFileSync(join(dirOf(h.workRoot, launch), 'term.marker'), 'utf8')).toBe('TERM\ncleaned\n');
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(6000);
  });

  it('re-attaches: a new executor on the same workRoot follows a running job to its exit', async () => {
    const first = setup();
    const launch = shLaunch('echo run >> runs.txt; echo "FAIRSWEEP_METRIC ready=1 warm=2"; while [ ! -f go ]; do sleep 0.1; done; echo "FAIRSWEEP_METRIC loss=0.5 step=9"; exit 5');
    await first.executor.submit(launch);
    await first.log.metric(launch.attemptId, 'ready', 30000);
    const jobId = first.executor.jobIdOf(launch.attemptId);
    await first.executor.detach(); // the compute service goes away; the job keeps running

    const second = setup({ workRoot: first.workRoot });
    await second.executor.submit(launch);
    expect(second.executor.jobIdOf(launch.attemptId)).toBe(jobId);
    await second.log.until(() => second.log.of(launch.attemptId).some((e) => e.type === 'started'), 'started', 30000);
    writeFileSync(join(dirOf(first.workRoot, launch), 'go'), '');
    const exited = await second.exited(launch);
    expect(exited).toMatchObject({ outcome: 'failed', exitCode: 5 });
    expect(exited).not.toHaveProperty('retryable'); // the trial's own failure
    expect(second.log.of(launch.attemptId)).toContainEqual(expect.objectContaining({ type: 'metric', name: 'loss', value: 0.5, step: 9 }));
    expect(readFileSync(join(dirOf(first.workRoot, launch), 'runs.txt'), 'utf8')).toBe('run\n');
    expect(first.log.of(launch.attemptId).some((e) => e.type === 'exited')).toBe(false);
    // started says so, with the job in its notes; the first executor's did not
    expect(first.log.of(launch.attemptId).find((e) => e.type === 'started')).not.toHaveProperty('reattached');
    expect(second.log.of(launch.attemptId).find((e) => e.type === 'started')).toMatchObject({ reattached: true, notes: [expect.stringContaining(`Slurm job ${jobId}`)] });
    // replayed metrics repeat their seq (byte offset of the line + index on it); later ones go on from there
    const [firstSeen, replayed] = [metricsOf(first.log.of(launch.attemptId)), metricsOf(second.log.of(launch.attemptId))];
    const offsetOfLoss = Buffer.byteLength('FAIRSWEEP_METRIC ready=1 warm=2\n'); // runs.txt, not stdout, gets "run"
    expect(firstSeen.map((m) => [m.name, m.seq])).toEqual([['ready', 0], ['warm', 1]]);
    expect(replayed.map((m) => [m.name, m.seq])).toEqual([['ready', 0], ['warm', 1], ['loss', offsetOfLoss]]);
  });

  it('ends an attempt whose recorded job Slurm no longer knows as lost, retryable', async () => {
    const h = setup();
    const launch = shLaunch('echo must-not-run >> runs.txt');
    const dir = dirOf(h.workRoot, launch);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'slurm-submitting'), '');
    writeFileSync(join(dir, 'slurm-job-id'), '2147480000\n'); // as if submitted, then purged from squeue and sacct
    await h.executor.submit(launch);
    expect(await h.exited(launch)).toMatchObject({
      outcome: 'failed', retryable: true, reason: 'Slurm job 2147480000 is unknown to squeue and sacct: lost [retryable]',
    });
    expect(existsSync(join(dir, 'runs.txt'))).toBe(false);
  });

  it('finds a job by its name when the executor died between sbatch and recording the job id', async () => {
    const first = setup();
    const launch = shLaunch('echo run >> runs.txt; exit 0');
    await first.executor.submit(launch);
    const jobId = first.executor.jobIdOf(launch.attemptId);
    await first.executor.detach();
    rmSync(join(dirOf(first.workRoot, launch), 'slurm-job-id'));
    await sleep(1500);

    const second = setup({ workRoot: first.workRoot });
    await second.executor.submit(launch);
    expect(second.executor.jobIdOf(launch.attemptId)).toBe(jobId);
    expect(await second.exited(launch)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(readFileSync(join(dirOf(first.workRoot, launch), 'runs.txt'), 'utf8')).toBe('run\n');
    expect(existsSync(join(dirOf(first.workRoot, launch), 'slurm-started.env'))).toBe(true);
  });
});
