import { deriveTrialSeed, assertUint32 } from '../random/trial-seed.js';
import { checkParamValues } from '../spec/param-values.js';
import type { Pruner, PruneDecision, TrialCurve } from '../pruner/pruner.types.js';
import type { ExperimentSpec, ParamValues, SearchSpace } from '../spec/spec.types.js';
import type { Observation, SearchStrategy } from '../strategy/strategy.types.js';

export interface StudyOptions {
  space: SearchSpace;
  objective: ExperimentSpec['objective'];
  strategy: SearchStrategy;
  /** The experiment seed (uint32): trial seeds and every strategy's randomness derive from it. */
  seed: number;
  /** Optional early stopping: `report` asks it after every intermediate value. */
  pruner?: Pruner;
}

/** What `ask` hands out: run the trial with these parameters and this seed. */
export interface AskedTrial {
  trialIndex: number;
  params: ParamValues;
  /** `deriveTrialSeed(seed, trialIndex)`, the same FAIRSWEEP_SEED the platform gives the trial. */
  seed: number;
}

/** A finished trial's result. `succeeded` needs a finite value; `step` is a pruned trial's last step. */
export interface TrialResult {
  state: Observation['state'];
  value: number | null;
  step?: number | null;
}

export interface StudyTrial extends AskedTrial {
  state: 'running' | Observation['state'];
  value: number | null;
  /** The trials whose results this suggestion was conditioned on, in order (the platform stores the same). */
  observedTrials: number[];
}

export interface Study {
  /** The next trial: `strategy.suggest` given every result told so far, in the order told. */
  ask(): AskedTrial;
  /** Records a result of a trial that was asked and not told yet. */
  tell(trialIndex: number, result: TrialResult): void;
  /**
   * Records an intermediate value of a running trial and asks the pruner (if any) whether to stop
   * it; steps must increase. On `prune: true`, stop the trial and tell it as `pruned`.
   */
  report(trialIndex: number, step: number, value: number): PruneDecision;
  /** Every trial asked so far, by index. */
  trials(): StudyTrial[];
  /** The results told so far, in the order told: what the next `ask` is conditioned on. */
  observations(): Observation[];
  /** The best succeeded trial (ties: lowest index), or null. */
  best(): StudyTrial | null;
}

/**
 * Drives any strategy without the platform, from a script or a notebook. It makes the same calls
 * the platform's experiments subgraph makes, so for the same space, objective, strategy options
 * and seed it gives the same suggestions — provided results are told in the order the platform
 * would observe them (the order trials finished) and trials are asked when the platform would
 * create them. Not safe to share between threads of control; it is a plain in-memory object.
 */
export function createStudy(options: StudyOptions): Study {
  assertUint32(options.seed, 'createStudy: seed');
  const trials: StudyTrial[] = [];
  const observations: Observation[] = [];
  const sign = options.objective.direction === 'minimize' ? 1 : -1;
  const curves: TrialCurve[] = []; // in the order of their first report
  const study: Study = {
    ask() {
      const trialIndex = trials.length;
      const observedTrials = observations.map((o) => o.trialIndex);
      const { params } = options.strategy.suggest({
        space: options.space,
        objective: options.objective,
        experimentSeed: options.seed,
        trialIndex,
        observations: observations.map((o) => ({ ...o })),
      });
      const problems = checkParamValues(options.space, params);
      if (problems.length > 0) throw new Error(`strategy "${options.strategy.name}" suggested a configuration outside the space: ${problems.join('; ')}`);
      const trial: StudyTrial = { trialIndex, params, seed: deriveTrialSeed(options.seed, trialIndex), state: 'running', value: null, observedTrials };
      trials.push(trial);
      return { trialIndex, params: { ...params }, seed: trial.seed };
    },
    tell(trialIndex, result) {
      const trial = trials[trialIndex];
      if (!trial) throw new Error(`tell: trial ${trialIndex} was never asked (asked so far: 0..${trials.length - 1})`);
      if (trial.state !== 'running') throw new Error(`tell: trial ${trialIndex} was already told (${trial.state})`);
      if (!['succeeded', 'failed', 'pruned'].includes(result.state)) throw new Error(`tell: state must be succeeded, failed or pruned, got ${JSON.stringify(result.state)}`);
      if (result.state === 'succeeded' && (typeof result.value !== 'number' || !Number.isFinite(result.value))) {
        throw new Error(`tell: trial ${trialIndex} succeeded, so it needs a finite value, got ${JSON.stringify(result.value)}`);
      }
      const curve = curves.find((c) => c.trialIndex === trialIndex);
      if (curve) curve.state = result.state;
      trial.state = result.state;
      trial.value = result.value;
      const observation: Observation = { trialIndex, params: trial.params, state: result.state, value: result.value };
      if (result.step !== undefined) observation.step = result.step;
      observations.push(observation);
    },
    report(trialIndex, step, value) {
      const trial = trials[trialIndex];
      if (!trial || trial.state !== 'running') throw new Error(`report: trial ${trialIndex} is not running (${trial ? trial.state : 'never asked'})`);
      let curve = curves.find((c) => c.trialIndex === trialIndex);
      if (!curve) curves.push((curve = { trialIndex, state: 'running', values: [] }));
      const last = curve.values[curve.values.length - 1];
      if (!Number.isFinite(step) || (last && step <= last.step)) throw new Error(`report: trial ${trialIndex}: step ${step} must be greater than the last one reported (${last?.step ?? 'none'})`);
      (curve.values as { step: number; value: number }[]).push({ step, value });
      if (!options.pruner) return { prune: false, reason: 'no pruner' };
      const history = curves.map((c) => ({ ...c, values: c.values.map((v) => ({ ...v })) }));
      return options.pruner.shouldPrune({ trialIndex, step, value, direction: options.objective.direction, history });
    },
    trials: () => trials.map((t) => ({ ...t, params: { ...t.params }, observedTrials: [...t.observedTrials] })),
    observations: () => observations.map((o) => ({ ...o })),
    best() {
      let best: StudyTrial | null = null;
      for (const t of trials) {
        if (t.state !== 'succeeded' || t.value === null) continue;
        if (!best || sign * t.value < sign * best.value!) best = t;
      }
      return best && { ...best };
    },
  };
  return study;
}

/** A study for a parsed spec file (`parseSpec`): its search space, objective and seed. */
export function createStudyFromSpec(spec: ExperimentSpec, strategy: SearchStrategy): Study {
  return createStudy({ space: spec.searchSpace, objective: spec.objective, strategy, seed: spec.seed });
}
