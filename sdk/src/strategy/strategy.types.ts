import type { ExperimentSpec, ParamValues, SearchSpace } from '../spec/spec.types.js';

/** The strategy plugin API this SDK implements; `assertPlugin` accepts strategies that declare it. */
export const STRATEGY_API_VERSION = '1';

/** A completed trial as a strategy sees it. */
export interface Observation {
  trialIndex: number;
  params: ParamValues;
  state: 'succeeded' | 'failed' | 'pruned';
  /**
   * The objective metric's final value (for a pruned trial: its last reported value); null when
   * the trial reported none.
   */
  value: number | null;
  /** For a pruned trial, the step of its last reported value, when known (TPE ranks by it). */
  step?: number | null;
}

/** Everything a suggestion may depend on. The platform stores it with the suggestion for replay. */
export interface SuggestContext {
  space: SearchSpace;
  objective: ExperimentSpec['objective'];
  experimentSeed: number;
  trialIndex: number;
  /** Completed trials, in the order the platform observed them. */
  observations: readonly Observation[];
}

export interface Suggestion {
  params: ParamValues;
  /** How far the strategy's Rng advanced (`Rng.position`), recorded to check replays. */
  rngPosition?: number;
}

/**
 * A search strategy. `suggest` must be a pure function of its context: same context, same
 * suggestion, on any machine, in any process — that is what makes `replay` possible.
 */
export interface SearchStrategy {
  readonly name: string;
  readonly kind: 'strategy';
  /** The strategy API version it implements: STRATEGY_API_VERSION. */
  readonly apiVersion: string;
  /** The plugin's own version (its package version). */
  readonly version: string;
  suggest(ctx: SuggestContext): Suggestion;
}

/** Builds a strategy from `spec.strategy.options`; throws a clear error on bad options. */
export type StrategyFactory = (options: Record<string, unknown>) => SearchStrategy;
