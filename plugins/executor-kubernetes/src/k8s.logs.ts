import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { KubeClient, WatchHandle } from './k8s.client.js';

/**
 * Follows one container's log and hands each complete line to `onLine` exactly once. The log is
 * counted in lines: when a follow stream breaks and is opened again, or the rest is read with a
 * plain (non-follow) request at the end, the lines already handed over are skipped.
 */
export class LogFollower {
  /** Complete lines handed to onLine so far. */
  private consumed = 0;
  private handle: WatchHandle | undefined;
  private stream: PassThrough | undefined;
  private partial = '';
  private streamEnded: Promise<void> = Promise.resolve();
  private following = false;
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    readonly pod: string,
    private readonly container: string,
    private readonly onLine: (line: string) => void,
  ) {}

  get isFollowing(): boolean {
    return this.following;
  }

  /** Opens a follow stream (again), unless one is open. Failures leave it closed for the next try. */
  async follow(): Promise<void> {
    if (this.following || this.stopped) return;
    this.following = true;
    const stream = new PassThrough();
    const decoder = new StringDecoder('utf8');
    let seen = 0;
    let pending = '';
    this.stream = stream;
    this.streamEnded = new Promise<void>((resolve) => {
      const end = () => {
        this.partial = pending + decoder.end();
        if (this.stream === stream) {
          this.following = false;
          this.handle = undefined;
        }
        resolve();
      };
      stream.on('end', end);
      stream.on('close', end);
      stream.on('error', end);
    });
    stream.on('data', (chunk: Buffer) => {
      const lines = (pending + decoder.write(chunk)).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        seen++;
        if (seen > this.consumed && !this.stopped) {
          this.consumed++;
          this.onLine(line.replace(/\r$/, ''));
        }
      }
    });
    try {
      const handle = await this.client.followLog(this.namespace, this.pod, this.container, stream);
      if (this.stopped) handle.abort();
      else this.handle = handle;
    } catch (error) {
      stream.destroy();
      this.following = false;
      throw error;
    }
  }

  /**
   * The container has ended: waits up to `waitMs` for the follow stream to end, then reads the whole
   * log once more and hands over what the stream did not (the last line without a newline, or
   * everything after a broken stream). If the pod is already gone, the stream's unfinished last line
   * is all that is left.
   */
  async drain(waitMs: number): Promise<void> {
    if (this.stopped) return;
    if (this.following) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.streamEnded, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    this.abortStream();
    let text: string | undefined;
    try {
      text = await this.client.readLog(this.namespace, this.pod, this.container);
    } catch {
      text = undefined;
    }
    if (this.stopped) return;
    if (text === undefined) {
      if (this.partial) this.onLine(this.partial);
      this.partial = '';
      return;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines.slice(this.consumed)) {
      this.consumed++;
      this.onLine(line.replace(/\r$/, ''));
    }
    this.partial = '';
  }

  /** Stops for good, handing over nothing more. */
  stop(): void {
    this.stopped = true;
    this.abortStream();
  }

  private abortStream(): void {
    this.handle?.abort();
    this.handle = undefined;
    this.stream?.destroy();
    this.stream = undefined;
    this.following = false;
  }
}
