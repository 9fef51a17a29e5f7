import { LineSplitter } from './line.splitter.js';

function split(chunks: (string | Buffer)[], maxLineChars?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), maxLineChars);
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it.each([
    ['lines across chunks', ['a', 'b\nc', 'd\n'], ['ab', 'cd']],
    ['CRLF endings', ['x\r\ny\r', '\n'], ['x', 'y']],
    ['a last line without newline', ['x\ny'], ['x', 'y']],
    ['empty lines', ['\n\nz\n'], ['', '', 'z']],
    ['no output', [], []],
  ])('handles %s', (_title, chunks, expected) => {
    expect(split(chunks)).toEqual(expected);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('héllo wörld\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(['héllo wörld']);
  });

  it('cuts lines longer than the limit', () => {
    expect(split(['abcdefgh', 'ij\nk'], 4)).toEqual(['abcd', 'efgh', 'ij', 'k']);
  });
});
