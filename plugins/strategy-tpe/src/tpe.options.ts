/** TPE's options, named as in a spec's `strategy.options`; defaults are Optuna 3.1's. */
export interface TpeOptions {
  /** Random suggestions until this many trials succeeded or were pruned. Optuna: n_startup_trials. */
  nStartupTrials: number;
  /** Candidates drawn from l(x) per suggestion; the one maximising l(x)/g(x) wins. Optuna: n_ei_candidates. */
  nEiCandidates: number;
  /** Weight of the prior kernel in both estimators. Optuna: prior_weight. */
  priorWeight: number;
  /** Bandwidths of the outermost kernels reach to the bounds. Optuna: consider_endpoints. */
  considerEndpoints: boolean;
  /** Clip bandwidths below at range / min(100, 1 + kernels). Optuna: consider_magic_clip. */
  considerMagicClip: boolean;
  /** One joint estimator over all parameters instead of one per parameter. Optuna: multivariate. */
  multivariate: boolean;
  /** Trials still running count as the worst result seen. Optuna: constant_liar. */
  constantLiar: boolean;
}

export const TPE_DEFAULTS: Readonly<TpeOptions> = Object.freeze({
  nStartupTrials: 10,
  nEiCandidates: 24,
  priorWeight: 1,
  considerEndpoints: false,
  considerMagicClip: true,
  multivariate: false,
  constantLiar: false,
});

type Check = (v: unknown) => string | null;
const integer = (min: number): Check => (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? null : `an integer >= ${min}`);
const positive: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'a number > 0');
const boolean: Check = (v) => (typeof v === 'boolean' ? null : 'true or false');

const CHECKS: Record<keyof TpeOptions, Check> = {
  nStartupTrials: integer(0),
  nEiCandidates: integer(1),
  priorWeight: positive,
  considerEndpoints: boolean,
  considerMagicClip: boolean,
  multivariate: boolean,
  constantLiar: boolean,
};

/** Validates `strategy.options` and fills defaults; throws one error listing every problem. */
export function parseTpeOptions(options: unknown): TpeOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`strategy "tpe": options must be a mapping, got ${Array.isArray(options) ? 'a list' : String(options)}`);
  }
  const problems: string[] = [];
  const parsed: Record<string, unknown> = { ...TPE_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (!check) {
      problems.push(`unknown option "${key}"; allowed: ${Object.keys(CHECKS).join(', ')}`);
      continue;
    }
    const expected = check(value);
    if (expected) problems.push(`option "${key}" must be ${expected}, got ${JSON.stringify(value)}`);
    else parsed[key] = value;
  }
  if (problems.length > 0) throw new TypeError(`strategy "tpe": ${problems.join('; ')}`);
  return parsed as unknown as TpeOptions;
}
