import { createRng } from '../random/rng.js';
import { sampleParameter } from '../random/sample.js';
import { deriveTrialSeed } from '../random/trial-seed.js';
import { buildConfiguration } from '../spec/spec.conditions.js';
import type { StrategyFactory } from '../strategy/strategy.types.js';
import { checkStrategyConformance, describeStrategyConformance, KIT_CONDITIONAL_SPACE, KIT_SPACE, kitObjective, kitSweep } from './index.js';

/** A pure toy strategy: random, except that it repeats the best succeeded configuration every third trial. */
const toy: StrategyFactory = (options) => ({
  name: 'toy',
  kind: 'strategy',
  apiVersion: '1',
  version: '0.0.1',
  suggest(ctx) {
    const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), 'toy');
    const ok = ctx.observations.filter((o) => o.state === 'succeeded' && o.value !== null);
    const sign = ctx.objective.direction === 'minimize' ? 1 : -1;
    const best = ok.sort((a, b) => sign * (a.value! - b.value!) || a.trialIndex - b.trialIndex)[0];
    if (options.exploit !== false && best && ctx.trialIndex % 3 === 0) return { params: { ...best.params } };
    return { params: buildConfiguration(ctx.space, (n) => sampleParameter(ctx.space[n], rng)) };
  },
});

describeStrategyConformance('toy', toy, { options: [{}, { exploit: false }] });

/** The same toy, but blind to conditions: it suggests every parameter, active or not. */
const blind: StrategyFactory = () => ({
  ...toy({}),
  suggest(ctx) {
    const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), 'toy');
    return { params: Object.fromEntries(Object.keys(ctx.space).sort().map((n) => [n, sampleParameter(ctx.space[n], rng)])) };
  },
});

describe('strategy kit helpers', () => {
  it('catches a strategy that ignores conditions (via checkStrategyConformance on the conditional space)', () => {
    const problems = checkStrategyConformance(() => blind({}), { spaces: [KIT_CONDITIONAL_SPACE], seeds: [0], trials: 5 });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /: present, but inactive \(it is active only when /.test(p))).toBe(true);
  });

  it('sweeps with failed and pruned trials', () => {
    const history = kitSweep(toy({}), KIT_SPACE, 1, 14);
    expect(history.map((o) => o.state)).toEqual([
      'succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded', 'pruned', 'succeeded',
      'succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded', 'pruned', 'succeeded',
    ]);
    expect(history[5]).toMatchObject({ value: expect.any(Number), step: 3 });
    expect(history[12]).toMatchObject({ value: null, step: null });
    expect(kitObjective(KIT_SPACE, history[0].params)).toBe(history[0].value);
  });
});
