import { deriveTrialSeed, type ExperimentSpec, type Observation, type ParamValues, type SearchStrategy } from '@fairsweep/sdk';
import { canonicalJson } from '@fairsweep/sdk';
import { createStrategy } from '../sweep/strategy.registry.js';
import { toObservation } from '../sweep/sweep.rules.js';
import type { TrialState } from '../trial/trial.entity.js';
import type { ObjectiveReport } from '../prune/prune.domain.js';
import { createPruner } from '../prune/pruner.registry.js';
import { replayPruneDecisions, type PruneReplayReport, type PrunerFactoryFn, type RecordedPruneDecision } from '../prune/prune.replay.js';

/**
 * Replay: re-derives every recorded suggestion from the experiment record and compares it bit for
 * bit. Pure: no database, no GraphQL; the caller loads the record.
 */

export interface ReplayTrial {
  index: number;
  params: ParamValues;
  seed: number;
  state: string;
  value: number | null;
  suggestion: {
    strategy: string;
    strategyVersion: string;
    options: Record<string, unknown>;
    observedTrials: number[];
    rngPosition: number | null;
  };
}

export interface ReplayRecord {
  seed: number;
  strategy: string;
  strategyVersion: string;
  spec: Pick<ExperimentSpec, 'searchSpace' | 'objective' | 'strategy' | 'pruner'>;
  trials: readonly ReplayTrial[];
  /** With a pruner: every recorded decision and the experiment's objective reports with a step. */
  pruneDecisions?: readonly RecordedPruneDecision[];
  objectiveReports?: readonly ObjectiveReport[];
}

export type DivergenceField = 'strategy' | 'observations' | 'seed' | 'params' | 'rngPosition';

export interface Divergence {
  trialIndex: number;
  parameter?: string;
  field: DivergenceField;
  expected: unknown;
  actual: unknown;
  message: string;
}

export interface ReplayReport {
  match: boolean;
  /** Trials re-derived. */
  checked: number;
  /** Trials whose seed and suggestion matched the record exactly. */
  matched: number;
  firstDivergence?: Divergence;
  /** With a pruner: its recorded decisions re-derived (`match` is false when one diverged). */
  prune?: PruneReplayReport;
}

export type StrategyFactoryFn = (name: string, options: Record<string, unknown>) => SearchStrategy | { error: string; path: string };

export function replay(record: ReplayRecord, strategies: StrategyFactoryFn = createStrategy, pruners: PrunerFactoryFn = createPruner): ReplayReport {
  const trials = [...record.trials].sort((a, b) => a.index - b.index);
  const byIndex = new Map(trials.map((t) => [t.index, t]));
  const prunedSteps = new Map((record.pruneDecisions ?? []).filter((d) => d.prune).map((d) => [d.trialIndex, d.step]));
  let matched = 0;
  let first: Divergence | undefined;
  const instances = new Map<string, SearchStrategy | { error: string }>();
  for (const trial of trials) {
    const d = replayTrial(record, trial, byIndex, prunedSteps, (name, options) => {
      const key = `${name}\u0000${canonicalJson(options)}`;
      if (!instances.has(key)) instances.set(key, strategies(name, options));
      return instances.get(key)!;
    });
    if (d) first ??= d;
    else matched += 1;
  }
  const prune = record.spec.pruner
    ? replayPruneDecisions(record.spec.pruner, record.spec.objective.direction, record.pruneDecisions ?? [], record.objectiveReports ?? [], pruners)
    : undefined;
  return {
    match: !first && !prune?.firstDivergence, checked: trials.length, matched,
    ...(first ? { firstDivergence: first } : {}), ...(prune ? { prune } : {}),
  };
}

function replayTrial(
  record: ReplayRecord,
  trial: ReplayTrial,
  byIndex: ReadonlyMap<number, ReplayTrial>,
  prunedSteps: ReadonlyMap<number, number>,
  strategies: (name: string, options: Record<string, unknown>) => SearchStrategy | { error: string },
): Divergence | null {
  const at = (field: DivergenceField, expected: unknown, actual: unknown, message: string, parameter?: string): Divergence => ({
    trialIndex: trial.index, field, expected, actual, message: `trial ${trial.index}: ${message}`, ...(parameter !== undefined ? { parameter } : {}),
  });
  const s = trial.suggestion;
  if (s.strategy !== record.strategy) return at('strategy', record.strategy, s.strategy, `suggested by strategy "${s.strategy}", the experiment names "${record.strategy}"`);
  if (canonicalJson(s.options) !== canonicalJson(record.spec.strategy.options)) {
    return at('strategy', record.spec.strategy.options, s.options, 'recorded strategy options differ from the spec');
  }
  const strategy = strategies(s.strategy, record.spec.strategy.options);
  if ('error' in strategy) return at('strategy', `${s.strategy}@${s.strategyVersion}`, null, `strategy "${s.strategy}" cannot be created: ${strategy.error}`);
  if (strategy.version !== s.strategyVersion) {
    return at('strategy', s.strategyVersion, strategy.version, `recorded with ${s.strategy}@${s.strategyVersion}, installed is ${strategy.name}@${strategy.version}`);
  }

  const observations: Observation[] = [];
  for (const i of s.observedTrials) {
    const o = byIndex.get(i);
    if (!o || o.index >= trial.index || !['succeeded', 'failed', 'pruned'].includes(o.state)) {
      return at('observations', `trial ${i} finished`, o ? `trial ${i} ${o.state}` : `no trial ${i}`, `observed trial ${i} is not a finished earlier trial of this experiment`);
    }
    observations.push(toObservation({ ...o, state: o.state as TrialState }, prunedSteps.get(o.index)));
  }

  const seed = deriveTrialSeed(record.seed, trial.index);
  if (!Object.is(seed, trial.seed)) return at('seed', trial.seed, seed, `recorded seed ${trial.seed}, derive(${record.seed}, ${trial.index}) = ${seed}`);

  let suggestion;
  try {
    suggestion = strategy.suggest({ space: record.spec.searchSpace, objective: record.spec.objective, experimentSeed: record.seed, trialIndex: trial.index, observations });
  } catch (err) {
    return at('params', trial.params, null, `strategy threw: ${(err as Error).message}`);
  }
  const names = [...new Set([...Object.keys(trial.params), ...Object.keys(suggestion.params)])].sort();
  for (const name of names) {
    const expected = trial.params[name];
    const actual = suggestion.params[name];
    if (!sameValue(expected, actual)) {
      return at('params', expected ?? null, actual ?? null, `parameter ${name}: recorded ${show(expected)}, re-derived ${show(actual)}`, name);
    }
  }
  const rng = suggestion.rngPosition ?? null;
  if (s.rngPosition !== null && s.rngPosition !== undefined && !Object.is(rng, s.rngPosition)) {
    return at('rngPosition', s.rngPosition, rng, `random stream position: recorded ${s.rngPosition}, re-derived ${String(rng)}`);
  }
  return null;
}

/** Bit-for-bit equality: Object.is for numbers (0 ≠ -0, NaN = NaN), strict equality otherwise. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  return a === b;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return JSON.stringify(v);
}
