/**
 * Parses a pruner's integer options (the spec's `pruner.options`): each known option falls back to
 * its default; values must be integers >= their minimum (0 unless given). Unknown names and wrong
 * values are refused in one `TypeError` naming the pruner and every problem, e.g.
 * `pruner "median": unknown option "nStartup"; allowed: nStartupTrials, nWarmupSteps; option "nWarmupSteps" must be an integer >= 0, got 1.5`.
 */
export function parsePrunerIntOptions<T extends Record<string, number>>(pruner: string, options: unknown, defaults: T, minimums: Partial<T> = {}): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`pruner "${pruner}": options must be a mapping, got ${Array.isArray(options) ? 'a list' : String(options)}`);
  }
  const problems: string[] = [];
  const out: Record<string, number> = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in defaults)) {
      problems.push(`unknown option "${key}"; allowed: ${Object.keys(defaults).join(', ')}`);
      continue;
    }
    const min = minimums[key] ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) problems.push(`option "${key}" must be an integer >= ${min}, got ${JSON.stringify(value)}`);
    else out[key] = value;
  }
  if (problems.length > 0) throw new TypeError(`pruner "${pruner}": ${problems.join('; ')}`);
  return out as T;
}
