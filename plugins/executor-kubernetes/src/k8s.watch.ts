import type { JobLike, KubeClient, WatchHandle } from './k8s.client.js';
import { classifyApiError, describeApiFailure } from './k8s.errors.js';

export interface JobWatchHandlers {
  /** A Job was added, changed or deleted (from the watch stream). */
  onJob(type: 'ADDED' | 'MODIFIED' | 'DELETED', job: JobLike): void;
  /** A full list (at start, after 410 Gone, and every resync interval); `startedAt` is when the list was asked for. */
  onList(items: JobLike[], startedAt: number): void;
  /** A watch or list failed; it is retried. */
  onError(message: string): void;
}

export interface JobWatchOptions {
  resyncIntervalMs: number;
  reconnectMs: number;
}

/**
 * Follows the Jobs of one namespace that match a label selector: list, then watch from the list's
 * resourceVersion; on a dropped watch, resume from the last resourceVersion seen; on `410 Gone`
 * (the server no longer has that version), list again; and list every `resyncIntervalMs` anyway,
 * so a watch that silently stopped delivering loses nothing.
 */
export class JobWatch {
  readonly stats = { lists: 0, watches: 0, gone: 0, errors: 0 };
  private resourceVersion = '';
  private handle: WatchHandle | undefined;
  private generation = 0;
  private stopped = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    private readonly labelSelector: string,
    private readonly handlers: JobWatchHandlers,
    private readonly options: JobWatchOptions,
  ) {}

  start(): void {
    void this.connect();
    this.resyncTimer = setInterval(() => void this.list().catch((error) => this.failed('resync list', error)), this.options.resyncIntervalMs);
    this.resyncTimer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.resyncTimer);
    this.handle?.abort();
    this.handle = undefined;
  }

  /** Lists now (also used by the executor when it needs a fresh view). */
  async list(): Promise<string> {
    const startedAt = Date.now();
    const { items, resourceVersion } = await this.client.listJobs(this.namespace, this.labelSelector);
    this.stats.lists++;
    if (!this.stopped) this.handlers.onList(items, startedAt);
    return resourceVersion;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    try {
      if (!this.resourceVersion) this.resourceVersion = await this.list();
      if (this.stopped || generation !== this.generation) return;
      this.stats.watches++;
      const handle = await this.client.watchJobs(
        this.namespace, this.labelSelector, this.resourceVersion,
        (type, object) => this.onEvent(generation, type, object),
        (error) => this.onDone(generation, error),
      );
      if (generation === this.generation && !this.stopped) this.handle = handle;
      else handle.abort();
    } catch (error) {
      this.onDone(generation, error);
    }
  }

  private onEvent(generation: number, type: string, object: unknown): void {
    if (generation !== this.generation || this.stopped) return;
    if (type === 'ERROR') {
      const status = object as { code?: number; reason?: string; message?: string };
      if (status?.code === 410) {
        // Too old a resourceVersion: events were compacted away. Only a fresh list is complete.
        this.stats.gone++;
        this.resourceVersion = '';
      } else {
        this.failed('watch', { code: status?.code, body: status });
      }
      this.reconnect(0);
      return;
    }
    const job = object as JobLike;
    const version = job?.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    this.failures = 0;
    if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.handlers.onJob(type, job);
  }

  private onDone(generation: number, error: unknown): void {
    if (generation !== this.generation || this.stopped) return;
    if (error) this.failed('watch', error);
    // A clean end (the server's watch timeout) is normal: resume from the last version at once.
    this.reconnect(error ? Math.min(30000, this.options.reconnectMs * 2 ** Math.min(this.failures, 5)) : 0);
  }

  private reconnect(delayMs: number): void {
    this.generation++;
    this.handle?.abort();
    this.handle = undefined;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
  }

  private failed(what: string, error: unknown): void {
    this.stats.errors++;
    this.failures++;
    if ((error as { name?: string })?.name === 'AbortError') return;
    this.handlers.onError(`${what} of Jobs in namespace ${this.namespace} failed (retrying): ${describeApiFailure(classifyApiError(error))}`);
  }
}
