import {
  buildConfiguration,
  createRng,
  deriveTrialSeed,
  isActive,
  parameterOrder,
  sampleParameter,
  STRATEGY_API_VERSION,
  type ParamValues,
  type Rng,
  type SearchStrategy,
  type SuggestContext,
  type Suggestion,
} from '@fairsweep/sdk';
import { ParzenEstimator } from './parzen.estimator.js';
import { defaultGamma, scoreObservations, splitBelowAbove, type Scored } from './tpe.observations.js';
import { parseTpeOptions, type TpeOptions } from './tpe.options.js';
import { fromInternal, toDims, toInternal, type Dim } from './tpe.space.js';

/** The package version; a test keeps it equal to package.json. */
export const TPE_STRATEGY_VERSION = '0.2.0';

/** The Rng stream this strategy draws from (part of its replay contract). */
export const TPE_STREAM = 'tpe';

/**
 * Tree-structured Parzen Estimator with Optuna 3.1's definition and defaults. A pure function of
 * (space, objective, experimentSeed, trialIndex, ordered observations): all randomness comes
 * from `createRng(deriveTrialSeed(seed, trialIndex), 'tpe')`, parameters in sorted name order.
 *
 * Conditional spaces, as Optuna's independent TPE treats them: parameters are suggested parents
 * first (`parameterOrder`; sorted name order when there are no conditions) and an inactive one
 * is skipped — no draws, absent from the suggestion. Each parameter's l(x) and g(x) are built from
 * the below/above observations that have it (the split itself ranks every observation). With
 * `multivariate`, the always-active parameters share one joint estimator and each conditional
 * parameter then gets its own, in `parameterOrder`, when active.
 */
export function createTpeStrategy(options: Record<string, unknown> = {}): SearchStrategy {
  const opts = parseTpeOptions(options);
  return {
    name: 'tpe',
    kind: 'strategy',
    apiVersion: STRATEGY_API_VERSION,
    version: TPE_STRATEGY_VERSION,
    suggest: (ctx) => suggestTpe(ctx, opts, opts.constantLiar ? pendingParams(ctx, opts) : []),
  };
}

/**
 * One suggestion with the uniforms drawn from `rng` instead of the trial's own stream: the bench's
 * equivalence check feeds it numpy's stream from an Optuna run and compares the suggestions.
 */
export function suggestTpeWithRng(ctx: SuggestContext, options: Record<string, unknown>, rng: Rng): Suggestion {
  return suggestTpe(ctx, parseTpeOptions(options), [], rng);
}

function suggestTpe(
  ctx: SuggestContext,
  opts: TpeOptions,
  pending: readonly ParamValues[],
  rng: Rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), TPE_STREAM),
): Suggestion {
  const names = parameterOrder(ctx.space);
  const scored = scoreObservations(ctx.observations, ctx.objective.direction, pending);
  const n = scored.filter((s) => !s.lie).length;
  if (n < opts.nStartupTrials) {
    const params = buildConfiguration(ctx.space, (name) => sampleParameter(ctx.space[name], rng));
    return { params, rngPosition: rng.position };
  }
  const params: ParamValues = {};
  const { below, above } = splitBelowAbove(scored, defaultGamma(n));
  const always = names.filter((name) => ctx.space[name].when === undefined);
  const groups = opts.multivariate
    ? [always, ...names.filter((name) => ctx.space[name].when !== undefined).map((name) => [name])]
    : names.map((name) => [name]);
  for (const group of groups) {
    if (group.length === 1 && !isActive(ctx.space, group[0], params)) continue;
    const dims = toDims(ctx.space, group);
    const l = new ParzenEstimator(dims, columns(dims, below), opts);
    const g = new ParzenEstimator(dims, columns(dims, above), opts);
    const candidates = l.sample(rng, opts.nEiCandidates);
    const logL = l.logPdf(candidates);
    const logG = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (logL[i] - logG[i] > logL[best] - logG[best]) best = i;
    dims.forEach((dim, d) => (params[dim.name] = fromInternal(dim, candidates[best][d])));
  }
  return { params: Object.fromEntries(Object.keys(params).sort().map((k) => [k, params[k]])), rngPosition: rng.position };
}

/** Internal coordinates by parameter, of the observations that have every parameter of `dims` (others are skipped). */
function columns(dims: readonly Dim[], scored: readonly Scored[]): number[][] {
  const out: number[][] = dims.map(() => []);
  const row = new Array<number | null>(dims.length);
  for (const s of scored) {
    for (let d = 0; d < dims.length; d++) row[d] = toInternal(dims[d], s.params[dims[d].name]);
    if (row.every((x) => x !== null)) for (let d = 0; d < dims.length; d++) out[d].push(row[d] as number);
  }
  return out;
}

/**
 * Constant liar: the trials below `trialIndex` that are not among the observations are still
 * running. Their parameters are re-derived — trial j from the observations of trials with a
 * lower index — in index order, so the whole computation stays a pure function of the context.
 */
function pendingParams(ctx: SuggestContext, opts: TpeOptions): ParamValues[] {
  const observed = new Set(ctx.observations.map((o) => o.trialIndex));
  const known = new Map<number, ParamValues>();
  for (let j = 0; j < ctx.trialIndex; j++) {
    if (observed.has(j)) continue;
    const prior = ctx.observations.filter((o) => o.trialIndex < j);
    known.set(j, suggestTpe({ ...ctx, trialIndex: j, observations: prior }, opts, [...known.values()]).params);
  }
  return [...known.values()];
}
