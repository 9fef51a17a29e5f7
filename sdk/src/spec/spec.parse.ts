import { LineCounter, parseDocument } from 'yaml';
import { SpecError, type SpecIssue } from './spec.error.js';
import { normalizeSpec, type NormalizeOptions } from './spec.normalize.js';
import type { ExperimentSpec } from './spec.types.js';

export interface ParseSpecOptions extends NormalizeOptions {
  /** Default: JSON when the text starts with `{`, YAML otherwise. */
  format?: 'yaml' | 'json';
}

/**
 * Parses a spec file (YAML or JSON), validates and normalises it. Throws SpecError for syntax
 * errors (with line and column) and for every validation issue.
 */
export function parseSpec(text: string, opts: ParseSpecOptions = {}): ExperimentSpec {
  const format = opts.format ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  const document = format === 'json' ? parseJson(text) : parseYaml(text);
  return normalizeSpec(document, opts);
}

/** The data in a YAML text (YAML 1.2 core schema, duplicate keys refused); throws SpecError. */
export function parseYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    // The parser recurses once per level of block nesting; thousands of levels overflow the stack.
    if ((error as Error)?.name !== 'RangeError') throw error;
    throw new SpecError([{ path: '', message: `YAML error: the document is nested too deeply to parse (${(error as Error).message})` }]);
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new SpecError(
      problems.map((e): SpecIssue => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { path: '', message: `YAML syntax error at line ${line}, column ${col}: ${firstLine(e.message)}` };
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new SpecError([{ path: '', message: `YAML error: ${(error as Error).message}` }]);
  }
}

/** The data in a JSON text; throws SpecError with the line and column of a syntax error. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : '';
    const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new SpecError([{ path: '', message: `JSON syntax error${where}: ${detail}` }]);
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
