import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;

/**
 * Follows a file that a job writes (its stdout or stderr on a shared file system): each `read()`
 * hands the complete lines added since the last call to `onLine`, with the byte offset where each
 * line starts in the file (the same on every re-read from the start, so metrics can carry a stable
 * `seq`); `read({ final: true })` also hands the last line without a newline.
 */
export class OutputTail {
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);
  private pendingStart = 0;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string, offset: number) => void,
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
        this.consume(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    if (final && this.pending.length > 0) {
      this.emit(this.pending, this.pendingStart);
      this.pending = Buffer.alloc(0);
    }
  }

  /** Splits on newline bytes (never inside a UTF-8 sequence), so offsets are exact byte positions. */
  private consume(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    let start = this.pendingStart;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10)) {
      this.emit(data.subarray(0, newline), start);
      start += newline + 1;
      data = data.subarray(newline + 1);
    }
    while (data.length > MAX_LINE) {
      this.emit(data.subarray(0, MAX_LINE), start);
      start += MAX_LINE;
      data = data.subarray(MAX_LINE);
    }
    this.pending = data;
    this.pendingStart = start;
  }

  private emit(bytes: Buffer, offset: number): void {
    const line = bytes.toString('utf8');
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, offset);
  }
}
