import { explainReason } from '../modules/admission/reason-codes.js';
import { s5, s6, s7, s8 } from './scenarios.js';
import { countViolations, simulate, type SimView } from './simulator.js';

const pool = { name: 'p', cpus: 4, gpus: 0, memoryMb: 100, gpuIds: [] };
const q = { version: 2, cpus: 2, gpus: 0, memoryMb: 100, concurrentTrials: 1 };
const a = (tenant: string, cpus: number) => ({ tenant, pool: 'p', cpus, gpus: 0, memoryMb: 1, devices: [] });

describe('independent hard-quota checker of the benchmark', () => {
  it('counts pool overcommit, caps and limits; excuses a cut quota only while nothing is admitted above it', () => {
    const quotas = new Map([['t', q]]);
    expect(countViolations(pool, quotas, [a('t', 3), a('t', 2)], new Set(), new Map(), true)).toBe(1);
    expect(countViolations(pool, quotas, [a('t', 1), a('t', 1)])).toBe(1); // cap 1
    expect(countViolations(pool, quotas, [a('t', 3)])).toBe(1); // cpus 3 > 2
    expect(countViolations(pool, quotas, [a('t', 3)], new Set(), new Map([['t', 0]]))).toBe(0); // ran before the cut
    expect(countViolations(pool, quotas, [a('t', 3)], new Set(['t']), new Map([['t', 0]]))).toBe(1); // admitted while above
    expect(countViolations(pool, quotas, [a('t', 2)])).toBe(0);
  });
});

describe('what the simulator shows an observer', () => {
  it('lists attempts that succeeded with their run time, not those killed at their maximum runtime', () => {
    const trial = (trialId: string, durationMs: number, maxRuntimeSeconds?: number) => ({
      trialId, tenant: 't', trialIndex: 0, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(0), durationMs, arriveMs: 0, klass: 'k', maxRuntimeSeconds,
    });
    let last: SimView | null = null;
    simulate({
      pool, quotas: new Map([['t', { ...q, cpus: 4, concurrentTrials: 4 }]]), cycleMs: 500,
      trials: [trial('ok', 1500), trial('killed', 5000, 2)], observe: (v) => { last = v; },
    });
    expect(last!.succeeded.map((s) => [s.trial.trialId, s.runMs])).toEqual([['ok', 1500]]);
  });
});

describe('decay budgets in the simulator', () => {
  it('counts decayed use as budget.reader.ts does, so a spent budget recovers and its trials run later instead of never', () => {
    const gpuPool = { name: 'g', cpus: 8, gpus: 1, memoryMb: 100, gpuIds: ['0'] };
    // Budget 0.5 GPU-h, half-life 1 h; four 0.25 h trials (maxRuntime 0.25 h each, one GPU).
    const trial = (trialId: string) => ({
      trialId, tenant: 't', trialIndex: 0, cpus: 1, gpus: 1, memoryMb: 1, enqueuedAt: new Date(0), durationMs: 900_000, arriveMs: 0, klass: 'k', maxRuntimeSeconds: 900,
    });
    const quota = (h: number | null) => new Map([['t', { ...q, cpus: 8, gpus: 1, concurrentTrials: 4, gpuHoursBudget: 0.5, ...(h === null ? {} : { budgetHalfLifeHours: h }) }]]);
    const run = (h: number | null) => simulate({ pool: gpuPool, quotas: quota(h), cycleMs: 60_000, maxSimMs: 6 * 3600_000, trials: ['a', 'b', 'c', 'd'].map(trial) });
    // A budget that never resets runs two of them and holds the rest for good.
    const reset = run(null);
    expect([reset.unfinished, reset.budgetOverrunGpuHours]).toEqual([2, 0]);
    // Decaying, the first two fade: all four run, one after another as use decays, and decayed use never exceeds 0.5.
    const decay = run(1);
    expect(decay.unfinished).toBe(0);
    expect(decay.budgetOverrunGpuHours).toBe(0);
    expect(decay.maxDecayedShareOfBudget).toBeGreaterThan(0.8);
    expect(decay.maxDecayedShareOfBudget).toBeLessThanOrEqual(1);
    const starts = [...decay.firstStartMs.values()].sort((x, y) => x - y).map((ms) => ms / 60_000);
    expect(starts.slice(0, 2)).toEqual([0, 15]);
    expect(starts[2]).toBeGreaterThan(30); // waits for the first half hour of use to fade
  });
});

describe('reason codes over the benchmark scenarios', () => {
  it('gives every wait and refusal clause admission writes in the first minute of S5, S6, S7 and S8 a code', () => {
    const codes = new Map<string, number>();
    const unknown = new Set<string>();
    const onDecisions = (out: { pending: { reason: string }[]; rejected: { reason: string }[] }) => {
      for (const x of [...out.pending, ...out.rejected]) {
        for (const d of explainReason(x.reason)) {
          codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          if (d.code === 'OTHER') unknown.add(d.text);
        }
      }
    };
    for (const s of [s5(), s6(), s7(), s8()]) simulate({ ...s, maxSimMs: 60_000, onDecisions });
    expect([...unknown]).toEqual([]);
    expect([...codes.keys()].sort()).toEqual(expect.arrayContaining(['BACKFILL_HELD', 'BORROW_BACKOFF', 'COHORT_LENDING', 'CONCURRENCY_CAP', 'POOL_CAPACITY', 'PREEMPTION_PENDING', 'RESERVED', 'TENANT_QUOTA']));
  });
});
