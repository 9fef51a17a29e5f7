import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;

/**
 * Follows a file that a job writes (its stdout or stderr on a shared file system): each `read()`
 * hands the complete lines added since the last call to `onLine`; `read({ final: true })` also
 * hands the last line without a newline.
 */
export class OutputTail {
  private offset = 0;
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
  ) {}

  read(opts: { final?: boolean } = {}): Promise<void> {
    this.reading = this.reading.then(() => this.readNow(opts.final === true));
    return this.reading;
  }

  private async readNow(final: boolean): Promise<void> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch {
      return; // not created yet (the job has not started) or not visible here
    }
    try {
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.consume(this.decoder.write(buffer.subarray(0, bytesRead)));
      }
    } finally {
      await handle.close();
    }
    if (final) {
      this.consume(this.decoder.end());
      if (this.pending !== '') this.emit(this.pending);
      this.pending = '';
    }
  }

  private consume(text: string): void {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
    while (this.pending.length > MAX_LINE) {
      this.onLine(this.pending.slice(0, MAX_LINE));
      this.pending = this.pending.slice(MAX_LINE);
    }
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
