import { parseReportLine, type ExecutorEvent, type TrialLaunch, type TrialOutcome } from '@fairsweep/sdk';
import type { JobLike } from './k8s.client.js';
import { isRetryableReason } from './k8s.errors.js';
import type { LogFollower } from './k8s.logs.js';

type Emit = (event: ExecutorEvent) => void;

/**
 * What the executor knows of one attempt's Job and the events it has sent: `started` once its
 * container runs, `log`/`metric` from the container's log, `exited` exactly once and last.
 */
export class KubeAttempt {
  submitted: Promise<void> = Promise.resolve();
  /** The latest Job object seen (create, watch or list); undefined until the Job exists. */
  job: JobLike | undefined;
  /** When the Job was known to exist (ms): a list asked for after that and missing it means it is gone. */
  knownSince = 0;
  jobGone = false;
  cancel: { reason: string; graceMs: number } | undefined;
  /** The end is being recorded (logs drained): no cancel or second end may start. */
  finishing = false;
  pendingReason: string | null = null;
  /** The pod whose container ran (for the log and the end state). */
  podName: string | undefined;
  logs: LogFollower | undefined;
  /** Serialises reconciliation: one at a time, and once more if asked while running. */
  reconciling: Promise<void> | undefined;
  again = false;
  detached = false;
  /** The Job was created by an earlier executor instance and adopted. */
  reattached = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private startedSent = false;
  private finished = false;
  private logBytes = 0;
  private metricSeq = 0;

  constructor(
    readonly launch: TrialLaunch,
    readonly namespace: string,
    readonly jobName: string,
    private readonly emitEvent: Emit,
    private readonly logLimitBytes: number,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
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

  private emit(event: ExecutorEvent): void {
    if (!this.detached) this.emitEvent(event);
  }

  started(host: string, devices: string[], notes: string[]): void {
    if (this.startedSent || this.finished) return;
    this.startedSent = true;
    this.pendingReason = null;
    this.emit({
      type: 'started', attemptId: this.id, at: new Date(), host, devices, notes,
      gpus: devices.map((id) => ({ id, uuid: id })),
      ...(this.reattached ? { reattached: true } : {}),
    });
  }

  /** Records why the attempt waits; notes it on the stderr log stream when it changes. */
  pending(reason: string | null): void {
    if (reason === this.pendingReason || this.startedSent || this.finished) return;
    this.pendingReason = reason;
    if (reason) this.note(`pending in Kubernetes (Job ${this.namespace}/${this.jobName}): ${reason}`);
  }

  note(message: string): void {
    if (this.finished) return;
    this.emit({ type: 'log', attemptId: this.id, at: new Date(), stream: 'stderr', line: `[fairsweep] ${message}` });
  }

  /** One line of the container's log (Kubernetes merges stdout and stderr: both are reported as stdout). */
  line(line: string): void {
    if (this.finished || !this.startedSent) return;
    const at = new Date();
    const parsed = parseReportLine(line);
    if (parsed && 'error' in parsed) this.note(`malformed FAIRSWEEP_METRIC line ignored: ${parsed.error}`);
    else if (parsed) {
      // seq counts metrics in the output: a re-attached executor replays the log and repeats the same numbers.
      for (const { name, value } of parsed.metrics) this.emit({ type: 'metric', attemptId: this.id, at, name, value, step: parsed.step, seq: ++this.metricSeq });
    }
    this.logBytes += Buffer.byteLength(line) + 1;
    if (this.logBytes <= this.logLimitBytes) this.emit({ type: 'log', attemptId: this.id, at, stream: 'stdout', line });
  }

  finish(outcome: TrialOutcome, reason: string, exitCode: number | null = null, signal: string | null = null): void {
    if (this.finished) return;
    this.finished = true;
    this.finishing = true;
    this.logs?.stop();
    this.emit({ type: 'exited', attemptId: this.id, at: new Date(), outcome, exitCode, signal, reason, ...(isRetryableReason(reason) ? { retryable: true } : {}) });
    this.resolveDone();
  }

  /** Stops reporting without an end (detach): the Job goes on. */
  detach(): void {
    this.detached = true;
    this.logs?.stop();
    this.resolveDone();
  }
}
