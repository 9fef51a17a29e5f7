/**
 * Integer options with defaults and minimums (0 unless given); refuses unknown names and
 * wrong values in one error naming every problem.
 */
export function parseIntOptions<T extends Record<string, number>>(plugin: string, options: unknown, defaults: T, minimums: Partial<T> = {}): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`pruner "${plugin}": options must be a mapping, got ${Array.isArray(options) ? 'a list' : String(options)}`);
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
  if (problems.length > 0) throw new TypeError(`pruner "${plugin}": ${problems.join('; ')}`);
  return out as T;
}
