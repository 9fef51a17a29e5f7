import type { ObjectiveDirection } from '../spec/spec.types.js';

/** The pruner plugin API this SDK implements. */
export const PRUNER_API_VERSION = '1';

/** One intermediate value of the objective metric, reported by a trial at a step. */
export interface IntermediateValue {
  step: number;
  value: number;
}

/** A trial's intermediate values as a pruner sees them. */
export interface TrialCurve {
  trialIndex: number;
  state: 'running' | 'succeeded' | 'failed' | 'pruned';
  /** In the order reported; steps increase. */
  values: readonly IntermediateValue[];
}

/** Everything a pruning decision may depend on; the platform records it with the decision. */
export interface PruneContext {
  /** The trial that just reported. */
  trialIndex: number;
  step: number;
  value: number;
  direction: ObjectiveDirection;
  /** Every trial's curve, this one's included (up to this report), in the order the platform observed the reports. */
  history: readonly TrialCurve[];
}

export interface PruneDecision {
  prune: boolean;
  /** Why, in words, either way (recorded as provenance and shown to the user). */
  reason: string;
}

/**
 * An early-stopping rule. `shouldPrune` must be a pure function of its context, like a
 * strategy's `suggest`, so that pruning decisions replay.
 */
export interface Pruner {
  readonly name: string;
  readonly kind: 'pruner';
  readonly apiVersion: string;
  readonly version: string;
  shouldPrune(ctx: PruneContext): PruneDecision;
}

/** Builds a pruner from `spec.pruner.options`; throws a clear error on bad options. */
export type PrunerFactory = (options: Record<string, unknown>) => Pruner;
