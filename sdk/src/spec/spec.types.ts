/** A parameter's value as a trial sees it. */
export type ParamValue = number | string | boolean;

/** One configuration: parameter name to value. */
export type ParamValues = Record<string, ParamValue>;

/**
 * When a conditional parameter is active: parent parameter name to the parent values under which
 * it is (every entry must hold, and each parent must itself be active). Values are listed in the
 * parent's order (choice order; ascending for int parents).
 */
export type ParamCondition = Record<string, ParamValue[]>;

/**
 * One dimension of the search space, with every default made explicit. `when` is absent for a
 * parameter that is always active (never written as null or `{}`, so unconditional spaces keep
 * their canonical hash); an inactive parameter is absent from a trial's params.
 */
export type ParameterSpec = (
  | { type: 'float'; low: number; high: number; log: boolean }
  | { type: 'int'; low: number; high: number; step: number; log: boolean }
  | { type: 'categorical'; choices: ParamValue[] }
) & { when?: ParamCondition };

export type SearchSpace = Record<string, ParameterSpec>;

export interface Resources {
  cpus: number;
  gpus: number;
  memoryMb: number;
  /**
   * The GPU type (pool flavor) the trial needs, or the types any of which will do, most preferred
   * first (a list of one is normalised to the string); absent when any pool will do.
   */
  gpuType?: string | string[];
}

export type ObjectiveDirection = 'minimize' | 'maximize';

/** Scheduling priority classes, highest first. */
export const PRIORITY_CLASSES = ['critical', 'standard', 'preemptible'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

/**
 * A normalised experiment spec (`apiVersion: fairsweep/v1`): what `normalizeSpec` returns, with
 * every default made explicit. Its canonical JSON is what `specHash` hashes.
 */
export interface ExperimentSpec {
  apiVersion: 'fairsweep/v1';
  kind: 'Experiment';
  /** 1 to 100 characters. */
  name: string;
  description: string;
  /** Project slug, or null for none. */
  project: string | null;
  /** uint32. Picked at random by `parseSpec` when the file has none, and then recorded here. */
  seed: number;
  searchSpace: SearchSpace;
  objective: { metric: string; direction: ObjectiveDirection };
  strategy: { name: string; options: Record<string, unknown> };
  /**
   * Early stopping (median, asha, hyperband, or a plugin). Absent when the spec has none: optional
   * sections that are off are left out rather than written as null, so specs that do not use a
   * section keep the canonical hash they had before the section existed.
   */
  pruner?: { name: string; options: Record<string, unknown> };
  budget: {
    maxTrials: number;
    maxParallel: number;
    /** GPU-hours the experiment's trials may use (duration × gpus); absent when unlimited. */
    gpuHours?: number;
    /**
     * No new trials after this: an absolute UTC timestamp (`2026-05-01T18:00:00.000Z`) or a duration
     * after submission in seconds (`"5400s"`); absent when none. See `deadlineAt`.
     */
    deadline?: string;
  };
  /** Scheduling class of the trials (default "standard"); a tenant's quota lists the ones it may use. */
  priority: PriorityClass;
  trial: {
    /**
     * argv; a string in the file becomes `['/bin/sh', '-c', string]`. Arguments may hold
     * placeholders (`{lr}`, `{seed}`, `{trial.index}`; other braces literal, `{{`/`}}` for a literal `{name}`) that
     * `renderCommand` fills in per trial.
     */
    command: string[];
    env: Record<string, string>;
    resources: Resources;
    executor: string;
    maxRuntimeSeconds: number | null;
  };
}

export const SPEC_API_VERSION = 'fairsweep/v1';
