import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorEvent, TrialLaunch } from '@fairsweep/sdk';
import { createLocalExecutor, type LocalExecutor, type LocalExecutorConfig } from '../local.executor.js';

let counter = 0;

export const NODE = process.execPath;

/** A launch with fresh ids; `node -e script` unless a command is given. */
export function launchOf(overrides: Partial<TrialLaunch> & { script?: string } = {}): TrialLaunch {
  counter += 1;
  const { script, ...rest } = overrides;
  return {
    attemptId: `att-${process.pid}-${counter}`,
    trialId: `trial-${counter}`,
    experimentId: 'exp-1',
    tenant: 'acme',
    trialIndex: counter,
    attempt: 1,
    command: [NODE, '-e', script ?? 'console.log("hello")'],
    env: {},
    params: { lr: 0.01, optimizer: 'adam' },
    seed: 1234,
    resources: { cpus: 1, gpus: 0, memoryMb: 256 },
    maxRuntimeSeconds: null,
    ...rest,
  };
}

export type Exited = Extract<ExecutorEvent, { type: 'exited' }>;

/** An executor on a fresh temporary work root, recording every event. */
export function harness(config: Partial<LocalExecutorConfig> = {}) {
  const workRoot = mkdtempSync(join(tmpdir(), 'fs-exec-'));
  const executor: LocalExecutor = createLocalExecutor({ workRoot, gracePeriodMs: 2000, host: 'test-host', ...config });
  const events: ExecutorEvent[] = [];
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  executor.onEvent((event) => {
    events.push(event);
    for (const w of [...waiters]) if (w.check()) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const of = (attemptId: string) => events.filter((e) => e.attemptId === attemptId);
  const waitFor = (check: () => boolean, what: string, timeoutMs = 15000) =>
    new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  const exited = async (attemptId: string): Promise<Exited> => {
    await waitFor(() => of(attemptId).some((e) => e.type === 'exited'), `${attemptId} to exit`);
    return of(attemptId).find((e) => e.type === 'exited') as Exited;
  };
  const logLine = (attemptId: string, line: string) =>
    waitFor(() => of(attemptId).some((e) => e.type === 'log' && e.line === line), `${attemptId} to print ${line}`);
  const lines = (attemptId: string, stream: 'stdout' | 'stderr') =>
    of(attemptId).flatMap((e) => (e.type === 'log' && e.stream === stream ? [e.line] : []));
  const dirOf = (launch: TrialLaunch) => join(workRoot, launch.tenant, launch.experimentId, launch.trialId, `attempt-${launch.attempt}`);
  return { executor, events, of, exited, logLine, lines, workRoot, dirOf };
}

/** `harness` for a test file: each executor it makes is closed after its test. */
export function harnessPerTest(): (config?: Partial<LocalExecutorConfig>) => ReturnType<typeof harness> {
  const open: ReturnType<typeof harness>[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.executor.close()));
  });
  return (config) => {
    const h = harness(config);
    open.push(h);
    return h;
  };
}

/** Whether a process is still alive (zombies count as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
