/**
 * ETAs that account for run-time spread (pure). The replay (replay.ts) gives every attempt its
 * expected run time, so when several attempts hold the capacity a queued trial waits for, it
 * predicts that the first of them ends at the expected time — but with spread, the first of
 * several ends earlier than expected on average (an order statistic), and so the replay is late
 * for the trials at the head of a queue. Here the replay runs again in a few sampled worlds, each
 * run time drawn around its expectation from the run-time ratios compute observed
 * (`runtimeSpread`), and each trial's estimate is the median of its sampled starts. The samples
 * are seeded: the same state gives the same estimate.
 *
 * Bounded like the replay: the deterministic replay runs first; the samples share what is left of
 * `maxMs` (at most `samplesMs`), and are skipped when too little is left for three of them (the
 * deterministic estimate stands).
 */
import { replaySteps, runToEnd, wallClock, type ReplayClock, type ReplayInput, type ReplayResult } from './replay.js';

/** Draws an actual/expected run-time ratio (mean 1) for a trial of `experimentId`. */
export type RatioSampler = (experimentId: string | undefined, random: () => number) => number;

/** Sampled worlds per estimate in production (eta.reader.ts) and in the benchmark. */
export const ETA_SAMPLES = 8;

/** Spread assumed when no experiment has finished enough trials to show its own. */
export const DEFAULT_RUNTIME_CV = 0.25;
/** An experiment shows its own spread from this many successes on; below, the pooled ratios stand in. */
const OWN_SPREAD_FROM = 8;
const POOLED_FROM = 3;

/**
 * Run-time ratios from observed durations of succeeded attempts, per experiment: an experiment with
 * enough successes draws from its own ratios (duration / its mean), one with fewer from all
 * experiments' ratios pooled, and without any a lognormal of coefficient of variation `defaultCv`.
 */
export function runtimeSpread(observedSec: ReadonlyMap<string, readonly number[]>, defaultCv = DEFAULT_RUNTIME_CV): RatioSampler {
  const own = new Map<string, number[]>();
  const pooled: number[] = [];
  for (const [experimentId, secs] of observedSec) {
    const xs = secs.filter((x) => Number.isFinite(x) && x > 0);
    if (xs.length === 0) continue;
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const ratios = xs.map((x) => x / mean);
    pooled.push(...ratios);
    if (ratios.length >= OWN_SPREAD_FROM) own.set(experimentId, ratios);
  }
  const s2 = Math.log(1 + defaultCv * defaultCv);
  return (experimentId, random) => {
    const xs = (experimentId !== undefined ? own.get(experimentId) : undefined) ?? (pooled.length >= POOLED_FROM ? pooled : null);
    if (xs) return xs[Math.floor(random() * xs.length)]!;
    // Box-Muller: a standard normal from two uniforms, then a lognormal of mean 1.
    const u = 1 - random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.exp(Math.sqrt(s2) * z - s2 / 2);
  };
}

/** A seeded uniform [0, 1) generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampledReplayOptions {
  /** Sampled worlds besides the deterministic one (fewer when the time bound leaves too little). */
  samples: number;
  ratio: RatioSampler;
  seed?: number;
  /** Computing time the sampled worlds may take together (within the input's `maxMs`); absent: what `maxMs` leaves. */
  samplesMs?: number;
}

export interface SampledReplayResult extends ReplayResult {
  /** How many sampled worlds the estimate is the median of (0: the deterministic replay alone). */
  samples: number;
}

/** The input with every run time drawn around its expectation. */
function jitter(input: ReplayInput, ratio: RatioSampler, random: () => number): ReplayInput {
  const experimentOf = input.experimentOf;
  const draw = (sec: number | null | undefined, experimentId: string | undefined) => (sec == null ? sec : sec * ratio(experimentId, random));
  return {
    ...input,
    queue: input.queue.map((q) => ({ ...q, expectedRuntimeSec: draw(q.expectedRuntimeSec, experimentOf?.get(q.trialId)) })),
    arrivals: input.arrivals?.map((a) => ({ ...a, run: { ...a.run, expectedRuntimeSec: draw(a.run.expectedRuntimeSec, a.experimentId) } })),
    allocations: input.allocations.map((a) => {
      const ran = a.runtimeSec ?? 0;
      if (!Number.isFinite(a.endSec)) return a;
      // A running attempt: its total run time drawn around the expected one, given it has run `ran` already.
      const expected = ran + a.endSec;
      const experimentId = a.trialId !== undefined ? experimentOf?.get(a.trialId) : undefined;
      for (let i = 0; i < 16; i++) {
        let total = expected * ratio(experimentId, random);
        if (a.maxRuntimeSeconds != null) total = Math.min(total, a.maxRuntimeSeconds);
        if (total > ran) return { ...a, endSec: total - ran };
      }
      return a;
    }),
  };
}

function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  return xs[Math.floor((xs.length - 1) / 2)]!;
}

/** replayStarts, with each estimate the median over sampled worlds (see the module comment). */
export function sampledReplayStarts(input: ReplayInput, o: SampledReplayOptions): SampledReplayResult {
  return runToEnd(sampledReplaySteps(input, o, wallClock()));
}

/** sampledReplayStarts as resumable steps (replay.ts: replaySteps), on `clock`'s time. */
export function* sampledReplaySteps(input: ReplayInput, o: SampledReplayOptions, clock: ReplayClock): Generator<void, SampledReplayResult, void> {
  const began = clock.elapsed();
  const budget = input.maxMs ?? 250;
  const base = yield* replaySteps(input, clock);
  const left = Math.min(budget - base.elapsedMs, o.samplesMs ?? Infinity);
  // Skip the samples when the replay alone hit its bound, or when too little time is left for three of them.
  const affordable = Number.isFinite(left) ? Math.floor(left / Math.max(base.elapsedMs, 1)) : o.samples;
  const k = Math.min(o.samples, affordable);
  if (k < 3 || [...base.unknown.values()].some((why) => why.startsWith('estimate stopped'))) return { ...base, samples: 0 };
  const random = seededRandom(o.seed ?? 1);
  const worlds: ReplayResult[] = [];
  for (let i = 0; i < k; i++) {
    const spent = clock.elapsed() - began;
    worlds.push(yield* replaySteps({ ...jitter(input, o.ratio, random), maxMs: Number.isFinite(left) ? Math.max(left - (spent - base.elapsedMs), 0) / (k - i) : Infinity }, clock));
  }
  const merge = (pick: (r: ReplayResult) => Map<string, number>): Map<string, number> => {
    const all = new Map<string, number[]>();
    for (const w of worlds) for (const [id, sec] of pick(w)) all.set(id, [...(all.get(id) ?? []), sec]);
    const out = new Map(pick(base));
    for (const [id, xs] of all) if (xs.length * 2 > k) out.set(id, median(xs));
    return out;
  };
  const starts = merge((r) => r.starts);
  const unknown = new Map([...base.unknown].filter(([id]) => !starts.has(id)));
  return {
    starts, ends: merge((r) => r.ends), unknown, samples: k,
    cycles: base.cycles + worlds.reduce((s, w) => s + w.cycles, 0), elapsedMs: clock.elapsed() - began,
  };
}
