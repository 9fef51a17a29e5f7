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
