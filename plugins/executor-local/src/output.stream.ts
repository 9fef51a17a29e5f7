import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseReportLine, type ExecutorEvent } from '@fairsweep/sdk';
import { LineSplitter } from './line.splitter.js';

type Emit = (event: ExecutorEvent) => void;

/**
 * One output stream of an attempt: copies the raw bytes to its log file and emits each line as a
 * 'log' event, both up to `limitBytes`; on stdout, also parses FAIRSWEEP_METRIC lines into
 * 'metric' events (always, even past the limit) and notes malformed ones on the stderr stream.
 */
export class OutputStream {
  private readonly file: WriteStream;
  private readonly splitter: LineSplitter;
  private fileBytes = 0;
  private eventBytes = 0;
  private limitNoted = false;

  constructor(
    private readonly stream: 'stdout' | 'stderr',
    filePath: string,
    private readonly attemptId: string,
    private readonly limitBytes: number,
    private readonly emit: Emit,
  ) {
    this.file = createWriteStream(filePath, { flags: 'w' });
    this.file.on('error', () => undefined); // a full disk must not crash the executor; lines still flow as events
    this.splitter = new LineSplitter((line) => this.onLine(line));
  }

  attach(source: Readable): void {
    source.on('data', (chunk: Buffer) => this.onChunk(chunk));
  }

  /** Flushes the last partial line and closes the file. */
  async end(): Promise<void> {
    this.splitter.end();
    await new Promise<void>((resolve) => this.file.end(() => resolve()));
  }

  private onChunk(chunk: Buffer): void {
    const room = this.limitBytes - this.fileBytes;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.file.write(part);
      this.fileBytes += part.length;
    }
    this.splitter.push(chunk);
  }

  private onLine(line: string): void {
    const at = new Date();
    if (this.stream === 'stdout') this.collectMetrics(line, at);
    this.eventBytes += Buffer.byteLength(line) + 1;
    if (this.eventBytes <= this.limitBytes) {
      this.emit({ type: 'log', attemptId: this.attemptId, at, stream: this.stream, line });
    } else if (!this.limitNoted) {
      this.limitNoted = true;
      this.note(`${this.stream} passed the log limit of ${this.limitBytes} bytes; later lines are not logged${this.stream === 'stdout' ? ' (metrics are still collected)' : ''}`);
    }
  }

  private collectMetrics(line: string, at: Date): void {
    const parsed = parseReportLine(line);
    if (parsed === null) return;
    if ('error' in parsed) {
      this.note(`malformed FAIRSWEEP_METRIC line ignored: ${parsed.error}`);
      return;
    }
    for (const { name, value } of parsed.metrics) {
      this.emit({ type: 'metric', attemptId: this.attemptId, at, name, value, step: parsed.step });
    }
  }

  /** A line from the executor itself, on the stderr stream, marked `[fairsweep]`. */
  note(message: string): void {
    this.emit({ type: 'log', attemptId: this.attemptId, at: new Date(), stream: 'stderr', line: `[fairsweep] ${message}` });
  }
}
