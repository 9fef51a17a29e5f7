import { describeComparison, type ComparisonView } from './compare.js';

describe('describeComparison', () => {
  it('prints one aligned row per experiment, then the spec differences and notes', () => {
    const view: ComparisonView = {
      metric: 'loss', direction: 'minimize', comparable: true, notes: ['1 attempt(s) ran on pools that declare no throughput factor; their times count at factor 1'],
      experiments: [
        { experiment: { id: '11111111-aaaa', name: 'on-a100' }, rank: 2, trials: { total: 2, succeeded: 2, failed: 0, pruned: 0, unfinished: 0 }, bestValue: 0.3, bestTrialIndex: 1,
          medianTrialSeconds: 10, medianNormalizedTrialSeconds: 20, normalizedComputeSeconds: 40, devices: [{ deviceType: 'a100', throughputFactor: 2, attempts: 2 }] },
        { experiment: { id: '22222222-bbbb', name: 'cpu' }, rank: 1, trials: { total: 3, succeeded: 1, failed: 1, pruned: 0, unfinished: 1 }, bestValue: 0.123456789, bestTrialIndex: 0,
          medianTrialSeconds: null, medianNormalizedTrialSeconds: null, normalizedComputeSeconds: 5, devices: [{ deviceType: null, throughputFactor: null, attempts: 1 }] },
      ],
      specDifferences: [{ path: 'strategy.name', values: ['random', 'tpe'] }],
    };
    const text = describeComparison(view).split('\n');
    expect(text[0]).toMatch(/^rank +experiment +name +best loss \(minimize\) +trial +ok\/total +median s +median s \(norm\.\) +compute s \(norm\.\) +devices$/);
    expect(text[1]).toMatch(/^2 +11111111 +on-a100 +0\.3 +#1 +2\/2 +10 +20 +40 +a100×2 \(2\)$/);
    expect(text[2]).toMatch(/^1 +22222222 +cpu +0\.123457 +#0 +1\/3 +- +- +5 +undeclared×1 \(1\)$/);
    expect(text.slice(3)).toEqual(['', 'spec differences:', '  strategy.name: "random" | "tpe"', 'note: 1 attempt(s) ran on pools that declare no throughput factor; their times count at factor 1']);
  });
});
