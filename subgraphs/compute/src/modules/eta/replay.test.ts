import { simulate, type SimTrial } from '../../bench/simulator.js';
import type { PoolCapacity, TenantQuota } from '../admission/admission.types.js';
import { forecastArrivals, replayStarts, type ReplayAllocation } from './replay.js';

const pool: PoolCapacity = { name: 'p', cpus: 4, gpus: 0, memoryMb: 1e6, gpuIds: [] };
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 1, cpus: 100, gpus: 100, memoryMb: 1e6, concurrentTrials: 100, ...q });
const now = new Date('2030-01-01T00:00:00Z');
const run = (trialId: string, tenant: string, i: number, expectedRuntimeSec: number | null = 10) => ({
  trialId, tenant, trialIndex: i, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(now.getTime() - 1000 + i), expectedRuntimeSec,
});
const busy = (tenant: string, endSec: number, r: Partial<ReplayAllocation> = {}): ReplayAllocation => ({
  tenant, pool: 'p', cpus: 1, gpus: 0, memoryMb: 1, devices: [], attemptId: `a-${tenant}-${endSec}`, trialId: `r-${tenant}-${endSec}`, endSec, runtimeSec: 0, ...r,
});

describe('ETA by replaying admission forward', () => {
  it('predicts the starts the scheduler really makes when run times are exact (fair-share interleaving included)', () => {
    // Tenant a queued 12 runs before b's 6: priority-then-age would start all of a's first;
    // admission interleaves them by weighted dominant share (b has weight 2).
    const quotas = new Map([['a', quota()], ['b', quota({ weight: 2 })]]);
    const trials: SimTrial[] = [];
    for (let i = 0; i < 12; i++) trials.push({ ...run(`a${i}`, 'a', i), durationMs: 3000 + 1000 * (i % 3), arriveMs: 0, klass: 'a', enqueuedAt: new Date(i) });
    for (let i = 0; i < 6; i++) trials.push({ ...run(`b${i}`, 'b', 20 + i), durationMs: 5000, arriveMs: 0, klass: 'b', enqueuedAt: new Date(100 + i) });
    const predicted = new Map<string, number>();
    const sim = simulate({
      pool, quotas, trials: trials.map((t) => ({ ...t, expectedRuntimeSec: t.durationMs / 1000 })), cycleMs: 500,
      observe: (v) => {
        if (v.t !== 0) return;
        const r = replayStarts({
          pools: [pool], quotas: v.quotas, now: new Date(0), cycleSec: 0.5, resolution: 0,
          allocations: v.running.map((x) => ({ ...x, runtimeSec: 0, endSec: x.trial.durationMs / 1000 })),
          queue: [...v.queue],
        });
        for (const [id, s] of r.starts) predicted.set(id, s * 1000);
      },
    });
    expect(predicted.size).toBe(18 - 4);
    for (const [id, ms] of predicted) expect([id, ms]).toEqual([id, sim.firstStartMs.get(id)]);
    // b (weight 2) gets in before a's older runs are all through.
    expect(predicted.get('b2')!).toBeLessThan(predicted.get('a8')!);
  });

  it('gives no start, with the reason, behind an attempt of unknown duration or an exhausted budget', () => {
    const r = replayStarts({
      pools: [{ ...pool, cpus: 1, gpus: 1 }], now,
      quotas: new Map([['a', quota()], ['g', quota({ gpuHoursBudget: 1, budgetSafeMode: true })]]),
      budgets: new Map([['g', { consumedGpuHours: 1, committedGpuHours: 0 }]]),
      allocations: [busy('a', Infinity)],
      queue: [run('x', 'a', 0), { ...run('gpu', 'g', 1), cpus: 0, gpus: 1, maxRuntimeSeconds: 60 }],
    });
    expect(r.starts.size).toBe(0);
    expect(r.unknown.get('x')).toMatch(/no running attempt with a known end.*pool p: cpus 0 free/);
    expect(r.unknown.get('gpu')).toMatch(/GPU-hour/i);
  });

  it("follows a project's limits and GPU-hour budget as admission does", () => {
    // 4 CPUs free, but project vision may run one trial at a time: its runs follow each other,
    // while the tenant's other runs (no project) start at once.
    const projectQuotas = new Map([['t/vision', { version: 1, concurrentTrials: 1 }]]);
    const queue = [
      { ...run('v0', 't', 0), project: 'vision' }, { ...run('v1', 't', 1), project: 'vision' }, { ...run('v2', 't', 2), project: 'vision' }, run('x', 't', 3),
    ];
    const r = replayStarts({ pools: [pool], now, cycleSec: 1, resolution: 0, quotas: new Map([['t', quota()]]), projectQuotas, allocations: [], queue });
    expect(Object.fromEntries(r.starts)).toEqual({ v0: 0, v1: 10, v2: 20, x: 0 });

    // A project budget of 0.01 GPU-hours (36 GPU-s) in safe mode, trials of up to 20 s on 1 GPU:
    // one at a time is committed; the third does not fit what is left after two ran (40 GPU-s).
    const gpuRun = (id: string, i: number) => ({ ...run(id, 't', i), cpus: 0, gpus: 1, maxRuntimeSeconds: 20, expectedRuntimeSec: 20, project: 'nlp' });
    const budgeted = replayStarts({
      pools: [{ ...pool, gpus: 4, gpuIds: ['0', '1', '2', '3'] }], now, cycleSec: 1, resolution: 0, quotas: new Map([['t', quota()]]),
      projectQuotas: new Map([['t/nlp', { version: 2, gpuHoursBudget: 0.012 }]]),
      projectBudgets: new Map([['t/nlp', { consumedGpuHours: 0, committedGpuHours: 0 }]]),
      allocations: [], queue: [gpuRun('g0', 0), gpuRun('g1', 1), gpuRun('g2', 2)],
    });
    expect(Object.fromEntries(budgeted.starts)).toEqual({ g0: 0, g1: 0 });
    expect(budgeted.unknown.get('g2')).toMatch(/PROJECT_GPU_BUDGET_INSUFFICIENT: project nlp/);
  });

  it('routes runs that name a GPU type to pools of that flavor only', () => {
    const h100: PoolCapacity = { name: 'h100', cpus: 8, gpus: 1, memoryMb: 1e6, gpuIds: ['0'], flavor: 'h100' };
    const a100: PoolCapacity = { name: 'a100', cpus: 8, gpus: 4, memoryMb: 1e6, gpuIds: ['0', '1', '2', '3'], flavor: 'a100' };
    const want = (id: string, i: number) => ({ ...run(id, 't', i), cpus: 1, gpus: 1, gpuTypes: ['h100'] });
    const r = replayStarts({
      pools: [h100, a100], poolFlavors: new Map([['h100', 'h100'], ['a100', 'a100']]), now, cycleSec: 1, resolution: 0,
      quotas: new Map([['t', quota()]]), allocations: [], queue: [want('h0', 0), want('h1', 1), want('h2', 2)],
    });
    // Four idle A100s do not help: the H100 runs follow each other on the one H100.
    expect(Object.fromEntries(r.starts)).toEqual({ h0: 0, h1: 10, h2: 20 });
  });

  it('places runs that list several GPU types as admission does: the preferred type while it has room, then the next', () => {
    const h100: PoolCapacity = { name: 'h100', cpus: 8, gpus: 1, memoryMb: 1e6, gpuIds: ['0'], flavor: 'h100' };
    const a100: PoolCapacity = { name: 'a100', cpus: 8, gpus: 1, memoryMb: 1e6, gpuIds: ['0'], flavor: 'a100' };
    const either = (id: string, i: number) => ({ ...run(id, 't', i), cpus: 1, gpus: 1, gpuTypes: ['h100', 'a100'] });
    const r = replayStarts({
      // a100 decides first in every cycle: it leaves a run to h100 while h100 has room.
      pools: [a100, h100], poolFlavors: new Map([['h100', 'h100'], ['a100', 'a100']]), poolCapacities: new Map([['h100', h100], ['a100', a100]]),
      now, cycleSec: 1, resolution: 0, quotas: new Map([['t', quota()]]), allocations: [], queue: [either('e0', 0), either('e1', 1), either('e2', 2)],
    });
    // Two GPUs of either type: two start at once, the third when the first ends.
    expect(Object.fromEntries(r.starts)).toEqual({ e0: 0, e1: 0, e2: 10 });
  });

  it('routes runs that ask for an executor to the pools running it, and the others anywhere', () => {
    const slurm: PoolCapacity = { name: 'hpc', cpus: 1, gpus: 0, memoryMb: 1e6, gpuIds: [], executor: 'slurm' };
    const local: PoolCapacity = { name: 'box', cpus: 8, gpus: 0, memoryMb: 1e6, gpuIds: [], executor: 'local' };
    const on = (id: string, i: number, executor: string) => ({ ...run(id, 't', i), executor });
    const r = replayStarts({
      pools: [slurm, local], poolExecutors: new Map([['hpc', 'slurm'], ['box', 'local']]), now, cycleSec: 1, resolution: 0,
      quotas: new Map([['t', quota()]]), allocations: [],
      queue: [on('s0', 0, 'slurm'), on('s1', 1, 'slurm'), on('l0', 2, 'local'), on('k0', 3, 'kubernetes')],
    });
    // Seven idle local CPUs do not help the Slurm runs: they follow each other on the one Slurm CPU;
    // kubernetes runs nowhere, so any pool starts it at once.
    expect(Object.fromEntries(r.starts)).toEqual({ s0: 0, s1: 10, l0: 0, k0: 0 });
  });

  it('gives up on a run its only routable pool rejects, although other pools are larger', () => {
    const slurm: PoolCapacity = { name: 'hpc', cpus: 1, gpus: 0, memoryMb: 1e6, gpuIds: [], executor: 'slurm' };
    const local: PoolCapacity = { name: 'box', cpus: 8, gpus: 0, memoryMb: 1e6, gpuIds: [], executor: 'local' };
    const r = replayStarts({
      pools: [slurm, local], poolExecutors: new Map([['hpc', 'slurm'], ['box', 'local']]), now, cycleSec: 1, resolution: 0,
      quotas: new Map([['t', quota()]]), allocations: [], queue: [{ ...run('big', 't', 0), cpus: 4, executor: 'slurm' }],
    });
    expect(r.unknown.get('big')).toMatch(/^it will not be admitted: requests 4 cpus; pool hpc has 1/);
  });

  it('replays trials not created yet, at most maxParallel in flight, for the completion', () => {
    const template = { ...run('e-1', 't', 1), maxRuntimeSeconds: 30 };
    const arrivals = forecastArrivals([{ experimentId: 'e', remaining: 3, created: 1, firstCreatedAgoSec: 0, maxParallel: 1, template }]);
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, quotas: new Map([['t', quota()]]), resolution: 0,
      allocations: [busy('t', 10, { trialId: 'e-1' })], queue: [], arrivals, experimentOf: new Map([['e-1', 'e']]), completeArrivals: true,
    });
    // One at a time: the running one ends at 10 s, then three of 10 s each.
    expect([...r.starts.values()]).toEqual([10, 20, 30]);
    expect(Math.max(...r.ends.values())).toBe(40);
  });

  it('does not add up the rounding of coarse cycles along a chain of starts', () => {
    // One slot; a running attempt ends at 100.5 s, then five queued runs of 10.5 s one after another.
    // Around 100 s events closer than 2 % share a cycle (2 s steps), but a run still starts at the
    // admission cycle (0.25 s) of the end it waited for, as in production.
    const replay = (resolution?: number) => replayStarts({
      pools: [{ ...pool, cpus: 1 }], now, cycleSec: 0.25, quotas: new Map([['t', quota()]]), allocations: [busy('t', 100.5)],
      queue: Array.from({ length: 5 }, (_, i) => run(`q${i}`, 't', i, 10.5)), resolution,
    });
    const exact = [100.5, 111, 121.5, 132, 142.5];
    expect([...replay(0).starts.values()]).toEqual(exact);
    expect([...replay().starts.values()]).toEqual(exact);
    expect(replay().cycles).toBeLessThanOrEqual(replay(0).cycles);
  });

  it('forecasts a sweep with a known parallelism as creating its next trial when one of its trials ends', () => {
    const template = { ...run('e-1', 't', 1), maxRuntimeSeconds: 100 };
    // Two created 600 s ago, both still running: the observed creation rate (one per 600 s) says
    // nothing of when the next come; the sweep creates them as its trials end (at 10 s and 20 s).
    const plan = { experimentId: 'e', remaining: 2, created: 2, firstCreatedAgoSec: 600, maxParallel: 2, template };
    const arrivals = forecastArrivals([plan]);
    expect(arrivals.map((a) => a.atSec)).toEqual([0, 0]);
    const r = replayStarts({
      pools: [pool], now, cycleSec: 1, quotas: new Map([['t', quota()]]), resolution: 0, arrivals, completeArrivals: true,
      allocations: [busy('t', 10, { trialId: 'e-1' }), busy('t', 20, { trialId: 'e-2' })], queue: [], experimentOf: new Map([['e-1', 'e'], ['e-2', 'e']]),
    });
    expect(arrivals.map((a) => r.starts.get(a.run.trialId))).toEqual([10, 20]);
    // Without a known parallelism: the observed rate, (2 − 1) creations in 600 s.
    expect(forecastArrivals([{ ...plan, maxParallel: null }]).map((a) => a.atSec)).toEqual([600, 1200]);
  });

  it('stays within its cycle bound and says so', () => {
    const queue = Array.from({ length: 50 }, (_, i) => run(`q${i}`, 't', i));
    const r = replayStarts({ pools: [{ ...pool, cpus: 1 }], now, quotas: new Map([['t', quota()]]), allocations: [busy('t', 5)], queue, maxCycles: 10, resolution: 0 });
    expect(r.cycles).toBe(10);
    expect(r.starts.size).toBeGreaterThan(0);
    expect(r.unknown.get('q49')).toMatch(/after 10 simulated admission cycles/);
  });
});
