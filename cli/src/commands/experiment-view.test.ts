import { progressBar } from './experiment-view.js';

describe('progressBar', () => {
  const p = { maxTrials: 16, created: 16, pending: 0, running: 0, succeeded: 14, failed: 0, cancelled: 0, pruned: 2 };

  it('counts pruned (and cancelled) trials as done, and names them', () => {
    expect(progressBar(p, 16)).toBe('[################] 16/16 done · 0 running · 0 queued · 14 ok · 0 failed · 2 pruned');
    expect(progressBar({ ...p, pruned: 0, succeeded: 10, cancelled: 1, running: 2, pending: 3 }, 16)).toBe('[###########-----] 11/16 done · 2 running · 3 queued · 10 ok · 0 failed · 1 cancelled');
  });
});
