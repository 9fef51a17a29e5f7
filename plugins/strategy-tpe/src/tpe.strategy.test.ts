import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPlugin, checkParamValues, createRng, createStudy, deriveTrialSeed, sampleParameter, type Observation, type SearchSpace, type SuggestContext } from '@fairsweep/sdk';
import { describeStrategyConformance } from '@fairsweep/sdk/testing';
import createDefault, { createTpeStrategy, defaultGamma, defaultWeights, TPE_STRATEGY_VERSION } from './index.js';

describeStrategyConformance('tpe', createTpeStrategy, {
  options: [{}, { multivariate: true }, { constantLiar: true, nStartupTrials: 5 }, { nEiCandidates: 3, priorWeight: 0.5, considerEndpoints: true }],
});

const branin = (x: number, y: number) => (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
const space: SearchSpace = { x: { type: 'float', low: -5, high: 10, log: false }, y: { type: 'float', low: 0, high: 15, log: false } };
const ctx = (trialIndex: number, observations: Observation[], over: Partial<SuggestContext> = {}): SuggestContext => ({
  space, objective: { metric: 'loss', direction: 'minimize' }, experimentSeed: 11, trialIndex, observations, ...over,
});

function sweep(options: Record<string, unknown>, trials: number, seed: number): number {
  const strategy = createTpeStrategy(options);
  const observations: Observation[] = [];
  let best = Infinity;
  for (let i = 0; i < trials; i++) {
    const { params } = strategy.suggest(ctx(i, observations.slice(), { experimentSeed: seed }));
    const value = branin(params.x as number, params.y as number);
    best = Math.min(best, value);
    observations.push({ trialIndex: i, params, state: 'succeeded', value });
  }
  return best - 0.397887;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('tpe strategy', () => {
  it('is a valid strategy plugin named tpe, exported as default, versioned like its package', () => {
    const strategy = createTpeStrategy();
    expect(() => assertPlugin(strategy, 'strategy')).not.toThrow();
    expect(strategy).toMatchObject({ name: 'tpe', kind: 'strategy', apiVersion: '1' });
    expect(createDefault).toBe(createTpeStrategy);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(TPE_STRATEGY_VERSION).toBe(pkg.version);
  });

  it("uses Optuna's gamma and weights", () => {
    expect([1, 10, 11, 100, 250, 251, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25, 25]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expect(defaultWeights(25)).toEqual(new Array(25).fill(1));
    const w = defaultWeights(30); // numpy.linspace(1/30, 1, 5) then 25 ones
    expect(w.slice(0, 5).map((x) => +x.toFixed(12))).toEqual([1 / 30, 0.275, 0.516666666667, 0.758333333333, 1].map((x) => +x.toFixed(12)));
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });

  it('suggests at random, from its own stream, during the 10 startup trials (failed ones do not count)', () => {
    const strategy = createTpeStrategy();
    const failed: Observation[] = Array.from({ length: 30 }, (_, i) => ({ trialIndex: i, params: { x: 0, y: 0 }, state: 'failed', value: null }));
    const rng = createRng(deriveTrialSeed(11, 30), 'tpe');
    const expected = { x: sampleParameter(space.x, rng), y: sampleParameter(space.y, rng) };
    expect(strategy.suggest(ctx(30, failed))).toEqual({ params: expected, rngPosition: 4 });
  });

  it('concentrates near good observations after the startup trials', () => {
    const good = (i: number): Observation => ({ trialIndex: i, params: { x: 3 + i * 0.01, y: 2.3 }, state: 'succeeded', value: 0.4 });
    const bad = (i: number): Observation => ({ trialIndex: i, params: { x: -5 + i * 0.3, y: 14 - i * 0.4 }, state: 'succeeded', value: 100 + i });
    const observations = [good(0), ...Array.from({ length: 19 }, (_, i) => bad(i + 1))];
    const xs = Array.from({ length: 50 }, (_, s) => createTpeStrategy().suggest(ctx(20, observations, { experimentSeed: s })).params.x as number);
    expect(median(xs)).toBeGreaterThan(1.5);
    expect(median(xs)).toBeLessThan(4.5);
    // maximising the negated values is the same problem
    const negated = observations.map((o) => ({ ...o, value: -o.value! }));
    const maximize = { objective: { metric: 'loss', direction: 'maximize' as const } };
    expect(createTpeStrategy().suggest(ctx(20, negated, maximize))).toEqual(createTpeStrategy().suggest(ctx(20, observations)));
  });

  it('learns inside a conditional space: the good branch and its conditional parameter (independent and multivariate)', () => {
    const space: SearchSpace = {
      opt: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
      x: { type: 'float', low: -5, high: 5, log: false },
      momentum: { type: 'float', low: 0, high: 1, log: false, when: { opt: ['sgd'] } },
    };
    // best: sgd with momentum near 0.9; other optimizers are worse whatever x is
    const f = (p: Record<string, unknown>) => (p.opt === 'sgd' ? (Number(p.momentum) - 0.9) ** 2 : 1) + 0.01 * Number(p.x) ** 2;
    for (const options of [{}, { multivariate: true }]) {
      const strategy = createTpeStrategy(options);
      const observations: Observation[] = [];
      for (let i = 0; i < 80; i++) {
        const { params } = strategy.suggest({ space, objective: { metric: 'loss', direction: 'minimize' }, experimentSeed: 3, trialIndex: i, observations: observations.slice() });
        expect(checkParamValues(space, params)).toEqual([]);
        observations.push({ trialIndex: i, params, state: 'succeeded', value: f(params) });
      }
      const late = observations.slice(-30);
      expect(late.filter((o) => o.params.opt === 'sgd').length).toBeGreaterThan(18);
      expect(median(late.filter((o) => o.params.opt === 'sgd').map((o) => Math.abs((o.params.momentum as number) - 0.9)))).toBeLessThan(0.15);
    }
  });

  it('finds Branin far better than random search in 100 trials (median of 5 seeds)', () => {
    const regrets = Array.from({ length: 5 }, (_, s) => sweep({}, 100, s));
    expect(median(regrets)).toBeLessThan(0.15); // random search: ~0.4
    expect(median(Array.from({ length: 3 }, (_, s) => sweep({ multivariate: true }, 100, s)))).toBeLessThan(0.2);
  });

  it('with constantLiar, steers parallel suggestions away from the trials still running', () => {
    const done: Observation[] = Array.from({ length: 12 }, (_, i) => ({ trialIndex: i, params: { x: -5 + i, y: 5 }, state: 'succeeded', value: i === 8 ? 0 : 50 + i }));
    const liar = createTpeStrategy({ constantLiar: true });
    const plain = createTpeStrategy();
    // trials 12..15 were suggested and are running; 16 is asked now
    const withLies = liar.suggest(ctx(16, done));
    expect(withLies).toEqual(liar.suggest(ctx(16, done)));
    expect(withLies.params).not.toEqual(plain.suggest(ctx(16, done)).params);
    expect(liar.suggest(ctx(12, done))).toEqual(plain.suggest(ctx(12, done))); // nothing pending: no lie
  });

  it('ranks pruned trials after succeeded ones and handles a space of one categorical', () => {
    const cat: SearchSpace = { c: { type: 'categorical', choices: ['a', 'b', 'c'] } };
    const observations: Observation[] = Array.from({ length: 20 }, (_, i) => ({
      trialIndex: i, params: { c: i < 5 ? 'b' : i % 2 ? 'a' : 'c' }, state: i < 5 ? 'succeeded' : 'pruned', value: i < 5 ? 10 : 0, step: 2,
    }));
    const picks = Array.from({ length: 40 }, (_, s) => createTpeStrategy().suggest(ctx(20, observations, { space: cat, experimentSeed: s })).params.c);
    expect(picks.filter((c) => c === 'b').length).toBeGreaterThan(25);
  });

  it('gives the same suggestions through ask-and-tell as through suggest, with trials running in parallel', () => {
    const strategy = createTpeStrategy({ constantLiar: true });
    const study = createStudy({ space, objective: { metric: 'loss', direction: 'minimize' }, strategy, seed: 11 });
    const running = [study.ask(), study.ask(), study.ask()];
    for (let i = 0; i < 30; i++) {
      const done = running.shift()!; // the oldest finishes first
      study.tell(done.trialIndex, { state: 'succeeded', value: branin(done.params.x as number, done.params.y as number) });
      const observations = study.observations();
      const next = study.ask();
      expect(next.params).toEqual(strategy.suggest(ctx(next.trialIndex, observations)).params);
      running.push(next);
    }
  });

  it.each([
    [{ nStartup: 3 }, /unknown option "nStartup"; allowed: nStartupTrials, nEiCandidates/],
    [{ nEiCandidates: 0, multivariate: 'yes' }, /option "nEiCandidates" must be an integer >= 1, got 0; option "multivariate" must be true or false, got "yes"/],
    [[] as unknown as Record<string, unknown>, /options must be a mapping, got a list/],
  ])('refuses options %j', (options, message) => {
    expect(() => createTpeStrategy(options)).toThrow(message);
  });
});
