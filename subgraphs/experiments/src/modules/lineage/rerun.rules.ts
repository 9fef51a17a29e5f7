/**
 * What a rerun may change, and what it changed. A rerun keeps its parent's spec, seed and so its
 * suggestions; the only override is the executor (`rerun --executor X`). The record stores no
 * separate override: the override *is* the difference between the child's spec and its parent's,
 * both immutable records (docs/reproducibility.md, "Rerun"), so it can never drift from what ran.
 */

/** Executors every deployment has. */
export const BUILT_IN_EXECUTORS = ['local'];

/**
 * The executors a spec may name: the built-in ones, those listed in FAIRSWEEP_EXECUTORS (comma
 * separated, for executors no running pool has registered yet), the one FAIRSWEEP_EXECUTOR selects
 * (the all-in-one platform's pool) and those the registered pools run (`registered`, from
 * compute's pool.registered events: registered-pools.consumer.ts).
 */
export function installedExecutors(env: NodeJS.ProcessEnv = process.env, registered: readonly string[] = []): string[] {
  const listed = (env.FAIRSWEEP_EXECUTORS ?? '').split(',');
  const selected = env.FAIRSWEEP_EXECUTOR ?? '';
  return [...new Set([...BUILT_IN_EXECUTORS, ...listed, selected, ...registered].map((n) => n.trim()).filter((n) => n !== ''))];
}

export interface RerunOverrides {
  /** Runs the child's trials on this executor instead of the parent's `trial.executor`. */
  executor?: string | null;
}

export type RerunProblem = { field: string; message: string };

/** Why an override cannot be used, or null. */
export function rerunOverrideProblem(overrides: RerunOverrides, installed: string[]): RerunProblem | null {
  const { executor } = overrides;
  if (executor === undefined || executor === null) return null;
  if (typeof executor !== 'string' || executor.trim() === '') return { field: 'executor', message: 'must be the name of an installed executor, got an empty name' };
  if (!installed.includes(executor)) {
    return { field: 'executor', message: `"${executor}" is not an installed executor; installed: ${installed.join(', ')}` };
  }
  return null;
}

/** The child's spec: the parent's, with the overrides applied (the parent's object is not changed). */
export function rerunSpec<S extends { trial: { executor: string } }>(parentSpec: S, overrides: RerunOverrides): S {
  const spec = structuredClone(parentSpec);
  if (overrides.executor) spec.trial.executor = overrides.executor;
  return spec;
}

export interface SpecOverride {
  /** Dotted path in the spec, e.g. `trial.executor`. */
  path: string;
  parent: unknown;
  child: unknown;
}

/**
 * The differences of a rerun's spec from its parent's, by path, sorted: what the rerun overrode.
 * Objects are compared key by key; arrays and scalars as whole values. `[]` for a plain rerun.
 */
export function specOverrides(parentSpec: unknown, childSpec: unknown, path = ''): SpecOverride[] {
  if (isObject(parentSpec) && isObject(childSpec)) {
    const keys = [...new Set([...Object.keys(parentSpec), ...Object.keys(childSpec)])].sort();
    return keys.flatMap((k) => specOverrides(parentSpec[k], childSpec[k], path ? `${path}.${k}` : k));
  }
  if (canonical(parentSpec) === canonical(childSpec)) return [];
  return [{ path, parent: parentSpec ?? null, child: childSpec ?? null }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    isObject(value) ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]])) : value) ?? 'undefined';
}
