import { describeReplay } from './replay.js';

const base = { experimentId: 'e1', checked: 100, strategy: 'random', strategyVersion: '0.1.0' };

describe('describeReplay', () => {
  it('prints a match', () => {
    expect(describeReplay({ ...base, match: true, matched: 100, firstDivergence: null })).toBe(
      'replay of experiment e1 (strategy random@0.1.0): 100/100 trials match\nmatch: every suggestion and seed re-derived bit for bit',
    );
  });

  it('prints the first divergence: trial, parameter, expected and actual', () => {
    const text = describeReplay({
      ...base, match: false, matched: 97,
      firstDivergence: { trialIndex: 57, trialId: 't57', parameter: 'units', field: 'PARAMS', expected: 999, actual: 48, message: 'trial 57: parameter units: recorded 999, re-derived 48' },
    });
    expect(text.split('\n')).toEqual([
      'replay of experiment e1 (strategy random@0.1.0): 97/100 trials match',
      'DIVERGED at trial 57 (t57): params units',
      '  expected (recorded):  999',
      '  actual (re-derived):  48',
      '  trial 57: parameter units: recorded 999, re-derived 48',
    ]);
  });

  it('prints pruning decisions re-derived, and the first that diverged', () => {
    const prune = { pruner: 'median', checked: 12, matched: 12, firstDivergence: null };
    expect(describeReplay({ ...base, match: true, matched: 100, firstDivergence: null, prune }).split('\n')).toEqual([
      'replay of experiment e1 (strategy random@0.1.0): 100/100 trials match',
      'pruner median: 12/12 decisions match',
      'match: every suggestion and seed and every pruning decision re-derived bit for bit',
    ]);
    const text = describeReplay({
      ...base, match: false, matched: 100, firstDivergence: null,
      prune: { ...prune, matched: 7, firstDivergence: { decision: 5, trialIndex: 1, trialId: 't1', step: 2, field: 'REPORT', expected: 0.5, actual: 0.75, message: 'decision 5 (trial 1, step 2): …' } },
    });
    expect(text.split('\n').slice(1)).toEqual([
      'pruner median: 7/12 decisions match',
      'DIVERGED at pruning decision 5, trial 1 (t1) step 2: report',
      '  expected (recorded):  0.5',
      '  actual (re-derived):  0.75',
      '  decision 5 (trial 1, step 2): …',
    ]);
  });
});
