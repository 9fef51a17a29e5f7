import { executorOptionChecks } from './executor.options.js';

describe('executorOptionChecks', () => {
  const { nonEmptyString, nonNegative, positive } = executorOptionChecks('x');

  it('returns valid values', () => {
    expect(nonEmptyString('/w', 'workRoot')).toBe('/w');
    expect(nonNegative(0, 'gracePeriodMs')).toBe(0);
    expect(positive(0.5, 'pollIntervalMs')).toBe(0.5);
  });

  it('throws a TypeError naming the executor, the option and the value', () => {
    expect(() => nonEmptyString('', 'workRoot')).toThrow(new TypeError('executor "x": workRoot must be a non-empty string'));
    expect(() => nonNegative(-1, 'gracePeriodMs')).toThrow('executor "x": gracePeriodMs must be a number >= 0, got -1');
    expect(() => nonNegative(Number.NaN, 'logLimitBytes')).toThrow('executor "x": logLimitBytes must be a number >= 0, got NaN');
    expect(() => positive(0, 'pollIntervalMs')).toThrow('executor "x": pollIntervalMs must be a number > 0, got 0');
    expect(() => positive('1', 'pollIntervalMs')).toThrow('executor "x": pollIntervalMs must be a number > 0, got 1');
  });
});
