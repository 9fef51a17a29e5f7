import type { PoolCapacity, TenantQuota } from '../admission/admission.types.js';
import { replayStarts, type ReplayAllocation } from './replay.js';
import { ReplayBudgets, resetsWithin, type BudgetedAttempt, type BudgetClock } from './replay-budgets.js';

const H = 3600;
const attempt = (gpus: number, startSec: number, endSec: number, maxRuntimeSeconds: number | null = null): BudgetedAttempt & { key: string } =>
  ({ key: 't', gpus, startSec, endSec, maxRuntimeSeconds, inBase: startSec < 0 });
const accounts = (clock: BudgetClock, consumed = 0, committed = 0) =>
  new ReplayBudgets<BudgetedAttempt & { key: string }>(new Map([['t', { consumedGpuHours: consumed, committedGpuHours: committed }]]), (a) => a.key, () => clock);
const consumedAt = (b: ReplayBudgets<BudgetedAttempt & { key: string }>, t: number, live: (BudgetedAttempt & { key: string })[] = []) =>
  b.at(t, live).get('t')!.consumedGpuHours;

describe('GPU-hour accounts in virtual time', () => {
  it('without a clock, use only adds up', () => {
    const b = accounts(null, 1);
    const a = attempt(2, 0, H);
    b.ended(a, H);
    expect(consumedAt(b, 5 * H, [attempt(1, 4 * H, 9 * H)])).toBeCloseTo(1 + 2 + 1);
  });

  it('decay fades the base and every interval by 2^(−age / half-life), as budget.reader.ts counts it', () => {
    const b = accounts({ halfLifeHours: 1 }, 4);
    expect(consumedAt(b, H)).toBeCloseTo(2);
    expect(consumedAt(b, 2 * H)).toBeCloseTo(1);
    // 1 GPU over [2 h, 3 h], read at 3 h: ∫ 2^(−(3h−u)/h) du = h/ln2 × (1 − 1/2) = 0.7213 GPU-h.
    b.ended(attempt(1, 2 * H, 3 * H), 3 * H);
    expect(consumedAt(b, 3 * H)).toBeCloseTo(0.5 + 0.5 / Math.LN2);
    // An hour later everything counts half.
    expect(consumedAt(b, 4 * H)).toBeCloseTo((0.5 + 0.5 / Math.LN2) / 2);
    // A running attempt counts its decayed use so far.
    expect(consumedAt(b, 4 * H, [attempt(1, 3 * H, 10 * H)]) - consumedAt(b, 4 * H)).toBeCloseTo(0.5 / Math.LN2);
  });

  it('a reset clears what was used before it and counts only the part of a run after it', () => {
    const b = accounts({ resetsAtSec: [2 * H, 26 * H] }, 3);
    expect(consumedAt(b, H)).toBeCloseTo(3);
    b.ended(attempt(2, 0, 1.5 * H), 1.5 * H);
    expect(consumedAt(b, 1.9 * H)).toBeCloseTo(6);
    expect(consumedAt(b, 2 * H)).toBeCloseTo(0);
    // A run over [1 h, 4 h] counts 2 h of the new period at 4 h.
    expect(consumedAt(b, 4 * H, [attempt(1, 1 * H, 5 * H)])).toBeCloseTo(2);
    b.ended(attempt(1, H, 4 * H), 4 * H);
    expect(consumedAt(b, 25 * H)).toBeCloseTo(2);
    expect(consumedAt(b, 27 * H)).toBeCloseTo(0);
  });

  it('commitments are not decayed: an attempt running now gives its base commitment back as it runs', () => {
    const b = accounts({ halfLifeHours: 1 }, 0, 2);
    expect(b.at(H / 2, [attempt(2, -H / 2, 2 * H, H)]).get('t')!.committedGpuHours).toBeCloseTo(1);
  });

  it('says when time alone lets a run start: decay to budget − committed − need, or the next reset', () => {
    const b = accounts({ halfLifeHours: 2 }, 4);
    // Safe mode, budget 4, need 1: decayed use must fall to 3 → 2 h × log2(4/3).
    expect(b.recoveryAt('t', 0, { consumedGpuHours: 4, committedGpuHours: 0 }, 4, true, 1)! / H).toBeCloseTo(2 * Math.log2(4 / 3));
    // Not safe mode: below the budget.
    expect(b.recoveryAt('t', 0, { consumedGpuHours: 8, committedGpuHours: 0 }, 4, false, 1)! / H).toBeCloseTo(2);
    // Needs more than the whole budget: never; already fits: no event.
    expect(b.recoveryAt('t', 0, { consumedGpuHours: 4, committedGpuHours: 0 }, 4, true, 5)).toBeNull();
    expect(b.recoveryAt('t', 0, { consumedGpuHours: 1, committedGpuHours: 0 }, 4, true, 1)).toBeNull();
    expect(accounts({ resetsAtSec: [10, 20] }).recoveryAt('t', 10, { consumedGpuHours: 9, committedGpuHours: 0 }, 4, true, 1)).toBe(20);
    expect(accounts(null).recoveryAt('t', 0, { consumedGpuHours: 9, committedGpuHours: 0 }, 4, true, 1)).toBeNull();
  });

  it('lists reset boundaries within the horizon: days and weeks repeat, months follow the calendar', () => {
    const now = new Date('2030-01-30T12:00:00Z');
    expect(resetsWithin('day', new Date('2030-01-31T00:00:00Z'), now, 3 * 86400).map((s) => s / H)).toEqual([12, 36, 60]);
    expect(resetsWithin('week', new Date('2030-02-04T00:00:00Z'), now, 14 * 86400).map((s) => s / H)).toEqual([108, 276]);
    expect(resetsWithin('month', new Date('2030-02-01T00:00:00Z'), now, 40 * 86400).map((s) => s / H)).toEqual([36, 36 + 28 * 24]);
    expect(resetsWithin('decay', null, now, 86400)).toEqual([]);
  });
});

describe('ETA replay under decaying and resetting budgets', () => {
  const pool: PoolCapacity = { name: 'p', cpus: 8, gpus: 4, memoryMb: 1e6, gpuIds: ['0', '1', '2', '3'] };
  const now = new Date('2030-01-01T00:00:00Z');
  const quota = (q: Partial<TenantQuota>): TenantQuota => ({ version: 1, cpus: 8, gpus: 4, memoryMb: 1e6, concurrentTrials: 10, ...q });
  const gpuRun = (id: string, i: number) => ({
    trialId: id, tenant: 't', trialIndex: i, cpus: 1, gpus: 1, memoryMb: 1, enqueuedAt: new Date(now.getTime() - 1000 + i), maxRuntimeSeconds: H, expectedRuntimeSec: H,
  });

  it('a tenant that spent its decay budget starts again when its decayed use has fallen far enough (not "never")', () => {
    // Budget 2 GPU-h, all of it used, half-life 1 h: a 1 GPU-h run fits once use decays to 1, an hour from now.
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [],
      quotas: new Map([['t', quota({ gpuHoursBudget: 2, budgetHalfLifeHours: 1 })]]),
      budgets: new Map([['t', { consumedGpuHours: 2, committedGpuHours: 0 }]]),
      queue: [gpuRun('g0', 0)],
    });
    expect(r.unknown).toEqual(new Map());
    expect(r.starts.get('g0')).toBe(3601);
  });

  it('with a run going, the next starts when its use has decayed, not when the budget period would end', () => {
    // One GPU running for the next hour, committed 1 GPU-h; budget 2, used 1 so far, half-life 1 h.
    const running: ReplayAllocation = {
      tenant: 't', pool: 'p', cpus: 1, gpus: 1, memoryMb: 1, devices: ['0'], attemptId: 'a', trialId: 'r', endSec: H, runtimeSec: 0, maxRuntimeSeconds: H,
    };
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [running],
      quotas: new Map([['t', quota({ gpuHoursBudget: 2, budgetHalfLifeHours: 1 })]]),
      budgets: new Map([['t', { consumedGpuHours: 1, committedGpuHours: 1 }]]),
      queue: [gpuRun('g0', 0)],
    });
    // At 1 h: use = 1/2 + 0.5/ln2 = 1.2213 > 1, so it waits for decay: 1.2213 × 2^(−Δ/1h) = 1 → Δ = 0.2885 h.
    const expected = H + H * Math.log2(0.5 + 0.5 / Math.LN2);
    expect(r.starts.get('g0')!).toBeGreaterThanOrEqual(expected);
    expect(r.starts.get('g0')!).toBeLessThanOrEqual(expected + 1);
  });

  it('a tenant that spent its daily budget starts at the next reset', () => {
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [],
      quotas: new Map([['t', quota({ gpuHoursBudget: 2 })]]),
      budgets: new Map([['t', { consumedGpuHours: 2, committedGpuHours: 0 }]]),
      budgetResetsSec: new Map([['t', [5000, 5000 + 86400]]]),
      queue: [gpuRun('g0', 0), gpuRun('g1', 1), gpuRun('g2', 2)],
    });
    // Two fit in the new day's budget at once; the third waits for the day after.
    expect(Object.fromEntries(r.starts)).toEqual({ g0: 5000, g1: 5000, g2: 5000 + 86400 });
  });

  it('a reset comes at its time even while a GPU attempt of the tenant is still running', () => {
    // Daily budget 20, 15 used, 10 committed by a 1-GPU attempt running until 10 h (max 11 h, 1 h in); reset at 2 h.
    const running: ReplayAllocation = {
      tenant: 't', pool: 'p', cpus: 1, gpus: 1, memoryMb: 1, devices: ['0'], attemptId: 'a', trialId: 'r', endSec: 10 * H, runtimeSec: H, maxRuntimeSeconds: 11 * H,
    };
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [running],
      quotas: new Map([['t', quota({ gpuHoursBudget: 20 })]]),
      budgets: new Map([['t', { consumedGpuHours: 15, committedGpuHours: 10 }]]),
      budgetResetsSec: new Map([['t', [2 * H]]]),
      queue: [gpuRun('g0', 0)],
    });
    // At 2 h: nothing used since the reset, 8 committed: the 1 GPU-h run fits then, not when the attempt ends at 10 h.
    expect(r.starts.get('g0')).toBe(2 * H);
  });

  it('without safe mode a budget spent exactly (used = budget) recovers as it decays', () => {
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [],
      quotas: new Map([['t', quota({ gpuHoursBudget: 2, budgetHalfLifeHours: 1, budgetSafeMode: false })]]),
      budgets: new Map([['t', { consumedGpuHours: 2, committedGpuHours: 0 }]]),
      queue: [gpuRun('g0', 0)],
    });
    expect(r.unknown).toEqual(new Map());
    expect(r.starts.get('g0')).toBe(1);
  });

  it('a run that needs the whole safe-mode budget starts once the reader\'s window of 20 half-lives has dropped all use', () => {
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [],
      quotas: new Map([['t', quota({ gpuHoursBudget: 1, budgetHalfLifeHours: 0.1 })]]),
      budgets: new Map([['t', { consumedGpuHours: 0.5, committedGpuHours: 0 }]]),
      queue: [gpuRun('g0', 0)], // 1 GPU × 1 h = the whole budget
    });
    expect(r.unknown).toEqual(new Map());
    expect(r.starts.get('g0')).toBe(20 * 0.1 * H + 1);
  });

  it('a project decay budget recovers the same way', () => {
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, resolution: 0, allocations: [],
      quotas: new Map([['t', quota({})]]),
      projectQuotas: new Map([['t/nlp', { version: 3, gpuHoursBudget: 2, budgetHalfLifeHours: 2 }]]),
      projectBudgets: new Map([['t/nlp', { consumedGpuHours: 4, committedGpuHours: 0 }]]),
      queue: [{ ...gpuRun('g0', 0), project: 'nlp' }],
    });
    // 4 × 2^(−Δ/2h) = 1 → Δ = 4 h.
    expect(r.starts.get('g0')).toBe(4 * H + 1);
  });
});
