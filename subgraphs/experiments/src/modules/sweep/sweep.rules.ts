import type { Observation, ObjectiveDirection, ParamValues } from '@fairsweep/sdk';
import type { ExperimentStatus } from '../experiment/experiment.entity.js';
import type { TrialState } from '../trial/trial.entity.js';

/** Pure sweep rules: how many trials to create next, when an experiment ends, which trial is best. */

export interface SweepCounts {
  maxTrials: number;
  maxParallel: number;
  created: number;
  /** Trials pending or running. */
  active: number;
}

export function trialsToCreate(c: SweepCounts): number {
  return Math.max(0, Math.min(c.maxParallel - c.active, c.maxTrials - c.created));
}

/** The experiment's final status once nothing is active, or null while it goes on. */
export function finalStatus(status: ExperimentStatus, c: SweepCounts, states: readonly TrialState[]): ExperimentStatus | null {
  if (status !== 'running' && status !== 'cancelling') return null;
  if (c.active > 0) return null;
  if (status === 'cancelling') return 'cancelled';
  if (c.created < c.maxTrials) return null;
  return states.includes('succeeded') ? 'succeeded' : 'failed';
}

export interface TrialResult {
  state: TrialState;
  value: number | null;
  reason: string;
}

/** The prune decision that stopped a trial: its step, the value it was pruned on, and why. */
export interface PrunedAt {
  step: number;
  value: number;
  message: string;
}

/**
 * A finished attempt's result: a trial that exits 0 but never reported its objective metric has
 * failed (there is nothing to compare it by). A trial its pruner stopped ends `pruned`, whatever
 * the attempt's outcome, with the value it was pruned on.
 */
export function trialResult(outcome: 'succeeded' | 'failed' | 'cancelled', reason: string, metric: string, lastObjective: number | null, pruned: PrunedAt | null = null): TrialResult {
  if (pruned) return { state: 'pruned', value: pruned.value, reason: `pruned by ${pruned.message}` };
  if (outcome !== 'succeeded') return { state: outcome, value: lastObjective, reason };
  if (lastObjective === null) {
    return { state: 'failed', value: null, reason: `exited 0 but never reported objective metric "${metric}" (print "FAIRSWEEP_METRIC ${metric}=<value>")` };
  }
  return { state: 'succeeded', value: lastObjective, reason };
}

export function isBetter(direction: ObjectiveDirection, a: number, b: number): boolean {
  return direction === 'minimize' ? a < b : a > b;
}

export function bestOf<T extends { state: TrialState; value: number | null; index: number }>(trials: readonly T[], direction: ObjectiveDirection): T | null {
  let best: T | null = null;
  for (const t of trials) {
    if (t.state !== 'succeeded' || t.value === null) continue;
    if (!best || isBetter(direction, t.value, best.value!) || (t.value === best.value && t.index < best.index)) best = t;
  }
  return best;
}

/**
 * A finished trial as a strategy observes it (the platform and replay build it the same way): a
 * pruned trial carries the step it was pruned at; cancelled trials are never observed.
 */
export function toObservation(t: { index: number; params: ParamValues; state: TrialState; value: number | null }, prunedStep: number | undefined): Observation {
  if (t.state === 'pruned') return { trialIndex: t.index, params: t.params, state: 'pruned', value: t.value, step: prunedStep ?? null };
  return { trialIndex: t.index, params: t.params, state: t.state === 'succeeded' ? 'succeeded' : 'failed', value: t.value };
}
