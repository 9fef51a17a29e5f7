import { createRng } from '../random/rng.js';
import { sampleParameter } from '../random/sample.js';
import { deriveTrialSeed } from '../random/trial-seed.js';
import type { ParamValues, SearchSpace } from '../spec/spec.types.js';
import type { PruneContext } from '../pruner/pruner.types.js';
import type { Observation, SearchStrategy } from '../strategy/strategy.types.js';
import { createStudy } from './study.ask-tell.js';

const space: SearchSpace = {
  x: { type: 'float', low: -5, high: 5, log: false },
  n: { type: 'int', low: 1, high: 64, step: 1, log: true },
  c: { type: 'categorical', choices: ['a', 'b', 'c'] },
};
const objective = { metric: 'loss', direction: 'minimize' as const };
const f = (p: ParamValues) => (p.x as number) ** 2 + Math.log2(p.n as number) + (p.c === 'b' ? 0 : 1);

/** A strategy whose suggestions depend on the observations and their order: it perturbs the latest best. */
const hillClimb: SearchStrategy = {
  name: 'hill', kind: 'strategy', apiVersion: '1', version: '0.0.1',
  suggest(ctx) {
    const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), 'hill');
    const fresh = Object.fromEntries(Object.keys(ctx.space).sort().map((k) => [k, sampleParameter(ctx.space[k], rng)]));
    let best: Observation | undefined;
    for (const o of ctx.observations) if (o.state === 'succeeded' && (!best || o.value! <= best.value!)) best = o;
    if (!best || ctx.trialIndex % 2 === 0) return { params: fresh };
    return { params: { ...best.params, x: Math.max(-5, Math.min(5, (best.params.x as number) * 0.5 + (fresh.x as number) * 0.1)) } };
  },
};

type Event = { create: number } | { finish: number };

/**
 * The experiments subgraph's sweep loop (subgraphs/experiments/src/modules/sweep/sweep.driver.ts
 * and sweep.rules.ts), without the database: after every change it creates
 * min(maxParallel − active, maxTrials − created) trials, each suggested from the finished,
 * non-cancelled trials ordered by finish time then index (state succeeded, else failed), all of one
 * batch from the same observations. Trials finish in a seeded pseudo-random order; every fifth fails.
 */
function platformSweep(strategy: SearchStrategy, seed: number, maxTrials: number, maxParallel: number) {
  const trials: { index: number; params: ParamValues; state: string; value: number | null; finishedAt: number; observedTrials: number[] }[] = [];
  const events: Event[] = [];
  const order = createRng(seed, 'finish-order');
  let clock = 0;
  const advance = () => {
    const active = trials.filter((t) => t.state === 'pending').length;
    const n = Math.max(0, Math.min(maxParallel - active, maxTrials - trials.length));
    if (n === 0) return;
    const observations: Observation[] = trials
      .filter((t) => t.state !== 'pending')
      .sort((a, b) => a.finishedAt - b.finishedAt || a.index - b.index)
      .map((t) => ({ trialIndex: t.index, params: t.params, state: t.state === 'succeeded' ? 'succeeded' : 'failed', value: t.value }));
    for (let k = 0; k < n; k++) {
      const index = trials.length;
      const { params } = strategy.suggest({ space, objective, experimentSeed: seed, trialIndex: index, observations });
      trials.push({ index, params, state: 'pending', value: null, finishedAt: 0, observedTrials: observations.map((o) => o.trialIndex) });
    }
    events.push({ create: n });
  };
  advance();
  for (;;) {
    const running = trials.filter((t) => t.state === 'pending');
    if (running.length === 0) break;
    const t = running[order.nextUint32() % running.length];
    const failed = t.index % 5 === 4;
    Object.assign(t, { state: failed ? 'failed' : 'succeeded', value: failed ? null : f(t.params), finishedAt: ++clock });
    events.push({ finish: t.index });
    advance();
  }
  return { trials, events };
}

describe('ask-and-tell', () => {
  it.each([
    [1, 30, 1],
    [42, 40, 4],
    [4294967295, 25, 8],
  ])('gives the same suggestions as the platform (seed %d, %d trials, %d in parallel)', (seed, maxTrials, maxParallel) => {
    const platform = platformSweep(hillClimb, seed, maxTrials, maxParallel);
    const study = createStudy({ space, objective, strategy: hillClimb, seed });
    for (const event of platform.events) {
      if ('create' in event) for (let k = 0; k < event.create; k++) study.ask();
      else {
        const { params } = study.trials()[event.finish];
        const failed = event.finish % 5 === 4;
        study.tell(event.finish, failed ? { state: 'failed', value: null } : { state: 'succeeded', value: f(params) });
      }
    }
    const asked = study.trials();
    expect(asked.map((t) => t.params)).toEqual(platform.trials.map((t) => t.params));
    expect(asked.map((t) => t.observedTrials)).toEqual(platform.trials.map((t) => t.observedTrials));
    expect(asked.map((t) => t.seed)).toEqual(platform.trials.map((t) => deriveTrialSeed(seed, t.index)));
  });

  it('runs a loop from a script and reports the best trial', () => {
    const study = createStudy({ space, objective, strategy: hillClimb, seed: 3 });
    for (let i = 0; i < 20; i++) {
      const { trialIndex, params } = study.ask();
      study.tell(trialIndex, { state: 'succeeded', value: f(params) });
    }
    const best = study.best()!;
    expect(best.value).toBe(Math.min(...study.trials().map((t) => t.value!)));
    expect(study.observations()).toHaveLength(20);
  });

  it('reports intermediate values to a pruner, which sees every trial\'s curve in report order', () => {
    const seen: number[][] = [];
    const pruner = {
      name: 'below-two', kind: 'pruner' as const, apiVersion: '1', version: '0.0.1',
      shouldPrune: (ctx: PruneContext) => {
        seen.push(ctx.history.map((c) => c.trialIndex));
        return { prune: ctx.value > 2, reason: ctx.value > 2 ? 'above 2' : 'fine' };
      },
    };
    const study = createStudy({ space, objective, strategy: hillClimb, seed: 3, pruner });
    const a = study.ask();
    const b = study.ask();
    expect(study.report(b.trialIndex, 1, 1)).toEqual({ prune: false, reason: 'fine' });
    expect(study.report(a.trialIndex, 1, 3)).toEqual({ prune: true, reason: 'above 2' });
    expect(seen).toEqual([[1], [1, 0]]);
    study.tell(a.trialIndex, { state: 'pruned', value: 3, step: 1 });
    expect(() => study.report(a.trialIndex, 2, 1)).toThrow('report: trial 0 is not running (pruned)');
    expect(() => study.report(b.trialIndex, 1, 1)).toThrow('report: trial 1: step 1 must be greater than the last one reported (1)');
    const plain = createStudy({ space, objective, strategy: hillClimb, seed: 3 });
    plain.ask();
    expect(plain.report(0, 1, 1)).toEqual({ prune: false, reason: 'no pruner' });
  });

  it('refuses results it cannot record, saying why', () => {
    const study = createStudy({ space, objective, strategy: hillClimb, seed: 3 });
    expect(() => study.tell(0, { state: 'succeeded', value: 1 })).toThrow('tell: trial 0 was never asked (asked so far: 0..-1)');
    study.ask();
    expect(() => study.tell(0, { state: 'succeeded', value: null })).toThrow('tell: trial 0 succeeded, so it needs a finite value, got null');
    study.tell(0, { state: 'pruned', value: 3, step: 2 });
    expect(() => study.tell(0, { state: 'failed', value: null })).toThrow('tell: trial 0 was already told (pruned)');
    expect(study.observations()).toEqual([{ trialIndex: 0, params: study.trials()[0].params, state: 'pruned', value: 3, step: 2 }]);
    expect(() => createStudy({ space, objective, strategy: hillClimb, seed: -1 })).toThrow(/createStudy: seed must be an integer/);
  });
});
