import { remainingSec, runtimeEstimator } from './eta.js';

describe('run-time estimates for the ETA', () => {
  it('uses an experiment\'s own observed mean, else the mean of the other experiments\' means', () => {
    // e1 finished many trials, e2 few: each experiment counts once in what a new one borrows.
    const runtimeOf = runtimeEstimator(new Map([['e1', 100], ['e2', 300]]));
    expect(runtimeOf('e1')).toBe(100);
    expect(runtimeOf('e2', 50)).toBe(300);
    expect(runtimeOf('new')).toBe(200);
    // Its own maximum runtime stands in for a trial of an experiment with nothing finished.
    expect(runtimeOf('new', 30)).toBeNull();
    expect(runtimeEstimator(new Map())('new')).toBeNull();
  });

  it('expects a running attempt to take its estimate minus what it ran, and one past it a tenth more', () => {
    expect(remainingSec(100, 30)).toBe(70);
    expect(remainingSec(100, 130)).toBe(10);
    expect(remainingSec(5, 9)).toBe(1);
    expect(remainingSec(null, 10)).toBe(Infinity);
  });
});
