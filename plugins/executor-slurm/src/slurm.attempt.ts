import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseReportLine, type DeviceInfo, type ExecutorEvent, type TrialLaunch, type TrialOutcome } from '@fairsweep/sdk';
import { FILES } from './attempt.workdir.js';
import { OutputTail } from './output.tail.js';
import { describePendingReason } from './slurm.states.js';

type Emit = (event: ExecutorEvent) => void;

/** What Slurm says of a job's GPUs: `null` when it could not be asked. */
export type GpusOf = (jobId: string) => Promise<DeviceInfo[] | null>;

/**
 * What the executor knows of one attempt and the events it has sent: `started` once the job
 * script has run (read from its slurm-started.env), then `log`/`metric` from the output files,
 * then `exited` exactly once, last.
 */
export class SlurmAttempt {
  jobId: string | undefined;
  submitted: Promise<void> = Promise.resolve();
  cancel: { reason: string } | undefined;
  killTimer: NodeJS.Timeout | undefined;
  /** Polls in a row where a finished job was missing from sacct. */
  accountingMisses = 0;
  pendingReason: string | null = null;
  /** Set when the job was submitted by an earlier executor instance and this one took it over. */
  reattached = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private startedSent = false;
  private finished = false;
  private readonly tails: OutputTail[];
  private readonly logBytes = { stdout: 0, stderr: 0 };

  constructor(
    readonly launch: TrialLaunch,
    readonly dir: string,
    private readonly emit: Emit,
    private readonly logLimitBytes: number,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.tails = [
      new OutputTail(join(dir, FILES.stdout), (line, offset) => this.onLine('stdout', line, offset)),
      new OutputTail(join(dir, FILES.stderr), (line, offset) => this.onLine('stderr', line, offset)),
    ];
  }

  get id(): string {
    return this.launch.attemptId;
  }

  get isStarted(): boolean {
    return this.startedSent;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /**
   * Sends `started` once the job script has recorded where it runs; `false` while it has not.
   * `gpus` (which GPUs, with their Slurm type as `name`) comes from `gpusOf` for a job that asked
   * for GPUs; absent when Slurm names none.
   */
  async observeStarted(gpusOf?: GpusOf): Promise<boolean> {
    if (this.startedSent) return true;
    let text: string;
    try {
      text = await readFile(join(this.dir, FILES.started), 'utf8');
    } catch {
      return false;
    }
    const allocated = gpusOf && this.jobId && this.launch.resources.gpus > 0 ? await gpusOf(this.jobId) : null;
    if (this.startedSent) return true;
    if (this.finished) return false;
    const fields = Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const gpus = fields.slurm_job_gpus || fields.cuda_visible_devices || '';
    const pid = Number(fields.pid);
    this.startedSent = true;
    this.pendingReason = null;
    this.emit({
      type: 'started', attemptId: this.id, at: new Date(), host: fields.host || 'unknown',
      ...(Number.isSafeInteger(pid) && pid > 0 ? { pid } : {}),
      devices: gpus.split(',').filter((d) => d !== ''), workDir: this.dir,
      ...(allocated && allocated.length > 0 ? { gpus: allocated } : {}),
      notes: [`Slurm job ${this.jobId ?? 'unknown'}${this.reattached ? ', re-attached: submitted by an earlier executor instance' : ''}`],
      ...(this.reattached ? { reattached: true } : {}),
    });
    return true;
  }

  /** Reads new output (everything, with `final`) once the attempt has started. */
  async tail(final = false): Promise<void> {
    if (!this.startedSent || this.finished) return;
    await Promise.all(this.tails.map((t) => t.read({ final })));
  }

  /** Records Slurm's pending reason; notes it on the stderr stream when it changes. */
  notePending(code: string): void {
    const reason = describePendingReason(code || 'None');
    if (reason === this.pendingReason || this.startedSent) return;
    this.pendingReason = reason;
    this.note(`pending in Slurm (job ${this.jobId}): ${reason}`);
  }

  note(message: string): void {
    if (this.finished) return;
    this.emit({ type: 'log', attemptId: this.id, at: new Date(), stream: 'stderr', line: `[fairsweep] ${message}` });
  }

  /** Sends `exited` (once). `retryable`: the failure was Slurm's or the infrastructure's, not the trial's. */
  finish(outcome: TrialOutcome, reason: string, exitCode: number | null = null, signal: string | null = null, retryable = false): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.killTimer);
    this.emit({
      type: 'exited', attemptId: this.id, at: new Date(), outcome, exitCode, signal, reason,
      ...(retryable && outcome === 'failed' ? { retryable: true } : {}),
    });
    this.resolveDone();
  }

  /**
   * One output line. Metrics carry `seq` = the line's byte offset in stdout.log plus the metric's
   * index on the line: a re-attached executor replays the file from the start with the same numbers.
   */
  private onLine(stream: 'stdout' | 'stderr', line: string, offset: number): void {
    const at = new Date();
    if (stream === 'stdout') {
      const parsed = parseReportLine(line);
      if (parsed && 'error' in parsed) this.note(`malformed FAIRSWEEP_METRIC line ignored: ${parsed.error}`);
      else if (parsed) {
        parsed.metrics.forEach(({ name, value }, i) => {
          this.emit({ type: 'metric', attemptId: this.id, at, name, value, step: parsed.step, seq: offset + i });
        });
      }
    }
    this.logBytes[stream] += Buffer.byteLength(line) + 1;
    if (this.logBytes[stream] <= this.logLimitBytes) this.emit({ type: 'log', attemptId: this.id, at, stream, line });
  }
}
