import { errors } from '@fairsweep/service-kit';
import { GPU_TYPE_PATTERN, GPU_TYPE_RULE, PRIORITY_CLASSES } from '@fairsweep/sdk';
import type { GpuFlavorLimit, ResourceLimit } from './quota-version.entity.js';

export interface QuotaLimits {
  cpus: number;
  gpus: number;
  memoryMb: number;
  concurrentTrials: number;
  weight: number;
  priorityClasses: string[];
  gpuHoursBudget: number | null;
  budgetPeriod: string;
  budgetHalfLifeHours: number | null;
  budgetSafeMode: boolean;
  cohort: string | null;
  borrowingLimit: ResourceLimit | null;
  lendingLimit: ResourceLimit | null;
  /** Unused nominal kept unlent above current use, per resource; null = none (lends all unused nominal). */
  lendingHeadroom: ResourceLimit | null;
  /** Artifact store bytes; null = no limit. */
  storageBytes: number | null;
  /** Per-flavor GPU quotas inside `gpus` (nominal; cap unless a borrowing limit); null = any flavor. */
  gpuFlavors: GpuFlavorLimit[] | null;
}

type Defaulted = 'weight' | 'priorityClasses' | 'gpuHoursBudget' | 'budgetPeriod' | 'budgetHalfLifeHours' | 'budgetSafeMode' | 'cohort' | 'borrowingLimit' | 'lendingLimit' | 'lendingHeadroom' | 'storageBytes' | 'gpuFlavors';
export type LimitInput = { cpus?: number | null; gpus?: number | null; memoryMb?: number | null };
type GpuFlavorInput = { flavor: string; gpus: number; borrowingLimit?: number | null; lendingLimit?: number | null };
export type QuotaInputShape = Omit<QuotaLimits, Defaulted> & { [K in Exclude<Defaulted, 'borrowingLimit' | 'lendingLimit' | 'lendingHeadroom' | 'gpuFlavors'>]?: QuotaLimits[K] | null } & {
  borrowingLimit?: LimitInput | null;
  lendingLimit?: LimitInput | null;
  lendingHeadroom?: LimitInput | null;
  gpuFlavors?: GpuFlavorInput[] | null;
};

/**
 * How a GPU-hour budget counts consumption: day, week or month reset at the start of each UTC
 * period; decay (Slurm's usage decay) weighs each GPU-hour by 2^(−age / budgetHalfLifeHours), so
 * the budget caps recent use and recovers continuously instead of resetting.
 */
export const BUDGET_PERIODS = ['day', 'week', 'month', 'decay'];

/** The half-life of a decay budget when none is given: one week. */
export const DEFAULT_BUDGET_HALF_LIFE_HOURS = 168;
/** The longest half-life accepted: one year (beyond that a decay budget is a lifetime budget). */
export const MAX_BUDGET_HALF_LIFE_HOURS = 8760;

export const DEFAULT_PRIORITY_CLASSES = ['standard', 'preemptible'];

/** Checks a quota before it becomes a policy version; the error names the field and the rule. */
export function validateQuota(q: QuotaInputShape, field = 'quota'): QuotaLimits {
  if (!Number.isFinite(q.cpus) || q.cpus < 0) throw errors.invalidInput(`${field}.cpus`, `must be a number >= 0, got ${q.cpus}`);
  for (const key of ['gpus', 'memoryMb', 'concurrentTrials'] as const) {
    if (!Number.isInteger(q[key]) || q[key] < 0) throw errors.invalidInput(`${field}.${key}`, `must be an integer >= 0, got ${q[key]}`);
  }
  const weight = q.weight ?? 1;
  if (!Number.isFinite(weight) || weight <= 0) throw errors.invalidInput(`${field}.weight`, `must be a number > 0, got ${weight}`);
  const classes = q.priorityClasses ?? DEFAULT_PRIORITY_CLASSES;
  if (classes.length === 0) throw errors.invalidInput(`${field}.priorityClasses`, `must list at least one of ${PRIORITY_CLASSES.join(', ')}`);
  for (const c of classes) {
    if (!(PRIORITY_CLASSES as readonly string[]).includes(c)) {
      throw errors.invalidInput(`${field}.priorityClasses`, `"${c}" is not a priority class; allowed: ${PRIORITY_CLASSES.join(', ')}`);
    }
  }
  const priorityClasses = PRIORITY_CLASSES.filter((c) => classes.includes(c));
  const { gpuHoursBudget, budgetPeriod, budgetHalfLifeHours, budgetSafeMode } = validateBudget(q, field);
  const cohort = q.cohort ?? null;
  if (cohort !== null) validateSlug(`${field}.cohort`, cohort);
  const storageBytes = q.storageBytes ?? null;
  if (storageBytes !== null && (!Number.isSafeInteger(storageBytes) || storageBytes < 0)) {
    throw errors.invalidInput(`${field}.storageBytes`, `must be an integer number of bytes >= 0 and <= ${Number.MAX_SAFE_INTEGER} (or null for no limit), got ${storageBytes}`);
  }
  return {
    cpus: q.cpus, gpus: q.gpus, memoryMb: q.memoryMb, concurrentTrials: q.concurrentTrials, weight, priorityClasses,
    gpuHoursBudget, budgetPeriod, budgetHalfLifeHours, budgetSafeMode, cohort,
    borrowingLimit: resourceLimit(q.borrowingLimit ?? null, `${field}.borrowingLimit`),
    lendingLimit: resourceLimit(q.lendingLimit ?? null, `${field}.lendingLimit`),
    lendingHeadroom: lendingHeadroom(q, cohort, field),
    storageBytes,
    gpuFlavors: gpuFlavorLimits(q.gpuFlavors ?? null, `${field}.gpuFlavors`, cohort),
  };
}

/**
 * Checks the lending headroom: amounts like a limit's, each within the nominal quota of its
 * resource (headroom is nominal kept unlent), and only for a cohort member (nothing is lent
 * otherwise). All zeros or empty is the same as none (null).
 */
function lendingHeadroom(q: QuotaInputShape, cohort: string | null, field: string): ResourceLimit | null {
  const headroom = headroomAmounts(q.lendingHeadroom ?? null, `${field}.lendingHeadroom`);
  if (headroom === null) return null;
  if (cohort === null) {
    throw errors.invalidInput(`${field}.lendingHeadroom`, 'applies only to a cohort member (cohort is null: the tenant lends nothing); set cohort or omit lendingHeadroom');
  }
  for (const k of ['cpus', 'gpus', 'memoryMb'] as const) {
    const v = headroom[k];
    if (v !== undefined && v > q[k]) {
      throw errors.invalidInput(`${field}.lendingHeadroom.${k}`, `${v} exceeds the nominal ${k} (${q[k]}): headroom is nominal quota kept unlent, at most ${q[k]}`);
    }
  }
  return headroom;
}

const GPU_TYPE = new RegExp(GPU_TYPE_PATTERN);

/**
 * Checks per-flavor GPU quotas: valid flavor names (the pool deviceType charset), each flavor once,
 * gpus an integer >= 0; a borrowing or lending limit an integer >= 0, only for a cohort member,
 * and a lending limit at most the flavor's gpus. Each error names the entry. An empty list is the
 * same as none (null); a limit of null is left out, and a borrowing limit of 0 too (no borrowing).
 */
export function gpuFlavorLimits(
  list: readonly GpuFlavorInput[] | null,
  field: string,
  cohort: string | null = null,
): GpuFlavorLimit[] | null {
  if (list === null || list.length === 0) return null;
  const seen = new Map<string, number>();
  return list.map(({ flavor, gpus, borrowingLimit, lendingLimit }, i) => {
    const at = `${field}[${i}]`;
    if (typeof flavor !== 'string' || !GPU_TYPE.test(flavor)) {
      throw errors.invalidInput(`${at}.flavor`, `"${flavor}" is not a GPU flavor: use ${GPU_TYPE_RULE} (the deviceType a pool declares, e.g. h100)`);
    }
    const first = seen.get(flavor);
    if (first !== undefined) throw errors.invalidInput(`${at}.flavor`, `"${flavor}" is listed twice (also at ${field}[${first}]); list each flavor once`);
    seen.set(flavor, i);
    if (!Number.isInteger(gpus) || gpus < 0) throw errors.invalidInput(`${at}.gpus`, `must be an integer >= 0 (GPUs of flavor ${flavor}), got ${gpus}`);
    const entry: GpuFlavorLimit = { flavor, gpus };
    for (const [key, v] of [['borrowingLimit', borrowingLimit], ['lendingLimit', lendingLimit]] as const) {
      if (v === undefined || v === null) continue;
      if (!Number.isInteger(v) || v < 0) throw errors.invalidInput(`${at}.${key}`, `must be an integer >= 0 (GPUs of flavor ${flavor}) or null, got ${v}`);
      if (cohort === null) {
        throw errors.invalidInput(`${at}.${key}`, `applies only to a cohort member (cohort is null: the tenant neither borrows nor lends); set cohort or omit ${key}`);
      }
      if (key === 'lendingLimit' && v > gpus) {
        throw errors.invalidInput(`${at}.lendingLimit`, `${v} exceeds the flavor's nominal gpus (${gpus}): a member lends only its unused nominal, at most ${gpus}`);
      }
      if (key === 'borrowingLimit' && v === 0) continue;
      entry[key] = v;
    }
    return entry;
  });
}

/** A GPU-hour budget per UTC period, with safe mode: the same rules for tenants and projects. */
export interface BudgetPolicy {
  /** GPU-hours per period; null = no budget. */
  gpuHoursBudget: number | null;
  /** day, week or month (UTC; the budget resets at the start of each), or decay. */
  budgetPeriod: string;
  /** decay only: hours after which a consumed GPU-hour counts half; null for reset periods. */
  budgetHalfLifeHours: number | null;
  /** Admit a GPU trial only if its maximum runtime fits in what is left of the budget. */
  budgetSafeMode: boolean;
}

export type BudgetInput = { [K in keyof BudgetPolicy]?: BudgetPolicy[K] | null };

/**
 * Checks a GPU-hour budget (defaults: no budget, month, safe mode); the error names the field, the
 * value and what is allowed.
 */
export function validateBudget(q: BudgetInput, field = 'quota'): BudgetPolicy {
  const gpuHoursBudget = q.gpuHoursBudget ?? null;
  if (gpuHoursBudget !== null && (!Number.isFinite(gpuHoursBudget) || gpuHoursBudget < 0)) {
    throw errors.invalidInput(`${field}.gpuHoursBudget`, `must be a number >= 0 (or null for no budget), got ${gpuHoursBudget}`);
  }
  const budgetPeriod = q.budgetPeriod ?? 'month';
  if (!BUDGET_PERIODS.includes(budgetPeriod)) throw errors.invalidInput(`${field}.budgetPeriod`, `"${budgetPeriod}" is not one of ${BUDGET_PERIODS.join(', ')}`);
  let budgetHalfLifeHours = q.budgetHalfLifeHours ?? null;
  if (budgetPeriod === 'decay') {
    budgetHalfLifeHours ??= DEFAULT_BUDGET_HALF_LIFE_HOURS;
    if (!Number.isFinite(budgetHalfLifeHours) || budgetHalfLifeHours <= 0 || budgetHalfLifeHours > MAX_BUDGET_HALF_LIFE_HOURS) {
      throw errors.invalidInput(`${field}.budgetHalfLifeHours`, `must be a number of hours > 0 and <= ${MAX_BUDGET_HALF_LIFE_HOURS}, got ${budgetHalfLifeHours}`);
    }
  } else if (budgetHalfLifeHours !== null) {
    throw errors.invalidInput(`${field}.budgetHalfLifeHours`, `applies only when budgetPeriod is "decay" (budgetPeriod is "${budgetPeriod}"); omit it or set budgetPeriod: "decay"`);
  }
  return { gpuHoursBudget, budgetPeriod, budgetHalfLifeHours, budgetSafeMode: q.budgetSafeMode ?? true };
}

/**
 * Checks a lending headroom's amounts (a tenant's or a cohort's): each like a limit's (>= 0, GPUs and
 * memory whole numbers). Empty, all null or all zeros is the same as none (null).
 */
export function headroomAmounts(limit: LimitInput | null, field: string): ResourceLimit | null {
  const headroom = resourceLimit(limit, field, 'no headroom');
  return headroom === null || Object.values(headroom).every((v) => v === 0) ? null : headroom;
}

function resourceLimit(limit: LimitInput | null, field: string, nullMeans = 'no limit'): ResourceLimit | null {
  if (limit === null) return null;
  const out: ResourceLimit = {};
  for (const k of ['cpus', 'gpus', 'memoryMb'] as const) {
    const v = limit[k];
    if (v === undefined || v === null) continue;
    if (!Number.isFinite(v) || v < 0 || (k !== 'cpus' && !Number.isInteger(v))) {
      throw errors.invalidInput(`${field}.${k}`, `must be ${k === 'cpus' ? 'a number' : 'an integer'} >= 0 (or null for ${nullMeans}), got ${v}`);
    }
    out[k] = v;
  }
  return out;
}

const SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export function validateSlug(field: string, slug: string): string {
  if (!SLUG.test(slug)) {
    throw errors.invalidInput(field, `"${slug}" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter`);
  }
  return slug;
}
