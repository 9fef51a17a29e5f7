import type { PoolCapacity, TenantQuota } from '../admission/admission.types.js';
import { replayStarts, type ReplayAllocation } from './replay.js';
import { runtimeSpread, sampledReplayStarts, seededRandom } from './replay-sampled.js';

const pool: PoolCapacity = { name: 'p', cpus: 4, gpus: 0, memoryMb: 1e6, gpuIds: [] };
const quota: TenantQuota = { version: 1, cpus: 100, gpus: 0, memoryMb: 1e6, concurrentTrials: 100 };
const now = new Date('2030-01-01T00:00:00Z');
// Four attempts started together, each expected to last 100 s; one trial waits for the first to end.
const running = (i: number): ReplayAllocation => ({
  tenant: 't', pool: 'p', cpus: 1, gpus: 0, memoryMb: 1, devices: [], attemptId: `a${i}`, trialId: `r${i}`, runtimeSec: 0, endSec: 100, expectedRuntimeSec: 100,
});
const input = {
  pools: [pool], quotas: new Map([['t', quota]]), now, cycleSec: 1, resolution: 0,
  allocations: [0, 1, 2, 3].map(running),
  queue: [{ trialId: 'q', tenant: 't', trialIndex: 9, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: now, expectedRuntimeSec: 100 }],
};

describe('run-time ratios', () => {
  it('draws from an experiment\'s own ratios, else the pooled ones, else a lognormal of mean 1', () => {
    const random = seededRandom(7);
    const own = runtimeSpread(new Map([['e', Array(10).fill(50)], ['f', [10, 30]]]));
    expect(own('e', random)).toBe(1); // every success of e took its mean
    const pooledDraws = Array.from({ length: 200 }, () => own('g', random));
    expect(new Set(pooledDraws.map((x) => x.toFixed(3)))).toEqual(new Set(['1.000', '0.500', '1.500']));
    const none = runtimeSpread(new Map());
    const xs = Array.from({ length: 20000 }, () => none(undefined, random));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const cv = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) / mean;
    expect(mean).toBeCloseTo(1, 1);
    expect(cv).toBeCloseTo(0.25, 1);
  });
});

describe('ETA replay over sampled worlds', () => {
  it('estimates the first of several running attempts to end earlier than their common expected end (the order statistic)', () => {
    expect(replayStarts(input).starts.get('q')).toBe(100);
    // Ratios 0.7–1.3: the first of four ends at about 0.7 + 0.6/5 = 0.82 of 100 s on average.
    const ratios = new Map([['e', Array.from({ length: 61 }, (_, i) => 70 + i)]]);
    const r = sampledReplayStarts({ ...input, experimentOf: new Map([0, 1, 2, 3].map((i) => [`r${i}`, 'e'])) }, { samples: 31, ratio: runtimeSpread(ratios) });
    expect(r.samples).toBe(31);
    expect(r.starts.get('q')!).toBeGreaterThan(75);
    expect(r.starts.get('q')!).toBeLessThan(90);
  });

  it('is deterministic for a seed, and falls back to the deterministic replay when no time is left for samples', () => {
    const o = { samples: 8, ratio: runtimeSpread(new Map()) };
    expect(sampledReplayStarts(input, o).starts).toEqual(sampledReplayStarts(input, o).starts);
    const r = sampledReplayStarts({ ...input, maxMs: 0 }, o);
    expect(r.samples).toBe(0);
  });
});
