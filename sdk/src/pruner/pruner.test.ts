import { assertPruner } from './pruner.assert.js';
import { checkPrunerConformance } from './pruner.conformance.js';
import { bestUpTo, percentile, valueAtOrAfter } from './pruner.curves.js';
import type { Pruner, TrialCurve } from './pruner.types.js';

const shape = { name: 'toy', kind: 'pruner' as const, apiVersion: '1', version: '0.0.1' };
const never = (): Pruner => ({ ...shape, shouldPrune: () => ({ prune: false, reason: 'never prunes' }) });

describe('pruner interface', () => {
  it('refuses a wrong shape, naming the plugin, each problem and what is expected', () => {
    expect(() => assertPruner(never())).not.toThrow();
    expect(() => assertPruner({ name: 'bad', kind: 'strategy', apiVersion: '2' })).toThrow(
      'pruner plugin "bad" is not a valid plugin:\n  - wrong kind: expected kind "pruner", got "strategy"\n  - unsupported apiVersion "2": this SDK supports "1"\n  - missing version: set `version` to the plugin package version\n  - missing method shouldPrune()',
    );
    expect(() => assertPruner(null)).toThrow('pruner plugin is not a valid plugin:\n  - expected an object, got null');
  });

  it('passes a pure pruner and catches one with hidden state or a bad answer', () => {
    expect(checkPrunerConformance(never)).toEqual([]);
    let calls = 0;
    const flaky = (): Pruner => ({ ...shape, shouldPrune: () => ({ prune: calls++ % 2 === 1, reason: 'coin' }) });
    expect(checkPrunerConformance(flaky, 2, 2)[0]).toBe('minimize, trial 0, step 1: a second call gave another decision');
    const mute = (): Pruner => ({ ...shape, shouldPrune: () => ({ prune: false, reason: '' }) });
    expect(checkPrunerConformance(mute, 1, 1)[0]).toBe('minimize, trial 0, step 1: expected { prune: boolean, reason: non-empty string }, got {"prune":false,"reason":""}');
  });

  it('reads curves', () => {
    const c: TrialCurve = { trialIndex: 0, state: 'running', values: [{ step: 1, value: 3 }, { step: 4, value: Number.NaN }, { step: 9, value: 1 }] };
    expect(valueAtOrAfter(c, 2)).toEqual({ step: 4, value: Number.NaN });
    expect(valueAtOrAfter(c, 10)).toBeNull();
    expect(bestUpTo(c, 8, 'minimize')).toBe(3);
    expect(bestUpTo(c, 9, 'minimize')).toBe(1);
    expect(bestUpTo(c, 9, 'maximize')).toBe(3);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 25)).toBe(2);
  });
});
