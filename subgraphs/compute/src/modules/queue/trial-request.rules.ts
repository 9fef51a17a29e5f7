import { GPU_TYPE_PATTERN, GPU_TYPE_RULE, MAX_GPU_TYPES } from '@fairsweep/sdk';
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
  const gpuTypeError = gpuTypeProblem(r.gpuType);
  if (gpuTypeError) return `invalid request: resources.gpuType ${gpuTypeError}`;
  if (!Array.isArray(t.command) || t.command.length === 0 || t.command.some((a) => typeof a !== 'string')) {
    return 'invalid request: command must be a non-empty list of strings';
  }
  return null;
}

/** What is wrong with a request's gpuType (a GPU type, or a list of 1-8 different ones), or null. */
function gpuTypeProblem(gpuType: unknown): string | null {
  if (gpuType === undefined || gpuType === null) return null;
  const valid = (t: unknown) => typeof t === 'string' && GPU_TYPE.test(t);
  if (!Array.isArray(gpuType)) return valid(gpuType) ? null : `must be a GPU type (${GPU_TYPE_RULE}), got ${JSON.stringify(gpuType)}`;
  if (gpuType.length === 0 || gpuType.length > MAX_GPU_TYPES) return `must list 1-${MAX_GPU_TYPES} GPU types, got ${gpuType.length}`;
  const bad = gpuType.findIndex((t) => !valid(t));
  if (bad >= 0) return `[${bad}] must be a GPU type (${GPU_TYPE_RULE}), got ${JSON.stringify(gpuType[bad])}`;
  const repeated = gpuType.findIndex((t, i) => gpuType.indexOf(t) !== i);
  return repeated >= 0 ? `lists ${JSON.stringify(gpuType[repeated])} twice` : null;
}
