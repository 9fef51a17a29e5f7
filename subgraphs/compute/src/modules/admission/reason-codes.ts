/**
 * Machine-readable codes and numbers for the scheduler's reasons. Admission words every wait and
 * refusal for people (`tenant acme quota: cpus 4/4 in use, 1 requested`); a reason is one or more
 * clauses joined by "; ". This catalogue maps each clause the scheduler writes to a code and the
 * numbers in it (which resource, requested, available, in use, limit), so dashboards need not parse
 * text. The catalogue is checked against every reason admission produces over random workloads
 * (admission.property.test.ts): a clause it does not know is a test failure, not an OTHER in
 * production. Plain data and functions: no I/O.
 */

export const REASON_CODES = [
  'POOL_CAPACITY', 'TENANT_QUOTA', 'CONCURRENCY_CAP', 'BORROWING_LIMIT', 'COHORT_LENDING', 'COHORT_HEADROOM', 'FLAVOR_QUOTA',
  'PROJECT_QUOTA', 'PROJECT_GPU_BUDGET', 'GPU_BUDGET', 'BORROW_BACKOFF', 'PREEMPTION_PENDING', 'RESERVED', 'BACKFILL_HELD',
  'ROUTING', 'NO_QUOTA', 'PRIORITY_NOT_ALLOWED', 'NEVER_FITS', 'REQUEUED', 'RETRYING', 'RECLAIMED', 'PREEMPTED_FOR_CRITICAL', 'OTHER',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** One clause of a reason: its code, its text and the numbers it names (absent where it names none). */
export interface ReasonDetail {
  code: ReasonCode;
  text: string;
  /** cpus, gpus, memoryMb, concurrentTrials or gpuHours. */
  resource?: string;
  /** The GPU flavor, for per-flavor quota and borrowing. */
  flavor?: string;
  /** What the trial asks for (for cohort lending: what the cohort would borrow with it). */
  requested?: number;
  /** What is free or left now (for cohort lending: what members lend). */
  available?: number;
  inUse?: number;
  limit?: number;
}

type Groups = Record<string, string | undefined>;
interface Entry {
  code: ReasonCode;
  re: RegExp;
  numbers?: (g: Groups) => Omit<ReasonDetail, 'code' | 'text'>;
}

const N = '(-?[\\d.]+|Infinity)';
const MB = '(?: MB)?';
const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
const round = (n: number) => Math.round(n * 1000) / 1000;
const resource = (g: Groups) => (g.r === undefined ? {} : { resource: g.r });

/** Ordered: the first pattern that matches a clause's start wins. */
const CATALOGUE: Entry[] = [
  { code: 'POOL_CAPACITY', re: new RegExp(`^pool \\S+: (?<r>\\w+) ${N}${MB} free, ${N}${MB} requested`), numbers: (g) => ({ ...resource(g), available: num(g[2]), requested: num(g[3]) }) },
  { code: 'CONCURRENCY_CAP', re: /^tenant \S+ quota: concurrentTrials (\d+)\/(\d+) in use/, numbers: (g) => ({ resource: 'concurrentTrials', inUse: num(g[1]), limit: num(g[2]), requested: 1 }) },
  { code: 'FLAVOR_QUOTA', re: new RegExp(`^tenant \\S+ quota: gpus of flavor (?<f>\\S+) ${N}/${N} in use, ${N} requested`), numbers: (g) => ({ resource: 'gpus', flavor: g.f, inUse: num(g[2]), limit: num(g[3]), requested: num(g[4]) }) },
  { code: 'FLAVOR_QUOTA', re: /^tenant \S+ quota: no GPUs of / },
  { code: 'FLAVOR_QUOTA', re: /^GPU types? .* (?:is|are) not in tenant \S+'s quota/ },
  { code: 'TENANT_QUOTA', re: new RegExp(`^tenant \\S+ quota: (?<r>\\w+) ${N}/${N}${MB} in use, ${N}${MB} requested`), numbers: (g) => ({ ...resource(g), inUse: num(g[2]), limit: num(g[3]), requested: num(g[4]) }) },
  { code: 'BORROWING_LIMIT', re: new RegExp(`^tenant \\S+ borrowing limit: gpus of flavor (?<f>\\S+) ${N}/${N} in use \\(nominal ${N}\\), ${N} requested`), numbers: (g) => ({ resource: 'gpus', flavor: g.f, inUse: num(g[2]), limit: num(g[3]), requested: num(g[5]) }) },
  { code: 'BORROWING_LIMIT', re: new RegExp(`^tenant \\S+ borrowing limit: (?<r>\\w+) ${N}/${N}${MB} in use \\(nominal ${N}\\), ${N}${MB} requested`), numbers: (g) => ({ ...resource(g), inUse: num(g[2]), limit: num(g[3]), requested: num(g[5]) }) },
  { code: 'COHORT_HEADROOM', re: new RegExp(`^cohort \\S+: (?<r>\\w+) ${N}${MB} would be borrowed, members lend ${N}${MB}.*, of which the cohort keeps ${N}${MB} unlent as its lending headroom`), numbers: (g) => ({ ...resource(g), requested: num(g[2]), available: Math.max(0, num(g[3])! - num(g[4])!), limit: num(g[4]) }) },
  { code: 'COHORT_LENDING', re: new RegExp(`^cohort \\S+: gpus of flavor (?<f>\\S+) ${N} would be borrowed, members lend ${N}`), numbers: (g) => ({ resource: 'gpus', flavor: g.f, requested: num(g[2]), available: num(g[3]) }) },
  { code: 'COHORT_LENDING', re: new RegExp(`^cohort \\S+: (?<r>\\w+) ${N}${MB} would be borrowed, members lend ${N}`), numbers: (g) => ({ ...resource(g), requested: num(g[2]), available: num(g[3]) }) },
  { code: 'PROJECT_QUOTA', re: /^project quota: concurrentTrials (\d+)\/(\d+) in use/, numbers: (g) => ({ resource: 'concurrentTrials', inUse: num(g[1]), limit: num(g[2]), requested: 1 }) },
  { code: 'PROJECT_QUOTA', re: new RegExp(`^project quota: (?<r>\\w+) requested ${N}${MB}, project \\S+ has ${N}${MB} of ${N}${MB} left`), numbers: (g) => ({ ...resource(g), requested: num(g[2]), available: num(g[3]), limit: num(g[4]) }) },
  { code: 'PROJECT_QUOTA', re: new RegExp(`^project quota: (?<r>\\w+) requested ${N}${MB}, project \\S+ allows ${N}`), numbers: (g) => ({ ...resource(g), requested: num(g[2]), limit: num(g[3]) }) },
  { code: 'PROJECT_GPU_BUDGET', re: new RegExp(`^PROJECT_GPU_BUDGET_\\w+: .*?requested (?:${N} GPU-hours|unbounded[^,]*), remaining ${N} of ${N}`), numbers: (g) => ({ resource: 'gpuHours', ...(g[1] !== undefined ? { requested: num(g[1]) } : {}), available: num(g[2]), limit: num(g[3]) }) },
  { code: 'GPU_BUDGET', re: new RegExp(`^tenant \\S+ GPU-hour budget: ${N}/${N} used, ${N} committed to running trials, ${N} requested`), numbers: (g) => ({ resource: 'gpuHours', inUse: round(num(g[1])! + num(g[3])!), limit: num(g[2]), requested: num(g[4]) }) },
  { code: 'GPU_BUDGET', re: new RegExp(`^tenant \\S+ GPU-hour budget: ${N}/${N}`), numbers: (g) => ({ resource: 'gpuHours', inUse: num(g[1]), limit: num(g[2]) }) },
  { code: 'GPU_BUDGET', re: new RegExp(`^needs up to ${N} GPU-hours(?:.* budget \\(quota v\\d+\\) is ${N} GPU-hours)?`), numbers: (g) => ({ resource: 'gpuHours', requested: num(g[1]), limit: num(g[2]) }) },
  { code: 'GPU_BUDGET', re: /^tenant \S+ has a GPU-hour budget in safe mode/ },
  { code: 'BORROW_BACKOFF', re: new RegExp(`^preempted \\d+× before: may borrow again in ${N} s`) },
  { code: 'PREEMPTION_PENDING', re: /^waiting for (?:\d+ )?preempted attempt/ },
  { code: 'RESERVED', re: /^(?:start reserved|no start can be reserved|spares the capacity)/ },
  { code: 'BACKFILL_HELD', re: /^held back: would delay the reserved start/ },
  { code: 'ROUTING', re: /^(?:waits for pool .*: no compute replica|no pool offers )/ },
  { code: 'NO_QUOTA', re: /^tenant \S+ has no quota/ },
  { code: 'PRIORITY_NOT_ALLOWED', re: /^priority \S+ is not allowed for tenant/ },
  { code: 'FLAVOR_QUOTA', re: new RegExp(`^requests ${N} gpus of type `), numbers: (g) => ({ resource: 'gpus', requested: num(g[1]) }) },
  { code: 'NEVER_FITS', re: new RegExp(`^requests ${N} (?<r>cpus|gpus|MB memory)(?:; (?:pool \\S+ has|tenant \\S+ quota \\(v\\d+\\) allows) ${N})?`), numbers: (g) => ({ resource: g.r === 'MB memory' ? 'memoryMb' : g.r, requested: num(g[1]), limit: num(g[3]) }) },
  { code: 'REQUEUED', re: /^requeued after / },
  { code: 'RECLAIMED', re: /^preempted: tenant \S+ reclaims its nominal quota/ },
  { code: 'PREEMPTED_FOR_CRITICAL', re: /^preempted: preemptible attempt evicted for critical trial/ },
  { code: 'RETRYING', re: /^waiting to retry: / },
];

/** A clause that continues the one before it (it names no cause of its own). */
const CONTINUATION = /^(?:pool \S+ has |tenant \S+ quota \(v\d+\) allows |without maxRuntimeSeconds|no GPU trial of the project starts|more than the whole budget|waits until|retried as a new attempt|tenant \S+'s quota rules out |tenant \S+ budget \(quota v\d+\) is )/;

/** The clauses of a reason, each with its code and numbers, in order; [] for none. */
export function explainReason(reason: string | null | undefined): ReasonDetail[] {
  if (!reason) return [];
  const out: ReasonDetail[] = [];
  for (const clause of reason.split('; ')) {
    const last = out.at(-1);
    if (last && CONTINUATION.test(clause)) {
      last.text += `; ${clause}`;
      const refined = classify(last.text);
      Object.assign(last, refined.code === last.code ? refined : {});
      continue;
    }
    out.push(classify(clause));
  }
  return out;
}

function classify(text: string): ReasonDetail {
  for (const e of CATALOGUE) {
    const m = e.re.exec(text);
    if (!m) continue;
    // Groups by name and by position (named ones count in the positions too).
    const groups: Groups = { ...(m.groups ?? {}) };
    for (let i = 1; i < m.length; i++) groups[i] = m[i];
    const numbers = e.numbers ? e.numbers(groups) : {};
    return { code: e.code, text, ...Object.fromEntries(Object.entries(numbers).filter(([, v]) => v !== undefined && !(typeof v === 'number' && Number.isNaN(v)))) };
  }
  return { code: 'OTHER', text };
}
