import { estimateStarts, type EtaQueued } from './eta.js';

const t0 = Date.parse('2030-01-01T00:00:00Z');
const pool = { name: 'p', cpus: 4, gpus: 0, memoryMb: 1e6, gpuIds: [] };
const quota = (concurrentTrials: number) => ({ version: 1, cpus: 100, gpus: 0, memoryMb: 1e6, concurrentTrials });
const q = (id: string, i: number, expectedSec: number | null, r: Partial<EtaQueued> = {}): EtaQueued => ({
  trialId: id, tenant: 't', trialIndex: i, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t0 + i), expectedSec, ...r,
});

describe('estimated start times', () => {
  it('starts queued runs as running ones end, in order, within the concurrency cap', () => {
    const eta = estimateStarts({
      pool, quotas: new Map([['t', quota(2)]]),
      running: [{ tenant: 't', cpus: 1, gpus: 0, memoryMb: 1, start: 0, end: 10 }, { tenant: 't', cpus: 1, gpus: 0, memoryMb: 1, start: 0, end: 30 }],
      queue: [q('a', 0, 60), q('b', 1, 60), q('c', 2, 60)],
    });
    expect(Object.fromEntries(eta)).toEqual({ a: 10, b: 30, c: 70 });
  });

  it('lets a small run start in a gap a big one cannot use (backfill), and orders by priority', () => {
    const eta = estimateStarts({
      pool, quotas: new Map([['t', quota(10)]]),
      running: [{ tenant: 't', cpus: 3, gpus: 0, memoryMb: 1, start: 0, end: 100 }],
      queue: [q('big', 0, 50, { cpus: 4 }), q('small', 1, 20), q('urgent', 2, 5, { priority: 'critical' })],
    });
    expect(Object.fromEntries(eta)).toEqual({ urgent: 0, big: 100, small: 5 });
  });

  it('gives no estimate behind an attempt of unknown duration, nor without a quota', () => {
    const eta = estimateStarts({
      pool, quotas: new Map([['t', quota(1)]]),
      running: [{ tenant: 't', cpus: 1, gpus: 0, memoryMb: 1, start: 0, end: Infinity }],
      queue: [q('a', 0, 10), q('x', 1, 10, { tenant: 'nobody' })],
    });
    expect(Object.fromEntries(eta)).toEqual({ a: null, x: null });
  });
});
