import { METRIC_NAME_PATTERN } from '../spec/spec.schema.js';

/**
 * The trial-side line protocol. A trial reports metrics by printing, on stdout, lines such as
 *
 *     FAIRSWEEP_METRIC loss=0.31 accuracy=0.9 step=5
 *
 * one or more `name=value` pairs (finite decimal numbers) and an optional `step=N` (an integer
 * >= 0). Names match METRIC_NAME_PATTERN; `step` is reserved. See docs/line-protocol.md.
 */
export const REPORT_PREFIX = 'FAIRSWEEP_METRIC';

export interface ParsedReport {
  metrics: { name: string; value: number }[];
  step: number | null;
}

const METRIC_NAME = new RegExp(METRIC_NAME_PATTERN);
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads one line of trial output: a ParsedReport for a FAIRSWEEP_METRIC line, `null` for an
 * ordinary line, `{ error }` for a malformed one — a FAIRSWEEP_METRIC line with bad pairs, or a line
 * whose first word is an unknown FAIRSWEEP_ directive (such as the typo FAIRSWEEP_METRICS).
 * Lines like `FAIRSWEEP_SEED=3` (as printed by `env`) are ordinary.
 */
export function parseReportLine(line: string): ParsedReport | null | { error: string } {
  const tokens = line.trim().split(/[ \t]+/);
  const directive = tokens[0];
  if (directive !== REPORT_PREFIX) {
    if (directive.startsWith('FAIRSWEEP_') && !directive.includes('=')) {
      return { error: `unknown directive ${directive}; the only one is ${REPORT_PREFIX}` };
    }
    return null;
  }
  const pairs = tokens.slice(1).filter((t) => t !== '');
  if (pairs.length === 0) return { error: `${REPORT_PREFIX} needs at least one name=value pair` };
  const metrics: ParsedReport['metrics'] = [];
  let step: number | null = null;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { error: `expected name=value, got ${JSON.stringify(pair)}` };
    const name = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    if (name === 'step') {
      if (step !== null) return { error: 'step is given twice' };
      const value = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
        return { error: `step must be an integer >= 0, got ${JSON.stringify(text)}` };
      }
      step = value;
      continue;
    }
    if (!METRIC_NAME.test(name)) {
      return { error: `invalid metric name ${JSON.stringify(name)}: use a letter or "_", then letters, digits, "_", ".", "/" or "-"` };
    }
    if (metrics.some((m) => m.name === name)) return { error: `metric ${name} is given twice` };
    const value = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(value)) {
      return { error: `value of ${name} must be a finite number, got ${JSON.stringify(text)}` };
    }
    metrics.push({ name, value });
  }
  if (metrics.length === 0) return { error: `${REPORT_PREFIX} needs at least one metric besides step` };
  return { metrics, step };
}

/** The protocol line for some metrics (without the newline); throws on names or values it cannot carry. */
export function formatReportLine(metrics: Record<string, number>, step?: number | null): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(metrics)) {
    if (!METRIC_NAME.test(name)) throw new TypeError(`report: invalid metric name ${JSON.stringify(name)}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`report: metric ${name} must be a finite number, got ${String(value)}`);
    }
    pairs.push(`${name}=${Object.is(value, -0) ? 0 : value}`);
  }
  if (pairs.length === 0) throw new TypeError('report: give at least one metric');
  if (step !== undefined && step !== null) {
    if (!Number.isSafeInteger(step) || step < 0) throw new TypeError(`report: step must be an integer >= 0, got ${step}`);
    pairs.push(`step=${step}`);
  }
  return `${REPORT_PREFIX} ${pairs.join(' ')}`;
}
