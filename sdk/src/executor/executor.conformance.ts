import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPlugin } from '../plugin/plugin.assert.js';
import { canReattach, type Executor, type ExecutorEvent, type TrialLaunch } from './executor.types.js';

export interface ExecutorConformanceOptions {
  /** How long to wait for each expected event (default 30000 ms). */
  timeoutMs?: number;
  /** Merged into every launch (e.g. a tenant that maps to a Slurm account, resources). */
  launch?: Partial<TrialLaunch>;
  /** A directory both this process and the trials can write (default: a fresh one in os.tmpdir()). */
  scratchDir?: string;
  /** The shell that runs the trial scripts (default /bin/sh). */
  shell?: string;
  /** Extra time an engine may take to act on a stop, on top of the grace period (default 5000 ms). */
  stopSlackMs?: number;
  /**
   * For executors with the re-attach capability (`detach()`): a new instance sharing the detached
   * one's configuration and state (e.g. the same workRoot), as a restarted platform would create.
   * Without it the re-attach check is skipped.
   */
  recreate?: (detached: Executor) => Executor | Promise<Executor>;
}

export type Exited = Extract<ExecutorEvent, { type: 'exited' }>;

/** Records an executor's events and waits for them. */
export class EventLog {
  readonly events: ExecutorEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly off: () => void;

  constructor(executor: Executor) {
    this.off = executor.onEvent((event) => {
      this.events.push(event);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  of(attemptId: string): ExecutorEvent[] {
    return this.events.filter((e) => e.attemptId === attemptId);
  }

  /** Resolves once `check` holds; rejects after `timeoutMs` naming `what`. */
  async until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  async exited(attemptId: string, timeoutMs: number): Promise<Exited> {
    await this.until(() => this.of(attemptId).some((e) => e.type === 'exited'), `${attemptId} to exit`, timeoutMs);
    return this.of(attemptId).find((e) => e.type === 'exited') as Exited;
  }

  metric(attemptId: string, name: string, timeoutMs: number): Promise<void> {
    return this.until(() => this.of(attemptId).some((e) => e.type === 'metric' && e.name === name), `${attemptId} to report ${name}`, timeoutMs);
  }
}

/** Fresh ids that do not repeat across runs (an engine may remember attempt ids by job name). */
export function uniqueAttemptLaunch(base: Partial<TrialLaunch>, script: string, shell = '/bin/sh'): TrialLaunch {
  const id = `kit-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return {
    attemptId: `${id}-a1`,
    trialId: id,
    experimentId: 'exp-kit',
    tenant: 'kit',
    trialIndex: 7,
    attempt: 1,
    command: [shell, '-c', script],
    env: {},
    params: { lr: 0.01, optimizer: 'adam' },
    seed: 4242,
    resources: { cpus: 1, gpus: 0, memoryMb: 64 },
    maxRuntimeSeconds: null,
    ...base,
  };
}

/** Whether an attempt's events are well-formed: started first (if at all), exited exactly once and last. */
export function lifecycleProblems(events: ExecutorEvent[]): string[] {
  const problems: string[] = [];
  const exits = events.filter((e) => e.type === 'exited').length;
  if (exits !== 1) problems.push(`expected exactly one exited event, got ${exits}`);
  if (events.length > 0 && events[events.length - 1].type !== 'exited') problems.push(`last event is ${events[events.length - 1].type}, not exited`);
  const starts = events.filter((e) => e.type === 'started').length;
  if (starts > 1) problems.push(`expected at most one started event, got ${starts}`);
  const firstStart = events.findIndex((e) => e.type === 'started');
  const firstMetric = events.findIndex((e) => e.type === 'metric');
  if (firstMetric !== -1 && (firstStart === -1 || firstStart > firstMetric)) problems.push('a metric came before started');
  return problems;
}

const READY = 'echo "FAIRSWEEP_METRIC ready=1"';

/**
 * The checks every executor must pass, in its own jest suite:
 *
 *     describeExecutorConformance('local', () => createLocalExecutor({ workRoot }), { timeoutMs: 15000 });
 *
 * Trials are small shell scripts: they check their environment and params file, report metrics
 * with the line protocol, exit with codes, trap or ignore SIGTERM, and leave marker files in
 * `scratchDir`. Each check gets a fresh executor and closes it afterwards.
 */
export function describeExecutorConformance(
  name: string,
  createExecutor: () => Executor | Promise<Executor>,
  options: ExecutorConformanceOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 30000;
  const slack = options.stopSlackMs ?? 5000;
  const shell = options.shell ?? '/bin/sh';
  let scratch = options.scratchDir ?? '';
  let executor: Executor;
  let log: EventLog;

  const launchOf = (script: string, extra: Partial<TrialLaunch> = {}) => {
    const launch = uniqueAttemptLaunch({ ...options.launch, ...extra }, script, shell);
    launch.env = { ...launch.env, KIT_DIR: scratch, KIT_ATTEMPT: launch.attemptId, KIT_VAR: 'kit value', ...extra.env };
    return launch;
  };
  const marker = (launch: TrialLaunch, suffix: string) => join(scratch, `${launch.attemptId}.${suffix}`);

  describe(`executor conformance: ${name}`, () => {
    beforeAll(() => {
      if (!scratch) scratch = mkdtempSync(join(tmpdir(), 'fs-exec-kit-'));
    });
    beforeEach(async () => {
      executor = await createExecutor();
      log = new EventLog(executor);
    });
    afterEach(async () => {
      await executor.close();
      log.off();
    });

    it('has the plugin shape', () => {
      expect(() => assertPlugin(executor, 'executor')).not.toThrow();
    });

    it('runs a trial: started, metrics from the line protocol, succeeded with code 0', async () => {
      const launch = launchOf([
        'test -f "$FAIRSWEEP_PARAMS_FILE" || exit 41',
        '[ "$FAIRSWEEP_TRIAL_ID" = "$KIT_TRIAL" ] || exit 42',
        '[ "$KIT_VAR" = "kit value" ] || exit 43',
        'echo "FAIRSWEEP_METRIC loss=0.25 step=3"',
        'echo "FAIRSWEEP_METRIC seed=$FAIRSWEEP_SEED"',
      ].join('\n'));
      launch.env.KIT_TRIAL = launch.trialId;
      await executor.submit(launch);
      const exited = await log.exited(launch.attemptId, timeoutMs);
      expect(exited).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
      const events = log.of(launch.attemptId);
      expect(lifecycleProblems(events)).toEqual([]);
      const started = events.find((e) => e.type === 'started');
      expect(started).toMatchObject({ host: expect.any(String), devices: expect.any(Array) });
      const metrics = events.flatMap((e) => (e.type === 'metric' ? [{ name: e.name, value: e.value, step: e.step }] : []));
      expect(metrics).toEqual([{ name: 'loss', value: 0.25, step: 3 }, { name: 'seed', value: launch.seed, step: null }]);
    });

    it('reports a failure with its exit code', async () => {
      const launch = launchOf('echo "FAIRSWEEP_METRIC loss=1"; exit 3');
      await executor.submit(launch);
      expect(await log.exited(launch.attemptId, timeoutMs)).toMatchObject({ outcome: 'failed', exitCode: 3 });
      expect(lifecycleProblems(log.of(launch.attemptId))).toEqual([]);
    });

    it('cancels with SIGTERM: the trial cleans up within its grace period; outcome cancelled', async () => {
      const launch = launchOf(`trap 'touch "$KIT_DIR/$KIT_ATTEMPT.term"; exit 0' TERM\n${READY}\nwhile true; do sleep 0.1; done`);
      await executor.submit(launch);
      await log.metric(launch.attemptId, 'ready', timeoutMs);
      const graceMs = 20000;
      const t0 = Date.now();
      await executor.cancel(launch.attemptId, { graceMs, reason: 'kit cancel' });
      const exited = await log.exited(launch.attemptId, timeoutMs);
      expect(Date.now() - t0).toBeLessThan(graceMs);
      expect(exited).toMatchObject({ outcome: 'cancelled', reason: 'kit cancel' });
      expect(existsSync(marker(launch, 'term'))).toBe(true);
      expect(lifecycleProblems(log.of(launch.attemptId))).toEqual([]);
    });

    it('kills a trial that ignores SIGTERM once the grace period is over; outcome cancelled', async () => {
      const launch = launchOf(`trap '' TERM\n${READY}\nwhile true; do sleep 0.1; done`);
      await executor.submit(launch);
      await log.metric(launch.attemptId, 'ready', timeoutMs);
      const graceMs = 1500;
      const t0 = Date.now();
      await executor.cancel(launch.attemptId, { graceMs });
      const exited = await log.exited(launch.attemptId, timeoutMs);
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(graceMs - 100);
      expect(elapsed).toBeLessThan(graceMs + slack);
      expect(exited.outcome).toBe('cancelled');
    });

    it('submits each attemptId once, however often it is submitted', async () => {
      const launch = launchOf('echo run >> "$KIT_DIR/$KIT_ATTEMPT.runs"; echo "FAIRSWEEP_METRIC loss=2"');
      await Promise.all([executor.submit(launch), executor.submit({ ...launch }), executor.submit(launch)]);
      await log.exited(launch.attemptId, timeoutMs);
      await executor.submit(launch);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(readFileSync(marker(launch, 'runs'), 'utf8')).toBe('run\n');
      expect(lifecycleProblems(log.of(launch.attemptId))).toEqual([]);
    });

    it('ignores cancels of unknown and finished attempts', async () => {
      await expect(executor.cancel('kit-no-such-attempt')).resolves.toBeUndefined();
      const launch = launchOf('exit 0');
      await executor.submit(launch);
      await log.exited(launch.attemptId, timeoutMs);
      await executor.cancel(launch.attemptId);
      expect(log.of(launch.attemptId).filter((e) => e.type === 'exited')).toEqual([expect.objectContaining({ outcome: 'succeeded' })]);
    });

    it('re-attaches (if it can): after detach(), a new instance follows the attempt to its real exit, run once', async () => {
      if (!canReattach(executor) || !options.recreate) {
        console.info(`executor conformance: ${name}: re-attach not checked (${canReattach(executor) ? 'no recreate option' : 'no detach() capability'})`);
        return;
      }
      const launch = launchOf([
        'echo run >> "$KIT_DIR/$KIT_ATTEMPT.runs"',
        READY,
        'while [ ! -f "$KIT_DIR/$KIT_ATTEMPT.go" ]; do sleep 0.1; done',
        'echo "FAIRSWEEP_METRIC loss=0.5 step=9"',
        'exit 5',
      ].join('\n'));
      await executor.submit(launch);
      await log.metric(launch.attemptId, 'ready', timeoutMs);
      await executor.detach();
      await expect(executor.submit(launchOf('exit 0'))).rejects.toThrow();
      const second = await options.recreate(executor);
      const log2 = new EventLog(second);
      try {
        await second.submit(launch);
        await log2.until(() => log2.of(launch.attemptId).some((e) => e.type === 'started'), `${launch.attemptId} to be re-attached`, timeoutMs);
        expect(log2.of(launch.attemptId).find((e) => e.type === 'started')).toMatchObject({ reattached: true });
        writeFileSync(marker(launch, 'go'), '');
        expect(await log2.exited(launch.attemptId, timeoutMs)).toMatchObject({ outcome: 'failed', exitCode: 5 });
        expect(log2.of(launch.attemptId)).toContainEqual(expect.objectContaining({ type: 'metric', name: 'loss', value: 0.5, step: 9 }));
        expect(lifecycleProblems(log2.of(launch.attemptId))).toEqual([]);
        expect(readFileSync(marker(launch, 'runs'), 'utf8')).toBe('run\n');
        expect(log.of(launch.attemptId).some((e) => e.type === 'exited')).toBe(false);
      } finally {
        log2.off();
        await second.close();
      }
    });

    it('close() cancels what still runs, then refuses submits', async () => {
      const launch = launchOf(`${READY}\nwhile true; do sleep 0.1; done`);
      await executor.submit(launch);
      await log.metric(launch.attemptId, 'ready', timeoutMs);
      await executor.close();
      expect(await log.exited(launch.attemptId, timeoutMs)).toMatchObject({ outcome: 'cancelled' });
      await expect(executor.submit(launchOf('exit 0'))).rejects.toThrow();
    });
  });
}
