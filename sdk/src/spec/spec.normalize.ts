import { randomBytes } from 'node:crypto';
import { normalizeDeadline } from './spec.budget.js';
import { normalizeCondition } from './spec.conditions.js';
import { SpecError } from './spec.error.js';
import type { ExperimentSpec, ParameterSpec, SearchSpace } from './spec.types.js';
import { validateSpec } from './spec.validate.js';

export interface NormalizeOptions {
  /** Picks the experiment seed when the document has none (default: 4 bytes from node:crypto). */
  seed?: () => number;
}

const DEFAULT_MAX_PARALLEL = 4;

/**
 * Validates a spec document and returns it with every default made explicit. Throws SpecError
 * listing every issue. The result is itself a valid document, and normalising it again is a no-op.
 */
export function normalizeSpec(value: unknown, opts: NormalizeOptions = {}): ExperimentSpec {
  const issues = validateSpec(value);
  if (issues.length > 0) throw new SpecError(issues);
  // Validated: the casts below only restate what the schema guarantees.
  const doc = value as Record<string, never>;
  const objective = doc.objective as ExperimentSpec['objective'];
  const budget = doc.budget as { maxTrials: number; maxParallel?: number; gpuHours?: number; deadline?: string };
  const trial = doc.trial as Record<string, never>;
  const resources = (trial.resources ?? {}) as Partial<ExperimentSpec['trial']['resources']>;
  const command = trial.command as string | string[];
  return {
    apiVersion: 'fairsweep/v1',
    kind: 'Experiment',
    name: doc.name,
    description: doc.description ?? '',
    project: doc.project ?? null,
    seed: doc.seed ?? pickSeed(opts.seed),
    searchSpace: normalizeSpace(doc.searchSpace),
    objective: { metric: objective.metric, direction: objective.direction },
    strategy: normalizeStrategy(doc.strategy),
    ...(doc.pruner === undefined ? {} : { pruner: normalizePlugin(doc.pruner) }),
    budget: {
      maxTrials: budget.maxTrials,
      maxParallel: budget.maxParallel ?? Math.min(budget.maxTrials, DEFAULT_MAX_PARALLEL),
      // Optional and off unless given: left out, not null, so specs without them keep their hash.
      ...(budget.gpuHours === undefined ? {} : { gpuHours: budget.gpuHours }),
      ...(budget.deadline === undefined ? {} : { deadline: normalizeDeadline(budget.deadline) }),
    },
    priority: (doc.priority as ExperimentSpec['priority'] | undefined) ?? 'standard',
    trial: {
      command: typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command],
      env: { ...((trial.env ?? {}) as Record<string, string>) },
      resources: {
        cpus: resources.cpus ?? 1,
        gpus: resources.gpus ?? 0,
        memoryMb: resources.memoryMb ?? 512,
        // Left out when absent, so specs without it keep their hash.
        // A list of one type means that type: the same spec, the same hash.
        ...(resources.gpuType === undefined ? {} : { gpuType: normalizeGpuType(resources.gpuType) }),
      },
      executor: trial.executor ?? 'local',
      maxRuntimeSeconds: trial.maxRuntimeSeconds ?? null,
    },
  };
}

function normalizeGpuType(gpuType: string | string[]): string | string[] {
  return Array.isArray(gpuType) ? (gpuType.length === 1 ? gpuType[0]! : [...gpuType]) : gpuType;
}

function normalizeSpace(space: Record<string, ParameterSpec>): SearchSpace {
  const out: SearchSpace = {};
  for (const [name, p] of Object.entries(space)) {
    // `when` is left out for an always-active parameter, so unconditional spaces keep their hash.
    const when = p.when === undefined ? {} : { when: normalizeCondition(space as never, p.when) };
    if (p.type === 'float') out[name] = { type: 'float', low: p.low, high: p.high, log: p.log ?? false, ...when };
    else if (p.type === 'int') out[name] = { type: 'int', low: p.low, high: p.high, step: p.step ?? 1, log: p.log ?? false, ...when };
    else out[name] = { type: 'categorical', choices: [...p.choices], ...when };
  }
  return out;
}

function normalizeStrategy(strategy: unknown): ExperimentSpec['strategy'] {
  if (strategy === undefined) return { name: 'random', options: {} };
  return normalizePlugin(strategy);
}

/** A plugin reference (strategy or pruner): a name, or a mapping with name and options. */
function normalizePlugin(plugin: unknown): { name: string; options: Record<string, unknown> } {
  if (typeof plugin === 'string') return { name: plugin, options: {} };
  const { name, options } = plugin as { name: string; options?: Record<string, unknown> };
  return { name, options: options === undefined ? {} : (cloneJson(options) as Record<string, unknown>) };
}

/**
 * A deep copy of validated JSON data. Not structuredClone: that keeps the realm of its caller's
 * global (under jest, objects whose prototype is not this realm's Object.prototype, which then
 * fail validation), while this keeps every own key, `__proto__` included, as plain data.
 */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneJson(item)]));
  }
  return value;
}

function pickSeed(seed: (() => number) | undefined): number {
  const value = seed ? seed() : randomBytes(4).readUInt32BE(0);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`normalizeSpec: the seed picker returned ${value}; a seed must be an integer in 0..4294967295`);
  }
  return value;
}
