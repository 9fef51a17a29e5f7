/** The random strategy's options, as written in a spec's `strategy.options`. */
export interface RandomOptions {
  /**
   * `random` (default): independent draws from each trial's own seed. `sobol`: point i of a
   * Sobol low-discrepancy sequence for trial i, randomised by a digital shift drawn from the
   * experiment seed.
   */
  sampler: RandomSampler;
}

export const RANDOM_SAMPLERS = ['random', 'sobol'] as const;
export type RandomSampler = (typeof RANDOM_SAMPLERS)[number];

const ALLOWED = ['sampler'];

/** Validates `strategy.options` and fills defaults; throws one error naming every problem. */
export function parseRandomOptions(options: unknown): RandomOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`strategy "random": options must be a mapping, got ${Array.isArray(options) ? 'a list' : String(options)}`);
  }
  const o = options as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(o).filter((key) => !ALLOWED.includes(key));
  if (unknown.length > 0) {
    problems.push(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${ALLOWED.join(', ')}`);
  }
  const sampler = Object.hasOwn(o, 'sampler') ? o.sampler : 'random';
  if (!RANDOM_SAMPLERS.includes(sampler as RandomSampler)) {
    problems.push(`option "sampler" must be ${RANDOM_SAMPLERS.map((s) => JSON.stringify(s)).join(' or ')}, got ${JSON.stringify(sampler)}`);
  }
  if (problems.length > 0) throw new TypeError(`strategy "random": ${problems.join('; ')}`);
  return { sampler: sampler as RandomSampler };
}
