import { compareExperiments, specDifferences, type CompareInput, type CompareTrial } from './compare.domain.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const trial = (index: number, value: number | null, start: number, secs: number, hw: { deviceType: string | null; throughputFactor: number | null }, state = 'succeeded'): CompareTrial => ({
  index, state, value, params: { x: index }, finishedAt: state === 'running' ? null : at(start + secs),
  attempts: [{ startedAt: at(start), finishedAt: state === 'running' ? null : at(start + secs), ...hw }],
});
const spec = (over: Record<string, unknown> = {}) => ({
  objective: { metric: 'loss', direction: 'minimize' as const }, strategy: { name: 'random', options: {} }, seed: 1, ...over,
}) as CompareInput['spec'];
const A100 = { deviceType: 'a100', throughputFactor: 2 };
const T4 = { deviceType: 't4', throughputFactor: 0.5 };

describe('compareExperiments', () => {
  it('scales trial times to the reference device by each pool\'s throughput factor', () => {
    // The same work: 10 s on an A100 (2× the reference) and 40 s on a T4 (0.5×) are both 20 reference seconds.
    const fast: CompareInput = { id: 'fast', name: 'on-a100', spec: spec(), trials: [trial(0, 0.3, 0, 10, A100), trial(1, 0.2, 10, 10, A100)] };
    const slow: CompareInput = { id: 'slow', name: 'on-t4', spec: spec(), trials: [trial(0, 0.25, 0, 40, T4), trial(1, 0.1, 40, 40, T4), trial(2, null, 80, 0, T4, 'running')] };
    const c = compareExperiments([fast, slow]);
    expect(c.comparable).toBe(true);
    const [f, s] = c.experiments;
    expect(f).toMatchObject({ medianTrialSeconds: 10, medianNormalizedTrialSeconds: 20, computeSeconds: 20, normalizedComputeSeconds: 40, bestValue: 0.2, bestTrialIndex: 1, rank: 2 });
    expect(s).toMatchObject({ medianTrialSeconds: 40, medianNormalizedTrialSeconds: 20, normalizedComputeSeconds: 40, bestValue: 0.1, rank: 1, normalizedSecondsToBest: 40 });
    expect(s!.trials).toEqual({ total: 3, succeeded: 2, failed: 0, cancelled: 0, pruned: 0, unfinished: 1 });
    expect(s!.devices).toEqual([{ deviceType: 't4', throughputFactor: 0.5, attempts: 2, seconds: 80 }]);
    expect(c.notes).toEqual([]);
  });

  it('counts attempts without a declared factor at 1 and says so', () => {
    const plain = { deviceType: null, throughputFactor: null };
    const c = compareExperiments([
      { id: 'a', name: 'a', spec: spec(), trials: [trial(0, 1, 0, 5, plain)] },
      { id: 'b', name: 'b', spec: spec(), trials: [trial(0, 1, 0, 5, A100)] },
    ]);
    expect(c.experiments.map((e) => e.normalizedComputeSeconds)).toEqual([5, 10]);
    expect(c.experiments.map((e) => e.rank)).toEqual([1, 1]); // a tie shares its rank
    expect(c.notes).toEqual(['1 attempt(s) ran on pools that declare no throughput factor; their times count at factor 1']);
  });

  it('does not rank experiments that optimise different objectives', () => {
    const c = compareExperiments([
      { id: 'a', name: 'a', spec: spec(), trials: [trial(0, 1, 0, 5, A100)] },
      { id: 'b', name: 'b', spec: spec({ objective: { metric: 'acc', direction: 'maximize' } }), trials: [trial(0, 0.9, 0, 5, A100)] },
    ]);
    expect(c.comparable).toBe(false);
    expect(c.experiments.map((e) => e.rank)).toEqual([null, null]);
    expect(c.notes[0]).toContain('objectives differ (a: minimize loss; b: maximize acc)');
  });

  it('ranks by direction: the highest value wins when maximising', () => {
    const max = spec({ objective: { metric: 'acc', direction: 'maximize' } });
    const c = compareExperiments([
      { id: 'a', name: 'a', spec: max, trials: [trial(0, 0.7, 0, 5, A100), trial(1, 0.9, 5, 5, A100)] },
      { id: 'b', name: 'b', spec: max, trials: [trial(0, 0.8, 0, 5, A100), trial(1, null, 5, 5, A100, 'failed')] },
    ]);
    expect(c.experiments.map((e) => [e.bestValue, e.rank])).toEqual([[0.9, 1], [0.8, 2]]);
    expect(c.experiments[1]!.trials.failed).toBe(1);
  });
});

describe('specDifferences', () => {
  it('lists the leaf paths whose values differ, with one value per spec', () => {
    expect(specDifferences([
      { strategy: { name: 'random', options: {} }, budget: { maxTrials: 10 }, searchSpace: { lr: { low: 1, high: 2 } } },
      { strategy: { name: 'tpe', options: { nStartup: 5 } }, budget: { maxTrials: 10 }, searchSpace: { lr: { low: 1, high: 3 } } },
    ])).toEqual([
      { path: 'searchSpace.lr.high', values: [2, 3] },
      { path: 'strategy.name', values: ['random', 'tpe'] },
      { path: 'strategy.options', values: [{}, null] },
      { path: 'strategy.options.nStartup', values: [null, 5] },
    ]);
  });
});
