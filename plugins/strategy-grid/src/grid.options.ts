import type { ParamValue } from '@fairsweep/sdk';

/** Grid options as written in a spec's `strategy.options`. */
export interface GridOptions {
  /** Points per float parameter without its own `points` entry: evenly spaced, ends included (log-spaced with `log`). Default 10. */
  resolution: number;
  /** Per parameter: a number of points (floats and ints), or the exact values to try. Ints default to every value on their step grid. */
  points: Record<string, number | ParamValue[]>;
  /** After every grid point was suggested: `cycle` starts the same order again; `error` makes further suggestions throw. */
  onExhausted: 'cycle' | 'error';
}

const ALLOWED = ['resolution', 'points', 'onExhausted'];

/** Validates options and fills defaults; throws one error naming every problem. */
export function parseGridOptions(options: unknown): GridOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`strategy "grid": options must be a mapping, got ${Array.isArray(options) ? 'a list' : String(options)}`);
  }
  const o = options as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(o)) if (!ALLOWED.includes(key)) problems.push(`unknown option "${key}"; allowed: ${ALLOWED.join(', ')}`);
  const resolution = o.resolution ?? 10;
  if (!isCount(resolution)) problems.push(`option "resolution" must be an integer >= 2, got ${JSON.stringify(resolution)}`);
  const points = o.points ?? {};
  if (points === null || typeof points !== 'object' || Array.isArray(points)) {
    problems.push(`option "points" must be a mapping of parameter name to a count or a list of values, got ${JSON.stringify(points)}`);
  } else {
    for (const [name, p] of Object.entries(points)) {
      const list = Array.isArray(p) && p.length > 0 && p.every((v) => ['number', 'string', 'boolean'].includes(typeof v));
      if (!isCount(p) && !list) problems.push(`option "points.${name}" must be an integer >= 2 or a non-empty list of values, got ${JSON.stringify(p)}`);
    }
  }
  const onExhausted = o.onExhausted ?? 'cycle';
  if (onExhausted !== 'cycle' && onExhausted !== 'error') problems.push(`option "onExhausted" must be "cycle" or "error", got ${JSON.stringify(onExhausted)}`);
  if (problems.length > 0) throw new TypeError(`strategy "grid": ${problems.join('; ')}`);
  return { resolution: resolution as number, points: points as GridOptions['points'], onExhausted: onExhausted as GridOptions['onExhausted'] };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 2;
}
