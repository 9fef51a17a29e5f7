import { StringDecoder } from 'node:string_decoder';

/**
 * Turns chunks of UTF-8 output into lines, without their `\n` or `\r\n`. A line longer than
 * `maxLineChars` is cut into pieces of that size, so a process without newlines cannot grow memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 1 << 20,
  ) {}

  push(chunk: Buffer): void {
    this.consume(this.decoder.write(chunk));
  }

  /** Emits what is left (a last line without a newline). */
  end(): void {
    this.consume(this.decoder.end());
    if (this.pending !== '') this.emit(this.pending);
    this.pending = '';
  }

  private consume(text: string): void {
    let rest = this.pending + text;
    let newline = rest.indexOf('\n');
    while (newline !== -1) {
      this.emit(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
    while (rest.length > this.maxLineChars) {
      this.onLine(rest.slice(0, this.maxLineChars));
      rest = rest.slice(this.maxLineChars);
    }
    this.pending = rest;
  }

  private emit(line: string): void {
    let rest = line.endsWith('\r') ? line.slice(0, -1) : line;
    while (rest.length > this.maxLineChars) {
      this.onLine(rest.slice(0, this.maxLineChars));
      rest = rest.slice(this.maxLineChars);
    }
    this.onLine(rest);
  }
}
