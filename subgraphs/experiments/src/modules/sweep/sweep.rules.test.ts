import { bestOf, finalStatus, trialResult, trialsToCreate } from './sweep.rules.js';

describe('sweep rules', () => {
  it.each([
    [{ maxTrials: 10, maxParallel: 4, created: 0, active: 0 }, 4],
    [{ maxTrials: 10, maxParallel: 4, created: 4, active: 3 }, 1],
    [{ maxTrials: 10, maxParallel: 4, created: 9, active: 2 }, 1],
    [{ maxTrials: 10, maxParallel: 4, created: 10, active: 0 }, 0],
    [{ maxTrials: 3, maxParallel: 8, created: 0, active: 0 }, 3],
  ])('trialsToCreate(%o) = %i', (counts, n) => expect(trialsToCreate(counts)).toBe(n));

  it('ends an experiment only when every trial is done', () => {
    const c = { maxTrials: 2, maxParallel: 2, created: 2, active: 0 };
    expect(finalStatus('running', c, ['succeeded', 'failed'])).toBe('succeeded');
    expect(finalStatus('running', c, ['failed', 'failed'])).toBe('failed');
    expect(finalStatus('running', { ...c, active: 1 }, ['succeeded'])).toBeNull();
    expect(finalStatus('running', { ...c, created: 1 }, ['succeeded'])).toBeNull();
    expect(finalStatus('cancelling', { ...c, created: 1 }, ['cancelled'])).toBe('cancelled');
    expect(finalStatus('succeeded', c, [])).toBeNull();
  });

  it('fails a trial that exits 0 without reporting the objective', () => {
    expect(trialResult('succeeded', 'exit 0', 'loss', null)).toMatchObject({ state: 'failed', reason: expect.stringContaining('objective metric "loss"') });
    expect(trialResult('succeeded', 'exit 0', 'loss', 0.5)).toEqual({ state: 'succeeded', value: 0.5, reason: 'exit 0' });
  });

  it('picks the best succeeded trial by direction, ties to the earlier index', () => {
    const trials = [
      { index: 0, state: 'succeeded' as const, value: 3 },
      { index: 1, state: 'failed' as const, value: 1 },
      { index: 2, state: 'succeeded' as const, value: 2 },
      { index: 3, state: 'succeeded' as const, value: 2 },
    ];
    expect(bestOf(trials, 'minimize')!.index).toBe(2);
    expect(bestOf(trials, 'maximize')!.index).toBe(0);
    expect(bestOf([], 'minimize')).toBeNull();
  });
});
