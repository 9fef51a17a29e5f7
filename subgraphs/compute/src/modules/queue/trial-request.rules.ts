import type { TrialCreated } from '@fairsweep/service-kit';

/** Why a `trial.created` payload cannot be run at all (malformed), or null. */
export function requestValidationError(t: TrialCreated): string | null {
  const r = t.resources as Partial<TrialCreated['resources']> | undefined;
  if (!r) return 'invalid request: resources are missing';
  if (typeof r.cpus !== 'number' || !Number.isFinite(r.cpus) || r.cpus < 0) return `invalid request: resources.cpus must be a number >= 0, got ${String(r.cpus)}`;
  for (const k of ['gpus', 'memoryMb'] as const) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `invalid request: resources.${k} must be an integer >= 0, got ${String(v)}`;
  }
  if (!Array.isArray(t.command) || t.command.length === 0 || t.command.some((a) => typeof a !== 'string')) {
    return 'invalid request: command must be a non-empty list of strings';
  }
  return null;
}
