/**
 * `compare`: experiments side by side — outcome counts, best result, and trial times scaled to a
 * reference device by the throughput factor each attempt's pool declares, so runs on different
 * hardware can be compared fairly. Pure: no GraphQL, no ORM.
 *
 * Normalisation: a pool declares `throughputFactor` f relative to the reference device (f = 2:
 * twice as fast). An attempt that took t seconds there would have taken t × f on the reference,
 * which is its normalised time. Attempts whose pool declares no factor count as f = 1, and the
 * comparison says how many there were.
 */

export interface CompareAttempt {
  startedAt: Date;
  finishedAt: Date | null;
  deviceType: string | null;
  throughputFactor: number | null;
}

export interface CompareTrial {
  index: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  finishedAt: Date | null;
  attempts: CompareAttempt[];
}

export interface CompareInput {
  id: string;
  name: string;
  /** The normalised spec (canonical JSON shape). */
  spec: Record<string, unknown> & { objective: { metric: string; direction: 'minimize' | 'maximize' } };
  trials: CompareTrial[];
}

export interface DeviceUsage {
  deviceType: string | null;
  throughputFactor: number | null;
  attempts: number;
  seconds: number;
}

export interface ComparedExperiment {
  id: string;
  /** 1 = best objective among the comparable experiments; null when it has no result or is not comparable. */
  rank: number | null;
  trials: { total: number; succeeded: number; failed: number; cancelled: number; pruned: number; unfinished: number };
  bestValue: number | null;
  bestTrialIndex: number | null;
  bestParams: Record<string, unknown> | null;
  medianTrialSeconds: number | null;
  medianNormalizedTrialSeconds: number | null;
  computeSeconds: number;
  normalizedComputeSeconds: number;
  /** Normalised seconds of every attempt that finished no later than the best trial did. */
  normalizedSecondsToBest: number | null;
  devices: DeviceUsage[];
  attemptsWithoutFactor: number;
}

export interface SpecDifference {
  /** Dotted path in the normalised spec, e.g. "strategy.name" or "searchSpace.lr.high". */
  path: string;
  /** One value per experiment, in the order compared; null where the path is absent. */
  values: unknown[];
}

export interface Comparison {
  metric: string;
  direction: 'minimize' | 'maximize';
  /** False when the experiments do not optimise the same metric in the same direction. */
  comparable: boolean;
  notes: string[];
  experiments: ComparedExperiment[];
  specDifferences: SpecDifference[];
}

const seconds = (a: CompareAttempt): number | null =>
  a.finishedAt ? Math.max(0, (a.finishedAt.getTime() - a.startedAt.getTime()) / 1000) : null;
const factor = (a: CompareAttempt): number => a.throughputFactor ?? 1;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

function summarise(input: CompareInput): Omit<ComparedExperiment, 'rank'> {
  const { direction } = input.spec.objective;
  const better = (a: number, b: number) => (direction === 'minimize' ? a < b : a > b);
  const counts = { total: input.trials.length, succeeded: 0, failed: 0, cancelled: 0, pruned: 0, unfinished: 0 };
  let best: CompareTrial | null = null;
  const trialSecs: number[] = [];
  const normTrialSecs: number[] = [];
  const finished: { at: number; norm: number }[] = [];
  const devices = new Map<string, DeviceUsage>();
  let compute = 0;
  let normCompute = 0;
  let withoutFactor = 0;
  for (const t of input.trials) {
    if (t.state === 'succeeded' || t.state === 'failed' || t.state === 'cancelled' || t.state === 'pruned') counts[t.state] += 1;
    else counts.unfinished += 1;
    if (t.state === 'succeeded' && t.value !== null && Number.isFinite(t.value) && (best === null || better(t.value, best.value!))) best = t;
    for (const a of t.attempts) {
      const secs = seconds(a);
      if (secs === null) continue;
      compute += secs;
      normCompute += secs * factor(a);
      if (a.throughputFactor === null) withoutFactor += 1;
      finished.push({ at: a.finishedAt!.getTime(), norm: secs * factor(a) });
      const key = `${a.deviceType ?? ''}|${a.throughputFactor ?? ''}`;
      const d = devices.get(key) ?? { deviceType: a.deviceType, throughputFactor: a.throughputFactor, attempts: 0, seconds: 0 };
      d.attempts += 1;
      d.seconds += secs;
      devices.set(key, d);
    }
    const last = t.attempts[t.attempts.length - 1];
    const lastSecs = last ? seconds(last) : null;
    if (t.state === 'succeeded' && last && lastSecs !== null) {
      trialSecs.push(lastSecs);
      normTrialSecs.push(lastSecs * factor(last));
    }
  }
  const bestAt = best?.finishedAt?.getTime() ?? null;
  const medianRaw = median(trialSecs);
  const medianNorm = median(normTrialSecs);
  return {
    id: input.id,
    trials: counts,
    bestValue: best?.value ?? null,
    bestTrialIndex: best?.index ?? null,
    bestParams: best?.params ?? null,
    medianTrialSeconds: medianRaw === null ? null : round(medianRaw),
    medianNormalizedTrialSeconds: medianNorm === null ? null : round(medianNorm),
    computeSeconds: round(compute),
    normalizedComputeSeconds: round(normCompute),
    normalizedSecondsToBest: bestAt === null ? null : round(finished.filter((f) => f.at <= bestAt).reduce((s, f) => s + f.norm, 0)),
    devices: [...devices.values()]
      .map((d) => ({ ...d, seconds: round(d.seconds) }))
      .sort((a, b) => (a.deviceType ?? '').localeCompare(b.deviceType ?? '') || (a.throughputFactor ?? 1) - (b.throughputFactor ?? 1)),
    attemptsWithoutFactor: withoutFactor,
  };
}

/** Paths (leaves of the normalised specs) whose values are not the same in every experiment. */
export function specDifferences(specs: readonly Record<string, unknown>[]): SpecDifference[] {
  const flat = specs.map((s) => flatten(s, ''));
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const out: SpecDifference[] = [];
  for (const path of paths) {
    const values = flat.map((f) => (f.has(path) ? f.get(path) : null));
    const first = JSON.stringify(values[0]);
    if (values.some((v) => JSON.stringify(v) !== first)) out.push({ path, values });
  }
  return out;
}

function flatten(value: unknown, prefix: string, out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** Compares experiments in the order given. */
export function compareExperiments(inputs: readonly CompareInput[]): Comparison {
  if (inputs.length === 0) throw new Error('compareExperiments needs at least one experiment');
  const { metric, direction } = inputs[0]!.spec.objective;
  const notes: string[] = [];
  const mismatched = inputs.filter((i) => i.spec.objective.metric !== metric || i.spec.objective.direction !== direction);
  const comparable = mismatched.length === 0;
  if (!comparable) {
    notes.push(`not ranked: objectives differ (${inputs.map((i) => `${i.name}: ${i.spec.objective.direction} ${i.spec.objective.metric}`).join('; ')})`);
  }
  const summaries = inputs.map(summarise);
  const withoutFactor = summaries.reduce((s, x) => s + x.attemptsWithoutFactor, 0);
  if (withoutFactor > 0) notes.push(`${withoutFactor} attempt(s) ran on pools that declare no throughput factor; their times count at factor 1`);
  const ranked = comparable
    ? summaries.filter((s) => s.bestValue !== null).sort((a, b) => (direction === 'minimize' ? a.bestValue! - b.bestValue! : b.bestValue! - a.bestValue!))
    : [];
  const rankOf = new Map<string, number>();
  ranked.forEach((s, i) => {
    // Ties share a rank.
    const prev = ranked[i - 1];
    rankOf.set(s.id, prev && prev.bestValue === s.bestValue ? rankOf.get(prev.id)! : i + 1);
  });
  return {
    metric,
    direction,
    comparable,
    notes,
    experiments: summaries.map((s) => ({ ...s, rank: rankOf.get(s.id) ?? null })),
    specDifferences: specDifferences(inputs.map((i) => i.spec)),
  };
}
