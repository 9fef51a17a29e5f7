/**
 * Estimated starts by forward replay of the real scheduler (pure). The admission function itself
 * (`admit`, with the same snapshot the adapter builds: quotas, cohorts, usage history, budgets,
 * reservations) is run in virtual time over the queued runs: each running attempt ends at its
 * expected end, each admitted run lasts its expected duration, and admission cycles happen where
 * something ends (rounded up to the admission interval), in every pool, in pool order. So the
 * estimate follows the same priority classes, weighted fair-share interleaving, borrowing,
 * backfill and preemption decisions as production; only run times are guesses.
 *
 * Bounded: at most `maxCycles` virtual cycles, `maxMs` of real time and `horizonSec` of virtual
 * time; runs without a start by then get no estimate, with the reason why.
 */
import { performance } from 'node:perf_hooks';
import { admit } from '../admission/admission.js';
import type { ActiveAllocation, AdmissionSnapshot, PoolCapacity, QueuedRun, TenantQuota } from '../admission/admission.types.js';
import { worstCaseGpuHours } from '../admission/budget.rules.js';
import { projectKey } from '../admission/project.rules.js';
import { ReplayBudgets, type BudgetClock } from './replay-budgets.js';
import { PoolRouting } from '../admission/pool-routing.rules.js';

export interface ReplayAllocation extends ActiveAllocation {
  /** Seconds from now until it is expected to end (Infinity: unknown). */
  endSec: number;
  /** Maximum runtime (seconds), for GPU-hour commitments; null: none. */
  maxRuntimeSeconds?: number | null;
}

export interface ReplayInput extends Omit<AdmissionSnapshot, 'pool' | 'allocations' | 'now' | 'queue'> {
  /** Pools sharing the queue; each runs an admission cycle per virtual cycle, in this order. */
  pools: PoolCapacity[];
  allocations: ReplayAllocation[];
  /** Queued runs, with `expectedRuntimeSec` (observed duration estimate) where known. */
  queue: QueuedRun[];
  /** Runs expected to be queued later (trials experiments has not created yet), at `atSec` from now. */
  arrivals?: Arrival[];
  /** The experiment of each queued and running trial (for arrivals' maxParallel). */
  experimentOf?: ReadonlyMap<string, string>;
  /** Replay arrivals to their end too (experiment completion); default: stop once every queued run started. */
  completeArrivals?: boolean;
  now: Date;
  /** The admission interval: starts happen at multiples of it (default 1 s). */
  cycleSec?: number;
  /** How long a preempted attempt takes to stop (default: one cycle). */
  graceSec?: number;
  /** Bounds: virtual time, cycles, real milliseconds. */
  horizonSec?: number;
  maxCycles?: number;
  maxMs?: number;
  /**
   * Events closer than this fraction of their distance from now share a cycle (default 0.02); the
   * runs such a cycle admits start at the cycle of its latest event, so the rounding does not add
   * up along a chain of starts.
   */
  resolution?: number;
  /** Reset-period budgets' boundaries ahead (seconds from now; replay-budgets.ts resetsWithin), by tenant and by tenant/project. */
  budgetResetsSec?: ReadonlyMap<string, readonly number[]>;
  projectBudgetResetsSec?: ReadonlyMap<string, readonly number[]>;
}

/** A run expected to be queued `atSec` from now, once its experiment has fewer than `maxParallel` trials in flight. */
export interface Arrival {
  run: QueuedRun;
  atSec: number;
  experimentId?: string;
  maxParallel?: number | null;
}

export interface ReplayResult {
  /** Seconds from now until each queued run is expected to start. */
  starts: Map<string, number>;
  /** Seconds from now until each run (queued or running) is expected to end; Infinity: unknown. */
  ends: Map<string, number>;
  /** Runs that got no start estimate, with why. */
  unknown: Map<string, string>;
  cycles: number;
  elapsedMs: number;
}

/** How long a run is expected to last: its observed estimate capped by its maximum runtime. */
export function expectedDurationSec(run: { expectedRuntimeSec?: number | null; maxRuntimeSeconds?: number | null }): number {
  const max = run.maxRuntimeSeconds ?? Infinity;
  return Math.min(run.expectedRuntimeSec ?? max, max);
}

interface Live extends ReplayAllocation {
  /** Virtual time it started (≤ 0 for attempts running already). */
  startSec: number;
  /** Its queued run when it was admitted in the replay (so a preempted one can be requeued). */
  run?: QueuedRun;
}

const EPS = 1e-9;

/** How far ahead the replay looks by default (virtual seconds): a week. */
export const REPLAY_HORIZON_SEC = 7 * 24 * 3600;

/**
 * Where a replay's time goes: `elapsed()` is the computing time spent so far (the `maxMs` bound
 * counts it), `due()` says when a sliced run should give the event loop back (replay-clock.ts).
 */
export interface ReplayClock {
  elapsed(): number;
  due(): boolean;
}

/** Wall time since the clock was made; never yields (a synchronous run). */
export function wallClock(): ReplayClock {
  const began = performance.now();
  return { elapsed: () => performance.now() - began, due: () => false };
}

/** Runs a replay's steps to the end at once (no yielding). */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export function replayStarts(input: ReplayInput): ReplayResult {
  return runToEnd(replaySteps(input, wallClock()));
}

/**
 * The replay as resumable steps: it yields at the top of a virtual cycle whenever `timer.due()`,
 * so a caller can run it in slices between other work (replay-clock.ts) — the state is the
 * replay's own copy of its input, so a pause changes nothing. `timer` measures its time.
 */
export function* replaySteps(input: ReplayInput, timer: ReplayClock): Generator<void, ReplayResult, void> {
  const began = timer.elapsed();
  const cycle = input.cycleSec ?? 1;
  const grace = input.graceSec ?? cycle;
  const horizon = input.horizonSec ?? REPLAY_HORIZON_SEC;
  const maxCycles = input.maxCycles ?? 5000;
  const maxMs = input.maxMs ?? 250;
  const resolution = input.resolution ?? 0.02;
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  const unknown = new Map<string, string>();
  const queue = new Map(input.queue.map((q) => [q.trialId, { ...q }]));
  let live: Live[] = input.allocations.map((a) => ({ ...a, startSec: -(a.runtimeSec ?? 0), inBase: true }));
  for (const a of live) if (a.trialId) ends.set(a.trialId, a.endSec);
  if (input.pools.length === 0) {
    for (const q of queue.keys()) unknown.set(q, 'no pool has a running compute replica to admit it');
    return { starts, ends, unknown, cycles: 0, elapsedMs: timer.elapsed() - began };
  }
  // Budgets decay or reset in virtual time as admission reads them (replay-budgets.ts).
  const clock = (halfLifeHours: number | null | undefined, resets: readonly number[] | undefined): BudgetClock =>
    halfLifeHours != null ? { halfLifeHours } : resets && resets.length > 0 ? { resetsAtSec: resets } : null;
  const tenantBudgets = new ReplayBudgets<Live>(input.budgets ?? new Map(), (a) => a.tenant,
    (tenant) => clock(input.quotas.get(tenant)?.budgetHalfLifeHours, input.budgetResetsSec?.get(tenant)));
  // Project budgets and limits apply as in production (admit's ProjectLedger), over the replay's attempts.
  const projectBudgets = new ReplayBudgets<Live>(input.projectBudgets ?? new Map(), (a) => (a.project ? projectKey(a.tenant, a.project) : null),
    (key) => clock(input.projectQuotas?.get(key)?.budgetHalfLifeHours, input.projectBudgetResetsSec?.get(key)));
  const budgetsChange = [...(input.budgets?.keys() ?? [])].some((k) => tenantBudgets.clocked(k))
    || [...(input.projectBudgets?.keys() ?? [])].some((k) => projectBudgets.clocked(k));
  const preemptedAt = new Map<string, number>();
  const pendingReason = new Map<string, string>();
  let t = 0;
  // The previous cycle's time, and the latest event (an end, an arrival, a backoff running out)
  // this cycle takes in: with coarse cycles, runs it admits start at that event's own cycle.
  let prevT = -Infinity;
  let lastEvent = 0;
  let cycles = 0;
  let stop: string | null = null;
  let budgetEventAt = Infinity;
  const routings = input.pools.map((p) => new PoolRouting(p, input.poolFlavors, input.poolExecutors, input.livePools));
  // The quotas a cycle reads, as the admission store reads them: of tenants with queued (or
  // expected) runs and of their cohorts' members, plus tenants whose preemptible attempts critical
  // work may evict (and requeue); the others' quotas change no decision, and skipping them keeps a
  // cycle's cost off the number of tenants.
  const quotas = relevantQuotas(input.quotas, [
    ...input.queue, ...(input.arrivals ?? []).map((a) => a.run), ...input.allocations.filter((a) => a.priority === 'preemptible'),
  ]);

  let arrivals = [...(input.arrivals ?? [])].sort((a, b) => a.atSec - b.atSec);
  // Trials in flight (queued or running) per experiment, for arrivals bound by maxParallel.
  const inFlight = new Map<string, number>();
  const experimentOf = new Map(input.experimentOf ?? []);
  for (const a of arrivals) if (a.experimentId) experimentOf.set(a.run.trialId, a.experimentId);
  const bump = (trialId: string | undefined, by: number) => {
    const e = trialId === undefined ? undefined : experimentOf.get(trialId);
    if (e !== undefined) inFlight.set(e, (inFlight.get(e) ?? 0) + by);
  };
  for (const q of queue.keys()) bump(q, 1);
  for (const a of live) bump(a.trialId, 1);
  /**
   * The next moment time alone lets a queued GPU run's budget admit it: a decay budget with no GPU
   * attempt running fading far enough, or a reset period's boundary.
   */
  const budgetRecovery = (now: number): number => {
    const busy = new Set<string>();
    for (const a of live) if (a.gpus > 0) busy.add(a.tenant).add(a.project ? projectKey(a.tenant, a.project) : '');
    const need = { tenant: new Map<string, number>(), project: new Map<string, number>() };
    const least = (m: Map<string, number>, k: string, v: number) => m.set(k, Math.min(m.get(k) ?? Infinity, v));
    for (const q of queue.values()) {
      if (q.gpus <= 0) continue;
      const w = worstCaseGpuHours(q) ?? Infinity;
      least(need.tenant, q.tenant, w);
      if (q.project) least(need.project, projectKey(q.tenant, q.project), w);
    }
    let at = Infinity;
    const scan = (accounts: ReplayBudgets<Live>, needs: Map<string, number>, policyOf: (k: string) => { gpuHoursBudget?: number | null; budgetSafeMode?: boolean } | undefined) => {
      const states = needs.size > 0 ? accounts.at(now, live) : new Map();
      for (const [k, n] of needs) {
        const p = policyOf(k);
        const s = states.get(k);
        // A decay budget with GPUs running is looked at again when they end; a reset comes at its time regardless.
        if ((busy.has(k) && accounts.decays(k)) || !s || p?.gpuHoursBudget == null || !Number.isFinite(n)) continue;
        const r = accounts.recoveryAt(k, now, s, p.gpuHoursBudget, p.budgetSafeMode !== false, n);
        if (r !== null && r > now + EPS) at = Math.min(at, r);
      }
    };
    scan(tenantBudgets, need.tenant, (k) => input.quotas.get(k));
    scan(projectBudgets, need.project, (k) => input.projectQuotas?.get(k));
    return at;
  };
  while (queue.size > 0 || arrivals.length > 0) {
    if (timer.due()) yield;
    if (cycles >= maxCycles) stop = `estimate stopped after ${maxCycles} simulated admission cycles`;
    else if (timer.elapsed() - began > maxMs) stop = `estimate stopped after ${maxMs} ms of computation`;
    else if (t > horizon) stop = `no start within ${Math.round(horizon / 3600)} h`;
    if (stop) break;
    cycles++;
    lastEvent = 0;
    // Attempts that end by now free their resources; preempted ones are requeued.
    const still: Live[] = [];
    for (const a of live) {
      if (a.endSec > t + EPS) {
        still.push(a);
        continue;
      }
      lastEvent = Math.max(lastEvent, a.endSec);
      tenantBudgets.ended(a, t);
      projectBudgets.ended(a, t);
      if (a.stopping && a.trialId && a.run) {
        preemptedAt.set(a.trialId, t);
        queue.set(a.trialId, { ...a.run, preemptions: (a.run.preemptions ?? 0) + 1, preempting: false });
      } else bump(a.trialId, -1);
    }
    live = still;
    if (arrivals.length > 0) {
      const waiting: Arrival[] = [];
      for (const a of arrivals) {
        const e = a.experimentId;
        if (a.atSec > t + EPS || (e !== undefined && a.maxParallel != null && (inFlight.get(e) ?? 0) >= a.maxParallel)) {
          waiting.push(a);
          continue;
        }
        // Due in this cycle's window: it arrives then; due before (held back by maxParallel): when
        // this cycle's ends freed a slot for it.
        const at = a.atSec > prevT + EPS ? Math.max(a.atSec, 0) : Math.max(a.atSec, lastEvent);
        queue.set(a.run.trialId, { ...a.run, enqueuedAt: new Date(input.now.getTime() + at * 1000) });
        lastEvent = Math.max(lastEvent, at);
        bump(a.run.trialId, 1);
      }
      arrivals = waiting;
    }
    // A budget that decayed or reset far enough is this cycle's event too.
    if (budgetEventAt <= t + EPS) lastEvent = Math.max(lastEvent, budgetEventAt);
    budgetEventAt = Infinity;
    const backoffSec = input.borrowBackoffSec ?? 30;
    for (const q of queue.values()) {
      const at = preemptedAt.get(q.trialId);
      const free = at === undefined || !q.preemptions ? -Infinity : at + backoffSec * 2 ** (q.preemptions - 1);
      if (free <= t + EPS) lastEvent = Math.max(lastEvent, free);
    }
    // Where this cycle took in several events, its runs start at the latest one's cycle, not at
    // the coarse cycle time: the rounding then does not add up along a chain of starts.
    const startAt = Math.min(t, Math.max(prevT + cycle, Math.ceil(lastEvent / cycle - EPS) * cycle, 0)); // 0, not −0
    const budgets = tenantBudgets.at(t, live);
    const projectAccounts = projectBudgets.at(t, live);
    const rejectedBy = new Map<string, number>();
    for (const pool of input.pools) {
      if (queue.size === 0) break;
      const snapshot: AdmissionSnapshot = {
        ...input,
        quotas,
        pool,
        now: new Date(input.now.getTime() + t * 1000),
        budgets,
        projectBudgets: projectAccounts,
        allocations: live.map((a) => ({ ...a, runtimeSec: t - a.startSec })),
        queue: [...queue.values()].map((q) => {
          const since = preemptedAt.get(q.trialId);
          return since === undefined ? q : { ...q, sincePreemptedSec: t - since };
        }),
      };
      const out = admit(snapshot);
      for (const p of out.pending) pendingReason.set(p.trialId, p.reason);
      // A run that never fits this pool may fit another; it is given up only when none takes it.
      for (const r of out.rejected) {
        const n = (rejectedBy.get(r.trialId) ?? 0) + 1;
        rejectedBy.set(r.trialId, n);
        // Only pools that route the run to themselves decide it (pool-routing.rules.ts).
        const run = queue.get(r.trialId);
        if (run && n < routings.filter((rt) => rt.route(run, quotas.get(run.tenant)).here).length) continue;
        unknown.set(r.trialId, `it will not be admitted: ${r.reason}`);
        queue.delete(r.trialId);
      }
      const byAttempt = new Map(live.map((a) => [a.attemptId, a]));
      for (const p of out.preempted) {
        const v = byAttempt.get(p.attemptId);
        if (!v || v.stopping) continue;
        v.stopping = true;
        v.endSec = Math.min(v.endSec, t + grace);
        const forRun = queue.get(p.forTrialId);
        if (forRun) forRun.preempting = true;
      }
      for (const a of out.admitted) {
        const run = queue.get(a.trialId)!;
        queue.delete(a.trialId);
        if (!starts.has(a.trialId)) starts.set(a.trialId, startAt);
        const end = startAt + expectedDurationSec(run);
        ends.set(a.trialId, end);
        live.push({
          tenant: run.tenant, project: run.project ?? null, pool: pool.name, cpus: run.cpus, gpus: run.gpus, memoryMb: run.memoryMb, devices: a.devices,
          attemptId: `replay:${a.trialId}:${cycles}`, trialId: a.trialId, priority: a.priority, borrowed: a.borrowed,
          preemptions: run.preemptions ?? 0, expectedRuntimeSec: run.maxRuntimeSeconds ?? run.expectedRuntimeSec ?? null,
          maxRuntimeSeconds: run.maxRuntimeSeconds ?? null, endSec: end, startSec: startAt, runtimeSec: t - startAt, run: { ...run, preempting: false },
        });
      }
    }
    if (queue.size === 0 && arrivals.length === 0) break;
    if (!input.completeArrivals && ![...queue.keys()].some((id) => !id.startsWith(FUTURE_PREFIX))) break;
    // Next cycle: when the next attempt ends, a run arrives, or a preempted trial's borrowing backoff runs out.
    let next = Infinity;
    for (const a of arrivals) if (a.atSec > t + EPS && a.atSec < next) next = a.atSec;
    for (const a of live) if (a.endSec > t + EPS && a.endSec < next) next = a.endSec;
    for (const q of queue.values()) {
      const at = preemptedAt.get(q.trialId);
      if (at !== undefined && q.preemptions) next = Math.min(next, at + backoffSec * 2 ** (q.preemptions - 1));
    }
    if (budgetsChange) {
      budgetEventAt = budgetRecovery(t);
      next = Math.min(next, budgetEventAt);
    }
    if (!Number.isFinite(next)) {
      stop = 'no running attempt with a known end frees capacity for it';
      break;
    }
    // Cycles run every `cycle` seconds: a start happens at the first cycle at or after the end.
    // Further ahead, events within `resolution` × t of each other share one cycle (the
    // estimate's error grows with t anyway), which bounds the cycles of a deep queue.
    const step = Math.max(cycle, Math.floor((resolution * next) / cycle) * cycle);
    prevT = t;
    t = Math.max(t + cycle, Math.ceil(next / step - EPS) * step);
  }
  for (const a of arrivals) queue.set(a.run.trialId, a.run);
  for (const q of queue.values()) {
    if (!input.completeArrivals && q.trialId.startsWith(FUTURE_PREFIX)) continue;
    const why = pendingReason.get(q.trialId);
    unknown.set(q.trialId, `${stop ?? 'no start found'}${why ? ` (waits: ${why})` : ''}`);
  }
  return { starts, ends, unknown, cycles, elapsedMs: timer.elapsed() - began };
}

/** The quotas of the tenants of `runs` and of every member of their cohorts. */
function relevantQuotas(all: ReadonlyMap<string, TenantQuota>, runs: readonly { tenant: string }[]): ReadonlyMap<string, TenantQuota> {
  const tenants = new Set(runs.map((r) => r.tenant));
  const cohorts = new Set<string>();
  for (const t of tenants) {
    const c = all.get(t)?.cohort;
    if (c) cohorts.add(c);
  }
  if (tenants.size + cohorts.size === 0) return new Map();
  const out = new Map<string, TenantQuota>();
  for (const [t, q] of all) if (tenants.has(t) || (q.cohort && cohorts.has(q.cohort))) out.set(t, q);
  return out.size === all.size ? all : out;
}

/** An experiment's trials that are not created yet, as compute knows it (from `trial.created`). */
export interface PlannedTrials {
  experimentId: string;
  /** Trials it will still create (its maximum minus those created so far). */
  remaining: number;
  /** Trials created so far, and seconds since the first was created: the observed creation rate. */
  created: number;
  firstCreatedAgoSec: number;
  /** At most this many of its trials queued or running at once (a sweep creates one as another ends). */
  maxParallel?: number | null;
  /** The shape of its next trial (resources, tenant, priority, runtimes): a copy of its latest one. */
  template: QueuedRun;
}

/**
 * Expected arrivals of trials not created yet. A sweep with a known parallelism creates its next
 * trial as soon as one of its trials ends (the experiments service keeps `maxParallel` in flight),
 * so its arrivals are due now and the replay holds each back until a slot of its experiment frees.
 * Without a known parallelism, each experiment keeps creating them at the rate it has so far
 * ((created − 1) / time since its first; one created: one per that time), evenly, the first one
 * interval from now; an experiment that created all so far at once creates the rest now.
 */
export function forecastArrivals(planned: readonly PlannedTrials[]): Arrival[] {
  const out: Arrival[] = [];
  for (const p of planned) {
    // Poisson rate observed from its first creation on: (n − 1) more arrivals in that window.
    const interval = p.maxParallel != null ? 0 : Math.max(p.firstCreatedAgoSec, 0) / Math.max(p.created - 1, 1);
    for (let k = 1; k <= p.remaining; k++) {
      out.push({ atSec: interval * k, experimentId: p.experimentId, maxParallel: p.maxParallel ?? null, run: { ...p.template, trialId: `${FUTURE_PREFIX}${p.experimentId}:${k}`, trialIndex: p.template.trialIndex + k, preempting: false, preemptions: 0 } });
    }
  }
  return out;
}

/** Trial ids of forecast arrivals start with this (they are not real trials). */
export const FUTURE_PREFIX = 'future:';
