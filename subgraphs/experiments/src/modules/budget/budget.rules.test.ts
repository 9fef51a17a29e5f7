import { budgetStopReason, gpuHoursUsed } from './budget.rules.js';

const t0 = new Date('2030-01-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('experiment budgets', () => {
  const trials = [
    { startedAt: at(0), finishedAt: at(60) }, // 1 h
    { startedAt: at(30), finishedAt: null }, // running: 1 h at minute 90
    { startedAt: null, finishedAt: null }, // queued: nothing yet
  ];

  it('counts GPU-hours from durations (running trials so far) times gpus', () => {
    expect(gpuHoursUsed(trials, 2, at(90))).toBe(4);
    expect(gpuHoursUsed(trials, 0, at(90))).toBe(0);
  });

  it('stops once GPU-hours are spent, saying how many of how many', () => {
    const budget = { maxTrials: 10, maxParallel: 2, gpuHours: 4 };
    expect(budgetStopReason(budget, 2, trials, t0, at(80))).toBeNull();
    expect(budgetStopReason(budget, 2, trials, t0, at(90))).toBe('GPU-hour budget spent: 4 of 4 GPU-hours used (trial durations × 2 GPUs); no new trials');
  });

  it('stops after the deadline, a duration counting from submission', () => {
    const budget = { maxTrials: 10, maxParallel: 2, deadline: '5400s' };
    expect(budgetStopReason(budget, 1, [], t0, at(89))).toBeNull();
    expect(budgetStopReason(budget, 1, [], t0, at(90))).toBe('deadline 2030-01-01T01:30:00.000Z passed (budget.deadline 5400s); no new trials after it');
    expect(budgetStopReason({ maxTrials: 1, maxParallel: 1 }, 8, trials, t0, at(1e6))).toBeNull();
  });
});
