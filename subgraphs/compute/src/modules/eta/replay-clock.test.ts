import { performance } from 'node:perf_hooks';
import type { PoolCapacity, QueuedRun, TenantQuota } from '../admission/admission.types.js';
import { runSliced } from './replay-clock.js';
import { replaySteps, replayStarts, type ReplayInput } from './replay.js';
import { runtimeSpread, sampledReplayStarts, sampledReplaySteps } from './replay-sampled.js';

/** A queue deep enough that the replay takes many cycles: 10 tenants, 600 queued runs, 40 CPUs. */
function deepQueue(): ReplayInput {
  const pool: PoolCapacity = { name: 'p', cpus: 40, gpus: 0, memoryMb: 1e6, gpuIds: [] };
  const quotas = new Map<string, TenantQuota>();
  const queue: QueuedRun[] = [];
  const now = new Date('2030-01-01T00:00:00Z');
  for (let t = 0; t < 10; t++) {
    quotas.set(`t${t}`, { version: 1, cpus: 8, gpus: 0, memoryMb: 1e6, concurrentTrials: 100, cohort: 'all', weight: 1 + (t % 3) });
    for (let i = 0; i < 60; i++) {
      queue.push({ trialId: `t${t}-${i}`, tenant: `t${t}`, trialIndex: i, cpus: 1 + (i % 2), gpus: 0, memoryMb: 1, enqueuedAt: new Date(now.getTime() - 1000 + i), expectedRuntimeSec: 20 + ((i * 7 + t * 3) % 40) });
    }
  }
  return { pools: [pool], quotas, queue, allocations: [], now, cycleSec: 1, maxMs: Infinity };
}

describe('replays in slices (replay-clock.ts)', () => {
  it('give exactly the estimate of the synchronous replay', async () => {
    const input = deepQueue();
    const sync = replayStarts(input);
    const { value, slices } = await runSliced((clock) => replaySteps(input, clock), 1);
    expect(sync.starts.size).toBe(600);
    expect(value.starts).toEqual(sync.starts);
    expect(value.ends).toEqual(sync.ends);
    expect(value.cycles).toBe(sync.cycles);
    expect(slices).toBeGreaterThan(1);
  });

  it('the sampled estimate too (seeded worlds)', async () => {
    const input = deepQueue();
    const o = { samples: 4, ratio: runtimeSpread(new Map()) };
    const sync = sampledReplayStarts(input, o);
    const { value } = await runSliced((clock) => sampledReplaySteps(input, o, clock), 2);
    expect(value.samples).toBe(4);
    expect(value.starts).toEqual(sync.starts);
  });

  it('give the event loop back between slices, and count only their own computing time against maxMs', async () => {
    const input = deepQueue();
    // Other work on the loop: every turn it gets, it holds the loop for 5 ms.
    let turns = 0;
    let running = true;
    const hog = () => {
      if (!running) return;
      turns++;
      const until = performance.now() + 5;
      while (performance.now() < until);
      setImmediate(hog);
    };
    setImmediate(hog);
    const wallStart = performance.now();
    const { value, slices } = await runSliced((clock) => replaySteps({ ...input, maxMs: 5000 }, clock), 2);
    const wall = performance.now() - wallStart;
    running = false;
    expect(value.starts.size).toBe(600);
    expect(turns).toBeGreaterThanOrEqual(slices - 1);
    // The hog's turns are not the replay's: its computing time is well under the wall time.
    expect(value.elapsedMs).toBeLessThan(wall - 5 * (turns - 1) + 1);
  });
});
