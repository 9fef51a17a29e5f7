import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseReportLine, type ExecutorEvent } from '@fairsweep/sdk';
import { FILES } from './attempt.records.js';

type Emit = (event: ExecutorEvent) => void;

const CHUNK = 1 << 20;
const MAX_LINE = 1 << 20;

/** Follows one file the supervisor appends to, handing out complete lines with their byte offsets. */
class FileTail {
  private fd: number | null = null;
  offset = 0;
  private pending: Buffer = Buffer.alloc(0);
  private pendingStart = 0;
  private readonly buffer = Buffer.alloc(CHUNK);

  constructor(private readonly path: string) {}

  /** Complete lines added since the last call; with `final`, also a last line without a newline. */
  read(onLine: (line: string, offset: number) => void, final = false): void {
    if (this.fd === null) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return; // not created (yet)
      }
    }
    for (;;) {
      const bytesRead = readSync(this.fd, this.buffer, 0, CHUNK, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      this.consume(this.buffer.subarray(0, bytesRead), onLine);
    }
    if (final && this.pending.length > 0) {
      onLine(stripCr(this.pending.toString('utf8')), this.pendingStart);
      this.pending = Buffer.alloc(0);
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private consume(chunk: Buffer, onLine: (line: string, offset: number) => void): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    let start = this.pendingStart;
    let newline = data.indexOf(10);
    while (newline !== -1) {
      onLine(stripCr(data.subarray(0, newline).toString('utf8')), start);
      start += newline + 1;
      data = data.subarray(newline + 1);
      newline = data.indexOf(10);
    }
    while (data.length > MAX_LINE) {
      onLine(data.subarray(0, MAX_LINE).toString('utf8'), start);
      start += MAX_LINE;
      data = data.subarray(MAX_LINE);
    }
    this.pending = data;
    this.pendingStart = start;
  }
}

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * An attempt's output as the supervisor records it: every line of stdout.log and stderr.log as a
 * `log` event, and each FAIRSWEEP_METRIC line (from stdout.log, or from stdout.overflow past the
 * log limit) as `metric` events. Each metric carries `seq`, its line's byte offset in the stream
 * plus its index on the line: the same on every replay, so a consumer can keep metrics exactly-once.
 */
export class AttemptOutput {
  private readonly stdout: FileTail;
  private readonly stderr: FileTail;
  private readonly overflow: FileTail;
  private readonly limitNoted = new Set<string>();

  constructor(
    dir: string,
    private readonly attemptId: string,
    private readonly limitBytes: number,
    private readonly emit: Emit,
  ) {
    this.stdout = new FileTail(join(dir, FILES.stdout));
    this.stderr = new FileTail(join(dir, FILES.stderr));
    this.overflow = new FileTail(join(dir, FILES.overflow));
  }

  /** Emits what was added since the last read. */
  read(): void {
    this.stdout.read((line, offset) => this.onStdout(line, offset));
    this.stderr.read((line) => this.log('stderr', line));
    this.overflow.read((line) => this.onOverflow(line));
    this.noteLimit(this.stdout.offset >= this.limitBytes && this.limitBytes > 0 ? 'stdout' : null);
    this.noteLimit(this.stderr.offset >= this.limitBytes && this.limitBytes > 0 ? 'stderr' : null);
  }

  /** Emits the rest, given the stream sizes of the exit record (a last line cut by the limit is not a line). */
  final(sizes: { stdoutBytes: number; stderrBytes: number } | null): void {
    const stdoutCut = sizes !== null && sizes.stdoutBytes > this.limitBytes;
    const stderrCut = sizes !== null && sizes.stderrBytes > this.limitBytes;
    this.stdout.read((line, offset) => this.onStdout(line, offset), !stdoutCut);
    this.stderr.read((line) => this.log('stderr', line), !stderrCut);
    this.overflow.read((line) => this.onOverflow(line), true);
    this.noteLimit(stdoutCut ? 'stdout' : null);
    this.noteLimit(stderrCut ? 'stderr' : null);
    this.close();
  }

  close(): void {
    this.stdout.close();
    this.stderr.close();
    this.overflow.close();
  }

  /** A line from the executor itself, on the stderr stream, marked `[fairsweep]`. */
  note(message: string): void {
    this.emit({ type: 'log', attemptId: this.attemptId, at: new Date(), stream: 'stderr', line: `[fairsweep] ${message}` });
  }

  private onStdout(line: string, offset: number): void {
    this.collectMetrics(line, offset);
    this.log('stdout', line);
  }

  private onOverflow(entry: string): void {
    const space = entry.indexOf(' ');
    const offset = Number(entry.slice(0, space));
    if (space > 0 && Number.isSafeInteger(offset)) this.collectMetrics(entry.slice(space + 1), offset);
  }

  private log(stream: 'stdout' | 'stderr', line: string): void {
    this.emit({ type: 'log', attemptId: this.attemptId, at: new Date(), stream, line });
  }

  private noteLimit(stream: 'stdout' | 'stderr' | null): void {
    if (stream === null) return;
    if (this.limitNoted.has(stream)) return;
    this.limitNoted.add(stream);
    this.note(`${stream} passed the log limit of ${this.limitBytes} bytes; later lines are not logged${stream === 'stdout' ? ' (metrics are still collected)' : ''}`);
  }

  private collectMetrics(line: string, offset: number): void {
    const parsed = parseReportLine(line);
    if (parsed === null) return;
    if ('error' in parsed) {
      this.note(`malformed FAIRSWEEP_METRIC line ignored: ${parsed.error}`);
      return;
    }
    const at = new Date();
    parsed.metrics.forEach(({ name, value }, i) => {
      this.emit({ type: 'metric', attemptId: this.attemptId, at, name, value, step: parsed.step, seq: offset + i });
    });
  }
}
