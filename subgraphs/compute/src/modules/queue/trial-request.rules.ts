import { GPU_TYPE_PATTERN, GPU_TYPE_RULE } from '@fairsweep/sdk';
import type { TrialCreated } from '@fairsweep/service-kit';

const GPU_TYPE = new RegExp(GPU_TYPE_PATTERN);

/** Why a `trial.created` payload cannot be run at all (malformed), or null. */
export function requestValidationError(t: TrialCreated): string | null {
  const r = t.resources as Partial<TrialCreated['resources']> | undefined;
  if (!r) return 'invalid request: resources are missing';
  if (typeof r.cpus !== 'number' || !Number.isFinite(r.cpus) || r.cpus < 0) return `invalid request: resources.cpus must be a number >= 0, got ${String(r.cpus)}`;
  for (const k of ['gpus', 'memoryMb'] as const) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `invalid request: resources.${k} must be an integer >= 0, got ${String(v)}`;
  }
  if (r.gpuType !== undefined && r.gpuType !== null && (typeof r.gpuType !== 'string' || !GPU_TYPE.test(r.gpuType))) {
    return `invalid request: resources.gpuType must be a GPU type (${GPU_TYPE_RULE}), got ${JSON.stringify(r.gpuType)}`;
  }
  if (!Array.isArray(t.command) || t.command.length === 0 || t.command.some((a) => typeof a !== 'string')) {
    return 'invalid request: command must be a non-empty list of strings';
  }
  return null;
}
