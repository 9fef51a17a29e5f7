import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReportLine } from '../report/report.protocol.js';
import { trialEnvironment } from '../trial/trial.environment.js';
import { describeExecutorConformance, lifecycleProblems } from './executor.conformance.js';
import { EXECUTOR_API_VERSION, type Executor, type ExecutorEvent, type TrialLaunch } from './executor.types.js';

/** The smallest executor that should pass the kit: one detached process group per attempt. */
function referenceExecutor(workRoot: string): Executor {
  const listeners = new Set<(e: ExecutorEvent) => void>();
  const runs = new Map<string, { child?: ChildProcess; cancel?: string; done: Promise<void> }>();
  const emit = (e: ExecutorEvent) => listeners.forEach((l) => l(e));
  let closed = false;
  const stop = async (attemptId: string, reason: string, graceMs: number) => {
    const run = runs.get(attemptId);
    if (!run?.child || run.cancel !== undefined || run.child.exitCode !== null || run.child.signalCode !== null) return run?.done;
    run.cancel = reason;
    const pid = run.child.pid!;
    process.kill(-pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), graceMs);
    await run.done;
    clearTimeout(timer);
  };
  return {
    name: 'reference', kind: 'executor', apiVersion: EXECUTOR_API_VERSION, version: '0.0.0',
    async submit(launch: TrialLaunch) {
      if (runs.has(launch.attemptId)) return;
      if (closed) throw new Error('closed');
      const dir = join(workRoot, launch.attemptId);
      mkdirSync(dir, { recursive: true });
      const paramsFile = join(dir, 'params.json');
      writeFileSync(paramsFile, JSON.stringify(launch.params));
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...launch.env, ...trialEnvironment(launch, paramsFile) };
      const child = spawn(launch.command[0], launch.command.slice(1), { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
      const run: { child?: ChildProcess; cancel?: string; done: Promise<void> } = { child, done: Promise.resolve() };
      run.done = new Promise((resolve) => {
        child.on('close', (code, signal) => {
          const outcome = run.cancel !== undefined ? 'cancelled' : code === 0 ? 'succeeded' : 'failed';
          emit({ type: 'exited', attemptId: launch.attemptId, at: new Date(), outcome, exitCode: code, signal, reason: run.cancel ?? `exited with code ${code}` });
          resolve();
        });
      });
      runs.set(launch.attemptId, run);
      emit({ type: 'started', attemptId: launch.attemptId, at: new Date(), host: 'here', pid: child.pid, devices: [] });
      let pending = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          const parsed = parseReportLine(line);
          if (parsed && !('error' in parsed)) {
            for (const m of parsed.metrics) emit({ type: 'metric', attemptId: launch.attemptId, at: new Date(), name: m.name, value: m.value, step: parsed.step });
          }
        }
      });
    },
    cancel: (attemptId, opts = {}) => stop(attemptId, opts.reason ?? 'cancelled', opts.graceMs ?? 5000),
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      await Promise.all([...runs.keys()].map((id) => stop(id, 'executor closed', 5000)));
    },
  };
}

describeExecutorConformance('reference', () => referenceExecutor(mkdtempSync(join(tmpdir(), 'fs-ref-'))), { timeoutMs: 10000 });

describe('lifecycleProblems', () => {
  const at = new Date();
  const exited: ExecutorEvent = { type: 'exited', attemptId: 'a', at, outcome: 'succeeded', exitCode: 0, signal: null, reason: '' };
  const metric: ExecutorEvent = { type: 'metric', attemptId: 'a', at, name: 'x', value: 1, step: null };
  const started: ExecutorEvent = { type: 'started', attemptId: 'a', at, host: 'h', devices: [] };

  it('accepts started, metrics, exited', () => {
    expect(lifecycleProblems([started, metric, exited])).toEqual([]);
  });

  it('names each broken rule', () => {
    expect(lifecycleProblems([metric, exited, started, exited])).toEqual([
      'expected exactly one exited event, got 2',
      'a metric came before started',
    ]);
    expect(lifecycleProblems([started, metric])).toEqual(['expected exactly one exited event, got 0', 'last event is metric, not exited']);
  });
});
