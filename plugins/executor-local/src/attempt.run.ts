import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { trialEnvironment, type ExecutorEvent, type TrialLaunch, type TrialOutcome } from '@fairsweep/sdk';
import { attemptDir, baseEnvironment, launchProblems, prepareAttemptDir } from './attempt.workdir.js';
import type { GpuPool } from './gpu.pool.js';
import { OutputStream } from './output.stream.js';
import { setLongTimeout, type LongTimeout } from './long-timeout.js';

export interface AttemptSettings {
  /** Variables this host gives every trial (below the launch's own env). */
  hostEnv: Record<string, string>;
  workRoot: string;
  host: string;
  gracePeriodMs: number;
  logLimitBytes: number;
  /** How long to wait for output pipes to close once the process group is gone. */
  drainMs: number;
}

interface StopRequest {
  outcome: Extract<TrialOutcome, 'failed' | 'cancelled'>;
  reason: string;
}

/**
 * One attempt as a child process in its own process group. Lifecycle: start() → 'started' →
 * 'log'/'metric' … → 'exited' (exactly once, last). stop() asks it to end: SIGTERM to the group,
 * then SIGKILL after the grace period.
 */
export class AttemptRun {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private child: ChildProcess | undefined;
  private outputs: OutputStream[] = [];
  private stopRequest: StopRequest | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private runtimeTimer: LongTimeout | undefined;
  private finished = false;

  constructor(
    private readonly launch: TrialLaunch,
    private readonly settings: AttemptSettings,
    private readonly gpus: GpuPool,
    private readonly emit: (event: ExecutorEvent) => void,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Resolves once the process is running, or once the attempt has failed to start. */
  async start(): Promise<void> {
    const { launch } = this;
    const problems = launchProblems(launch);
    if (problems.length > 0) return this.finish('failed', `invalid launch: ${problems.join('; ')}`);
    const allocation = this.gpus.acquire(launch.attemptId, launch.resources.gpus);
    if ('error' in allocation) return this.finish('failed', allocation.error);
    const dir = attemptDir(this.settings.workRoot, launch);
    let paramsFile: string;
    try {
      paramsFile = await prepareAttemptDir(dir, launch);
    } catch (error) {
      return this.finish('failed', `could not prepare the working directory ${dir}: ${(error as Error).message}`);
    }
    if (this.stopRequest) return this.finish(this.stopRequest.outcome, this.stopRequest.reason);
    const { limitBytes, emit, id } = { limitBytes: this.settings.logLimitBytes, emit: this.emit, id: launch.attemptId };
    this.outputs = [
      new OutputStream('stdout', join(dir, 'stdout.log'), id, limitBytes, emit),
      new OutputStream('stderr', join(dir, 'stderr.log'), id, limitBytes, emit),
    ];
    const env = {
      ...baseEnvironment(),
      ...this.settings.hostEnv,
      ...launch.env,
      ...trialEnvironment(launch, paramsFile),
      CUDA_VISIBLE_DEVICES: allocation.devices.join(','),
    };
    const [program, ...args] = launch.command;
    return new Promise<void>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(program, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        void this.closeOutputs().then(() => this.finish('failed', `could not start ${JSON.stringify(program)}: ${(error as Error).message}`));
        return resolve();
      }
      this.child = child;
      child.on('error', (error) => {
        if (child.pid !== undefined) return; // a failed kill on a running child; exit still follows
        child.stdout?.destroy();
        child.stderr?.destroy();
        const stop = this.stopRequest;
        const failure = `could not start ${JSON.stringify(program)}: ${error.message}`;
        void this.closeOutputs().then(() => (stop ? this.finish(stop.outcome, stop.reason) : this.finish('failed', failure)));
        resolve();
      });
      child.once('spawn', () => {
        this.emit({
          type: 'started', attemptId: id, at: new Date(), host: this.settings.host,
          pid: child.pid, devices: allocation.devices, workDir: dir,
        });
        this.outputs[0].attach(child.stdout!);
        this.outputs[1].attach(child.stderr!);
        if (launch.maxRuntimeSeconds !== null) {
          const limit = launch.maxRuntimeSeconds;
          this.runtimeTimer = setLongTimeout(() => void this.stop('failed', `exceeded maxRuntimeSeconds=${limit}`, this.settings.gracePeriodMs), limit * 1000);
        }
        if (this.stopRequest) this.terminate(this.settings.gracePeriodMs);
        resolve();
      });
      child.once('exit', (code, signal) => void this.onExit(child, code, signal));
    });
  }

  /** Ends the attempt with this outcome unless it has already ended or is ending; resolves when it has. */
  stop(outcome: StopRequest['outcome'], reason: string, graceMs: number): Promise<void> {
    if (this.finished || this.stopRequest) return this.done;
    this.stopRequest = { outcome, reason };
    if (this.child?.pid !== undefined) this.terminate(graceMs);
    return this.done;
  }

  private terminate(graceMs: number): void {
    this.signalGroup('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.outputs[1]?.note(`the process group did not exit within the ${graceMs} ms grace period; sent SIGKILL`);
      this.signalGroup('SIGKILL');
    }, graceMs);
  }

  private async onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    clearTimeout(this.killTimer);
    this.runtimeTimer?.clear();
    this.signalGroup('SIGKILL'); // whatever the trial left behind in its group goes with it
    await this.drain(child);
    await this.closeOutputs();
    const stop = this.stopRequest;
    if (stop) return this.finish(stop.outcome, stop.reason, code, signal);
    if (code === 0) return this.finish('succeeded', 'exited with code 0', code, signal);
    if (code !== null) return this.finish('failed', `exited with code ${code}`, code, signal);
    return this.finish('failed', `killed by signal ${signal ?? 'unknown'}`, code, signal);
  }

  /** Waits for the output pipes to close (all output read), or `drainMs` if something holds them open. */
  private async drain(child: ChildProcess): Promise<void> {
    const open = [child.stdout, child.stderr].filter((s) => s && !s.closed && !s.destroyed);
    const closed = Promise.all(open.map((s) => new Promise((resolve) => s!.once('close', resolve))));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, this.settings.drainMs)));
    await Promise.race([closed, timeout]);
    clearTimeout(timer);
    for (const s of open) s!.destroy();
  }

  private async closeOutputs(): Promise<void> {
    await Promise.all(this.outputs.map((o) => o.end()));
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.finished) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone
    }
  }

  private finish(outcome: TrialOutcome, reason: string, exitCode: number | null = null, signal: string | null = null): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.killTimer);
    this.runtimeTimer?.clear();
    this.gpus.release(this.launch.attemptId);
    this.emit({ type: 'exited', attemptId: this.launch.attemptId, at: new Date(), outcome, exitCode, signal, reason });
    this.resolveDone();
  }
}
