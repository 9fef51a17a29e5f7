import { parsePrunerIntOptions } from './pruner.options.js';

const DEFAULTS = { nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1 };
const parse = (options: unknown) => parsePrunerIntOptions('median', options, DEFAULTS, { intervalSteps: 1 });

describe('parsePrunerIntOptions', () => {
  it('fills defaults and keeps given integers', () => {
    expect(parse({})).toEqual(DEFAULTS);
    expect(parse({ nWarmupSteps: 3, intervalSteps: 2 })).toEqual({ nStartupTrials: 5, nWarmupSteps: 3, intervalSteps: 2 });
  });

  it('names every problem in one error: unknown names, fractions, values below the minimum, non-numbers', () => {
    expect(() => parse({ nStartup: 1, nWarmupSteps: 1.5, intervalSteps: 0, nStartupTrials: '5' })).toThrow(
      'pruner "median": unknown option "nStartup"; allowed: nStartupTrials, nWarmupSteps, intervalSteps; '
      + 'option "nWarmupSteps" must be an integer >= 0, got 1.5; option "intervalSteps" must be an integer >= 1, got 0; '
      + 'option "nStartupTrials" must be an integer >= 0, got "5"',
    );
    expect(() => parse({ nWarmupSteps: -1 })).toThrow('pruner "median": option "nWarmupSteps" must be an integer >= 0, got -1');
  });

  it('refuses options that are not a mapping', () => {
    expect(() => parse([1])).toThrow('pruner "median": options must be a mapping, got a list');
    expect(() => parse(null)).toThrow('pruner "median": options must be a mapping, got null');
    expect(() => parse(3)).toThrow('pruner "median": options must be a mapping, got 3');
  });
});
