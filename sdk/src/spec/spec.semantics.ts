import { parseDeadline } from './spec.budget.js';
import { commandIssues } from './spec.command.js';
import { conditionIssues } from './spec.conditions.js';
import { joinPath, type SpecIssue } from './spec.error.js';

type Node = Record<string, unknown>;

/**
 * The rules a JSON Schema cannot state: ranges that must be non-empty, log scales that need
 * positive bounds, steps that must divide the range, names that would clash as environment
 * variables, strategy options that must be plain JSON. Runs only on parts that passed the
 * structural check (`structurallyValid` says which).
 */
export function semanticIssues(document: unknown, structurallyValid: (path: string) => boolean): SpecIssue[] {
  if (!isObject(document)) return [];
  const issues: SpecIssue[] = [];
  const space = document.searchSpace;
  if (isObject(space)) {
    const seen = new Map<string, string>();
    for (const [name, spec] of Object.entries(space)) {
      const path = joinPath('searchSpace', name);
      if (!structurallyValid(path)) continue;
      if (name === '__proto__') {
        // Assigning it (`params[name] = value`) would replace an object's prototype, not add a key.
        issues.push({ path, message: 'invalid name "__proto__": reserved, it has a special meaning on JavaScript objects' });
        continue;
      }
      issues.push(...parameterIssues(path, spec as Node));
      const upper = name.toUpperCase();
      const clash = seen.get(upper);
      if (clash !== undefined) {
        issues.push({
          path,
          message: `clashes with parameter "${clash}": names must differ in more than letter case, since both would be passed as FAIRSWEEP_PARAM_${upper}`,
        });
      } else seen.set(upper, name);
    }
    const skip = (name: string) => name === '__proto__' || !structurallyValid(joinPath('searchSpace', name));
    issues.push(...conditionIssues(space as never, skip));
    const trial = document.trial;
    if (isObject(trial) && trial.command !== undefined && structurallyValid('trial.command')) {
      issues.push(...commandIssues(trial.command as string | string[], space as Record<string, { when?: unknown }>));
    }
  }
  const resources = isObject(document.trial) ? document.trial.resources : undefined;
  if (isObject(resources) && resources.gpuType !== undefined && structurallyValid('trial.resources')) {
    const gpus = resources.gpus ?? 0;
    if (gpus === 0) {
      issues.push({
        path: 'trial.resources.gpuType',
        message: `is set to ${JSON.stringify(resources.gpuType)} but trial.resources.gpus is 0: a GPU type only applies to trials that use GPUs (set gpus > 0 or remove gpuType)`,
      });
    }
  }
  const budget = document.budget;
  if (isObject(budget) && typeof budget.deadline === 'string' && structurallyValid('budget.deadline')) {
    const deadline = parseDeadline(budget.deadline);
    if ('error' in deadline) issues.push({ path: 'budget.deadline', message: deadline.error });
  }
  if (document.extends !== undefined && structurallyValid('extends')) {
    issues.push({
      path: 'extends',
      message: `template ${JSON.stringify(document.extends)} must be resolved before the spec is normalised: submit the spec to Fairsweep (which merges the project's template), or merge it yourself with mergeSpecTemplate`,
    });
  }
  for (const section of ['strategy', 'pruner'] as const) {
    const plugin = document[section];
    if (isObject(plugin) && isObject(plugin.options) && structurallyValid(`${section}.options`)) {
      const problem = firstNonJson(plugin.options, `${section}.options`);
      if (problem) issues.push(problem);
    }
  }
  return issues;
}

function parameterIssues(path: string, spec: Node): SpecIssue[] {
  const at = (field: string, message: string) => [{ path: `${path}.${field}`, message }];
  if (spec.type === 'float') {
    const { low, high, log } = spec as { low: number; high: number; log?: boolean };
    if (!(high > low)) return at('high', `must be greater than low (${low}), got ${high}`);
    if (!Number.isFinite(high - low)) return at('high', `high - low must be a finite number; the range ${low}..${high} is too wide`);
    if (log === true && low <= 0) return at('low', `must be > 0 when log is true (log scale needs positive bounds), got ${low}`);
    return [];
  }
  if (spec.type === 'int') {
    const { low, high, log } = spec as { low: number; high: number; log?: boolean };
    const step = (spec.step as number | undefined) ?? 1;
    if (!Number.isSafeInteger(low)) return at('low', `must be an integer between -(2^53 - 1) and 2^53 - 1, got ${low}`);
    if (!Number.isSafeInteger(high)) return at('high', `must be an integer between -(2^53 - 1) and 2^53 - 1, got ${high}`);
    if (high < low) return at('high', `must be >= low (${low}), got ${high}`);
    if (log === true && low < 1) return at('low', `must be >= 1 when log is true (log scale needs positive bounds), got ${low}`);
    if (log === true && step !== 1) return at('step', `must be 1 when log is true, got ${step}`);
    const span = high - low;
    if (span % step !== 0) {
      const below = low + Math.floor(span / step) * step;
      return at(
        'step',
        `must divide high - low (${high} - ${low} = ${span}), got ${step}: set high to ${below} or ${below + step}, or use a step that divides ${span}`,
      );
    }
  }
  return [];
}

/** The first value under `value` that JSON cannot carry (a non-finite number, a date, ...). */
function firstNonJson(value: unknown, path: string): SpecIssue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path, message: `must be a finite number, got ${value}` };
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = firstNonJson(item, joinPath(path, i));
      if (problem) return problem;
    }
    return undefined;
  }
  if (isObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const problem = firstNonJson(item, joinPath(path, key));
      if (problem) return problem;
    }
    return undefined;
  }
  return { path, message: 'must be plain JSON data (null, boolean, number, string, list or mapping)' };
}

function isObject(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
