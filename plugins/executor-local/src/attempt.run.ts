import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  attemptDir, baseEnvironment, launchProblems, prepareAttemptDir, trialEnvironment, type ExecutorEvent, type TrialLaunch, type TrialOutcome,
} from '@fairsweep/sdk';
import { FILES, isSameProcess, readRecord, type ExitRecord, type GpuDevice, type LaunchedRecord, type PidRecord } from './attempt.records.js';
import { createAttemptCgroup, inCgroup, removeAttemptCgroup, type CgroupSupport } from './cgroup.limits.js';
import type { GpuPool } from './gpu.pool.js';
import { AttemptOutput } from './output.tail.js';
import { setLongTimeout, type LongTimeout } from './long-timeout.js';
import type { SupervisorClient, SupervisorMessage } from './supervisor.client.js';

export interface AttemptSettings {
  /** Variables this host gives every trial (below the launch's own env). */
  hostEnv: Record<string, string>;
  workRoot: string;
  host: string;
  gracePeriodMs: number;
  logLimitBytes: number;
  /** How often a re-attached attempt's files and supervisor are looked at. */
  reattachPollMs: number;
  /** The GPU inventory, by id (uuid, name, memory where nvidia-smi reported them). */
  gpuInfo: ReadonlyMap<string, GpuDevice>;
  /** Whether trials get their own cgroup v2 limits (checked once per executor). */
  cgroups: () => CgroupSupport;
  /** Set CUDA_DEVICE_ORDER=PCI_BUS_ID so that ids are nvidia-smi's indexes. */
  pciOrder: boolean;
}

interface StopRequest {
  outcome: Extract<TrialOutcome, 'failed' | 'cancelled'>;
  reason: string;
}

export const RETRYABLE_MARK = '[retryable]';

/**
 * One attempt, run by the executor's supervisor in its own process group. Lifecycle: start() →
 * 'started' → 'log'/'metric' … → 'exited' (exactly once, last). stop() asks it to end: SIGTERM to
 * the group, then SIGKILL after the grace period.
 *
 * When the attempt's directory shows an earlier executor launched it (launched.json), start()
 * re-attaches instead: it follows the recorded pid, output and exit record, replaying the output
 * (metrics carry `seq`, so consumers can drop replays), or reports the attempt lost (retryable)
 * when its supervisor is gone without recording an exit — after killing what is left of it.
 */
export class AttemptRun {
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly dir: string;
  private output: AttemptOutput | undefined;
  private pid: PidRecord | undefined;
  private launched: LaunchedRecord | undefined;
  private stopRequest: StopRequest | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private runtimeTimer: LongTimeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private started = false;
  private finished = false;
  private detached = false;
  private reattached = false;
  private graceMs: number;

  constructor(
    private readonly launch: TrialLaunch,
    private readonly settings: AttemptSettings,
    private readonly gpus: GpuPool,
    private readonly supervisor: SupervisorClient,
    private readonly emit: (event: ExecutorEvent) => void,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.dir = attemptDir(settings.workRoot, launch);
    this.graceMs = settings.gracePeriodMs;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Resolves once the process is running (or re-attached), or once the attempt has ended. */
  async start(): Promise<void> {
    const { launch } = this;
    const problems = launchProblems(launch);
    if (problems.length > 0) return this.finish('failed', `invalid launch: ${problems.join('; ')}`);
    let earlier: LaunchedRecord | null;
    try {
      earlier = readRecord<LaunchedRecord>(this.dir, FILES.launched);
    } catch (error) {
      return this.finish('failed', (error as Error).message);
    }
    if (earlier) return this.reattach(earlier);
    const allocation = this.gpus.acquire(launch.attemptId, launch.resources.gpus);
    if ('error' in allocation) return this.finish('failed', allocation.error);
    let paramsFile: string;
    try {
      paramsFile = await prepareAttemptDir(this.dir, launch);
    } catch (error) {
      return this.finish('failed', `could not prepare the working directory ${this.dir}: ${(error as Error).message}`);
    }
    if (this.stoppedEarly()) return;
    let supervisor;
    try {
      supervisor = await this.supervisor.ensure();
    } catch (error) {
      return this.finish('failed', (error as Error).message);
    }
    if (this.stoppedEarly()) return;
    const cgroup = createAttemptCgroup(this.settings.cgroups(), launch.attemptId, launch.resources);
    this.launched = {
      host: this.settings.host, supervisorPid: supervisor.pid, supervisorStart: supervisor.start, devices: allocation.devices,
      gpus: allocation.devices.map((id) => this.settings.gpuInfo.get(id) ?? { id }), notes: [cgroup.note], cgroup: cgroup.path, at: new Date().toISOString(),
    };
    try {
      writeAtomic(join(this.dir, FILES.launched), this.launched);
    } catch (error) {
      removeAttemptCgroup(cgroup.path);
      return this.finish('failed', `could not record the launch in ${this.dir}: ${(error as Error).message}`);
    }
    this.output = new AttemptOutput(this.dir, launch.attemptId, this.settings.logLimitBytes, this.emit);
    const env = {
      ...baseEnvironment(),
      ...this.settings.hostEnv,
      ...launch.env,
      ...trialEnvironment(launch, paramsFile),
      ...(this.settings.pciOrder && allocation.devices.length > 0 ? { CUDA_DEVICE_ORDER: 'PCI_BUS_ID' } : {}),
      CUDA_VISIBLE_DEVICES: allocation.devices.join(','),
    };
    const [program, ...args] = cgroup.path ? inCgroup(cgroup.path, launch.command) : launch.command;
    return new Promise<void>((resolve) => {
      this.supervisor.spawn(
        { id: launch.attemptId, dir: this.dir, program, args, env, limit: this.settings.logLimitBytes },
        (m) => this.onSupervisor(m, resolve),
      );
    });
  }

  /** A stop that came before the process was started ends the attempt now. */
  private stoppedEarly(): boolean {
    const stop = this.stopRequest;
    if (stop) this.finish(stop.outcome, stop.reason);
    return stop !== undefined;
  }

  /** Ends the attempt with this outcome unless it has already ended or is ending; resolves when it has. */
  stop(outcome: StopRequest['outcome'], reason: string, graceMs: number): Promise<void> {
    if (this.finished || this.stopRequest) return this.done;
    this.stopRequest = { outcome, reason };
    this.graceMs = graceMs;
    if (this.pid) this.terminate();
    return this.done;
  }

  /** Stops following the attempt without stopping it (the process keeps running; a new executor can re-attach). */
  detach(): void {
    this.detached = true;
    clearTimeout(this.killTimer);
    clearTimeout(this.pollTimer);
    this.runtimeTimer?.clear();
    this.output?.close();
    this.supervisor.release(this.launch.attemptId);
    this.resolveDone();
  }

  private onSupervisor(m: SupervisorMessage, resolve: () => void): void {
    if (this.detached || this.finished) return;
    if (m.t === 's') {
      this.pid = { pid: m.pid, start: null };
      this.onRunning();
      resolve();
    } else if (m.t === 'o') {
      this.output!.read();
    } else if (m.t === 'x') {
      this.onExitRecord(m);
      resolve();
    } else if (m.t === 'gone') {
      this.onSupervisorGone(m.why);
      resolve();
    }
  }

  /** The process runs: 'started', the runtime limit, a stop that came early. */
  private onRunning(): void {
    if (this.started) return;
    this.started = true;
    const launched = this.launched!;
    this.emit({
      type: 'started', attemptId: this.launch.attemptId, at: new Date(), host: launched.host, pid: this.pid!.pid,
      devices: launched.devices, workDir: this.dir, gpus: launched.gpus,
      notes: this.reattached ? [...launched.notes, `re-attached after an executor restart (supervisor pid ${launched.supervisorPid})`] : launched.notes,
      ...(this.reattached ? { reattached: true } : {}),
    });
    const limit = this.launch.maxRuntimeSeconds;
    if (limit !== null) {
      const elapsedMs = Date.now() - Date.parse(launched.at);
      this.runtimeTimer = setLongTimeout(() => void this.stop('failed', `exceeded maxRuntimeSeconds=${limit}`, this.settings.gracePeriodMs), Math.max(0, limit * 1000 - elapsedMs));
    }
    if (this.stopRequest) this.terminate();
  }

  private onExitRecord(record: ExitRecord): void {
    clearTimeout(this.killTimer);
    this.runtimeTimer?.clear();
    this.output?.final(record);
    removeAttemptCgroup(this.launched?.cgroup ?? null);
    const stop = this.stopRequest;
    const { code, signal } = record;
    if (record.error !== null && !this.started) {
      return this.finish(stop?.outcome ?? 'failed', stop?.reason ?? `could not start ${JSON.stringify(this.launch.command[0])}: ${record.error}`);
    }
    if (stop) return this.finish(stop.outcome, stop.reason, code, signal);
    if (code === 0) return this.finish('succeeded', 'exited with code 0', code, signal);
    if (code !== null) return this.finish('failed', `exited with code ${code}`, code, signal);
    return this.finish('failed', `killed by signal ${signal ?? 'unknown'}`, code, signal);
  }

  /** The supervisor died: use its exit record if it wrote one, else the attempt is lost (and must not run on unobserved). */
  private onSupervisorGone(why: string): void {
    let record: ExitRecord | null = null;
    try {
      record = readRecord<ExitRecord>(this.dir, FILES.exit);
    } catch {
      // unreadable: treat as missing
    }
    if (record) return this.onExitRecord(record);
    this.output?.final(null);
    const pid = this.pid ?? readRecord<PidRecord>(this.dir, FILES.pid) ?? undefined;
    let killed = '';
    if (pid && isSameProcess(pid.pid, pid.start)) {
      this.signalGroup('SIGKILL', pid);
      killed = `; killed its process group ${pid.pid}, still running unobserved`;
    }
    removeAttemptCgroup(this.launched?.cgroup ?? null);
    const stop = this.stopRequest;
    if (stop) return this.finish(stop.outcome, stop.reason);
    this.finish('failed', `lost: ${why} and no exit was recorded${killed} ${RETRYABLE_MARK}`, null, null, true);
  }

  /** Follows an attempt an earlier executor launched (same workRoot): see the class comment. */
  private reattach(launched: LaunchedRecord): void {
    this.reattached = true;
    this.launched = launched;
    if (launched.host !== this.settings.host) {
      return this.finish('failed', `launched on host ${launched.host}; the executor on ${this.settings.host} cannot follow or stop it`);
    }
    const conflicts = this.gpus.claim(this.launch.attemptId, launched.devices);
    this.output = new AttemptOutput(this.dir, this.launch.attemptId, this.settings.logLimitBytes, this.emit);
    if (conflicts.length > 0) this.output.note(`re-attached with GPU(s) ${conflicts.join(', ')} that this executor does not have free`);
    this.observe();
  }

  /** One look at a re-attached attempt: exit record, pid, supervisor; then again after reattachPollMs. */
  private observe(): void {
    if (this.detached || this.finished) return;
    try {
      const launched = this.launched!;
      let exit = readRecord<ExitRecord>(this.dir, FILES.exit);
      if (!exit && !isSameProcess(launched.supervisorPid, launched.supervisorStart)) {
        exit = readRecord<ExitRecord>(this.dir, FILES.exit); // it may have recorded the exit just before it went
        if (!exit) return this.onSupervisorGone(`its supervisor (pid ${launched.supervisorPid}) is gone`);
      }
      this.pid ??= readRecord<PidRecord>(this.dir, FILES.pid) ?? undefined;
      if (this.pid && !this.started && (!exit || exit.error === null)) this.onRunning();
      if (exit) return this.onExitRecord(exit);
      this.output!.read();
    } catch (error) {
      this.output?.note(`observing the re-attached attempt failed: ${(error as Error).message}`);
    }
    this.pollTimer = setTimeout(() => this.observe(), this.settings.reattachPollMs);
  }

  private terminate(): void {
    this.signalGroup('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.output?.note(`the process group did not exit within the ${this.graceMs} ms grace period; sent SIGKILL`);
      this.signalGroup('SIGKILL');
    }, this.graceMs);
  }

  private signalGroup(signal: NodeJS.Signals, target = this.pid): void {
    if (!target || this.finished) return;
    // A re-attached attempt's pid is checked first: it must still be the process that was recorded.
    if (this.reattached && !isSameProcess(target.pid, target.start)) return;
    try {
      process.kill(-target.pid, signal);
    } catch {
      // ESRCH: the group is already gone
    }
  }

  private finish(outcome: TrialOutcome, reason: string, exitCode: number | null = null, signal: string | null = null, retryable = false): void {
    if (this.finished || this.detached) return;
    this.finished = true;
    clearTimeout(this.killTimer);
    clearTimeout(this.pollTimer);
    this.runtimeTimer?.clear();
    this.gpus.release(this.launch.attemptId);
    this.supervisor.release(this.launch.attemptId);
    this.emit({ type: 'exited', attemptId: this.launch.attemptId, at: new Date(), outcome, exitCode, signal, reason, ...(retryable ? { retryable } : {}) });
    this.resolveDone();
  }
}

function writeAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value)}\n`);
  renameSync(tmp, file);
}
