import { errors } from '@fairsweep/service-kit';

export interface QuotaLimits {
  cpus: number;
  gpus: number;
  memoryMb: number;
  concurrentTrials: number;
}

/** Checks a quota before it becomes a policy version; the error names the field and the rule. */
export function validateQuota(q: QuotaLimits, field = 'quota'): QuotaLimits {
  if (!Number.isFinite(q.cpus) || q.cpus < 0) throw errors.invalidInput(`${field}.cpus`, `must be a number >= 0, got ${q.cpus}`);
  for (const key of ['gpus', 'memoryMb', 'concurrentTrials'] as const) {
    if (!Number.isInteger(q[key]) || q[key] < 0) throw errors.invalidInput(`${field}.${key}`, `must be an integer >= 0, got ${q[key]}`);
  }
  return { cpus: q.cpus, gpus: q.gpus, memoryMb: q.memoryMb, concurrentTrials: q.concurrentTrials };
}

const SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export function validateSlug(field: string, slug: string): string {
  if (!SLUG.test(slug)) {
    throw errors.invalidInput(field, `"${slug}" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter`);
  }
  return slug;
}
