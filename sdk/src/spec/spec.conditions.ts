import { closestName } from './spec.describe.js';
import { joinPath, type SpecIssue } from './spec.error.js';
import type { ParamCondition, ParamValue, ParamValues, SearchSpace } from './spec.types.js';

/**
 * Conditional parameters. A parameter with `when: { optimizer: [sgd, momentum] }` is active only
 * when every parent named there is active and has one of the listed values; otherwise it is
 * absent from the trial's params. Parents are categorical or int parameters; conditions nest
 * (a parent may itself be conditional) but may not form a cycle.
 */

/**
 * The order in which a configuration is built: every parent before its children, ties broken by
 * name. For a space without conditions this is plain sorted name order (what strategies used
 * before conditions existed, so their recorded suggestions still replay).
 */
export function parameterOrder(space: SearchSpace): string[] {
  const names = Object.keys(space).sort();
  if (!names.some((n) => space[n].when !== undefined)) return names;
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find((n) => !done.has(n) && Object.keys(space[n].when ?? {}).every((p) => done.has(p)));
    if (next === undefined) throw new Error(`search space has a condition cycle among ${names.filter((n) => !done.has(n)).join(', ')}`);
    done.add(next);
    order.push(next);
  }
  return order;
}

/** Whether `name` is active given the values chosen so far (its parents must already be in `params`). */
export function isActive(space: SearchSpace, name: string, params: ParamValues): boolean {
  const when = space[name].when;
  if (when === undefined) return true;
  return Object.entries(when).every(([parent, values]) => Object.hasOwn(params, parent) && values.some((v) => v === params[parent]));
}

/** The parameters active in a configuration, in `parameterOrder`. */
export function activeParameters(space: SearchSpace, params: ParamValues): string[] {
  return parameterOrder(space).filter((name) => isActive(space, name, params));
}

/** Whether any parameter of the space has a condition. */
export function hasConditions(space: SearchSpace): boolean {
  return Object.values(space).some((p) => p.when !== undefined);
}

/**
 * Builds a configuration in `parameterOrder`, asking `valueOf` only for the parameters that are
 * active given the values already chosen. Keys come out in sorted name order.
 */
export function buildConfiguration(space: SearchSpace, valueOf: (name: string, partial: ParamValues) => ParamValue): ParamValues {
  const params: ParamValues = {};
  for (const name of parameterOrder(space)) if (isActive(space, name, params)) params[name] = valueOf(name, params);
  return sortKeys(params);
}

/** `optimizer in ["sgd"] and layers in [2, 4]`: a condition as a message reads it. */
export function describeCondition(when: ParamCondition | Record<string, ParamValue | ParamValue[]>): string {
  return Object.entries(when)
    .map(([parent, values]) => `${parent} in ${JSON.stringify(listed(values))}`)
    .join(' and ');
}

function sortKeys(params: ParamValues): ParamValues {
  const out: ParamValues = {};
  for (const key of Object.keys(params).sort()) out[key] = params[key];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Validation and normalisation of `when` in a spec document (structure already checked)

type RawParam = { type: string; choices?: ParamValue[]; low?: number; high?: number; step?: number; when?: Record<string, ParamValue | ParamValue[]> };

/** The listed values of one `when` entry: a single value is shorthand for a one-item list. */
function listed(value: ParamValue | ParamValue[]): ParamValue[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * Problems with the conditions of a structurally valid search space: unknown parents, float
 * parents, values the parent can never take, cycles, and conditions that can never hold given
 * the parents' own conditions. Parameters named in `skip` (structurally invalid) are not checked,
 * nor are conditions that refer to them.
 */
export function conditionIssues(space: Record<string, RawParam>, skip: (name: string) => boolean): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const names = Object.keys(space);
  const usable = new Set<string>(); // parameters whose `when` is fine on its own
  for (const [name, param] of Object.entries(space)) {
    if (skip(name) || param.when === undefined) continue;
    const whenPath = joinPath(joinPath('searchSpace', name), 'when');
    let ok = true;
    for (const [parent, raw] of Object.entries(param.when)) {
      const at = joinPath(whenPath, parent);
      if (parent === name) {
        issues.push({ path: at, message: `a parameter cannot depend on itself` });
        ok = false;
        continue;
      }
      if (!Object.hasOwn(space, parent)) {
        const hint = closestName(parent, names);
        issues.push({ path: at, message: `unknown parameter "${parent}"${hint ? ` (did you mean "${hint}"?)` : ''}; parameters: ${names.join(', ')}` });
        ok = false;
        continue;
      }
      if (skip(parent)) {
        ok = false;
        continue;
      }
      const spec = space[parent];
      if (spec.type === 'float') {
        issues.push({ path: at, message: `"${parent}" is a float parameter; a condition's parent must be a categorical or int parameter` });
        ok = false;
        continue;
      }
      listed(raw).forEach((value, i) => {
        const problem = parentValueProblem(parent, spec, value);
        if (problem) {
          issues.push({ path: Array.isArray(raw) ? joinPath(at, i) : at, message: problem });
          ok = false;
        }
      });
    }
    if (ok) usable.add(name);
  }
  const cycles = cycleIssues(space, usable);
  issues.push(...cycles.issues);
  for (const name of [...usable].sort()) {
    if (cycles.inCycle.has(name)) continue;
    const problem = impossibility(space, name, usable, cycles.inCycle);
    if (problem) issues.push({ path: joinPath(joinPath('searchSpace', name), 'when'), message: problem });
  }
  return issues;
}

function parentValueProblem(parent: string, spec: RawParam, value: ParamValue): string | undefined {
  if (spec.type === 'categorical') {
    const choices = spec.choices ?? [];
    if (choices.some((c) => c === value)) return undefined;
    return `${JSON.stringify(value)} is not one of the choices of "${parent}" (${choices.map((c) => JSON.stringify(c)).join(', ')}), so this part of the condition can never hold`;
  }
  const { low = 0, high = 0, step = 1 } = spec;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high || (value - low) % step !== 0) {
    return `${JSON.stringify(value)} is not a value "${parent}" can take (an integer from ${low} to ${high}${step === 1 ? '' : ` in steps of ${step}`}), so this part of the condition can never hold`;
  }
  return undefined;
}

/** One issue per cycle, on its first parameter by name: `cycle: a → b → a`. */
function cycleIssues(space: Record<string, RawParam>, usable: Set<string>): { issues: SpecIssue[]; inCycle: Set<string> } {
  const issues: SpecIssue[] = [];
  const inCycle = new Set<string>();
  const parents = (n: string) => (usable.has(n) ? Object.keys(space[n].when ?? {}) : []);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const p of parents(n).sort()) {
      if (state.get(p) === 'open') {
        const loop = stack.slice(stack.indexOf(p));
        if (!loop.some((m) => inCycle.has(m))) {
          const first = [...loop].sort()[0];
          const rotated = [...loop.slice(loop.indexOf(first)), ...loop.slice(0, loop.indexOf(first))];
          const next = rotated.length > 1 ? rotated[1] : first;
          issues.push({
            path: joinPath(joinPath(joinPath('searchSpace', first), 'when'), next),
            message: `conditions form a cycle: ${[...rotated, first].join(' → ')} (each depends on the next); a parent cannot depend on its own child`,
          });
        }
        for (const m of loop) inCycle.add(m);
      } else if (state.get(p) === undefined) visit(p);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...usable].sort()) if (!state.has(n)) visit(n);
  return { issues, inCycle };
}

/**
 * Whether a parameter can ever be active: its condition and every ancestor's condition are
 * membership constraints on independent parents, so it can be active exactly when, for each
 * parent named anywhere up the chain, the allowed sets intersect.
 */
function impossibility(space: Record<string, RawParam>, name: string, usable: Set<string>, inCycle: Set<string>): string | undefined {
  const allowed = new Map<string, { values: ParamValue[]; from: string }>();
  const seen = new Set<string>();
  const queue = [name];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const when = space[current]?.when;
    if (when === undefined) continue;
    if (!usable.has(current) || inCycle.has(current)) return undefined; // reported elsewhere
    for (const [parent, raw] of Object.entries(when)) {
      const values = listed(raw);
      const before = allowed.get(parent);
      if (before) {
        const both = before.values.filter((v) => values.some((w) => w === v));
        if (both.length === 0) {
          const who = (n: string) => (n === name ? 'its own condition' : `the condition of "${n}" (an ancestor)`);
          return `can never be active: ${who(before.from)} needs "${parent}" in ${JSON.stringify(before.values)}, but ${who(current)} needs "${parent}" in ${JSON.stringify(values)}`;
        }
        allowed.set(parent, { values: both, from: before.from });
      } else allowed.set(parent, { values, from: current });
      queue.push(parent);
    }
  }
  return undefined;
}

/** `when` with single values as lists, in the parent's order (choice order; ascending for ints). */
export function normalizeCondition(space: Record<string, RawParam>, when: Record<string, ParamValue | ParamValue[]>): ParamCondition {
  const out: ParamCondition = {};
  for (const parent of Object.keys(when).sort()) {
    const values = listed(when[parent]);
    const spec = space[parent];
    out[parent] =
      spec.type === 'categorical'
        ? (spec.choices ?? []).filter((c) => values.some((v) => v === c))
        : [...(values as number[])].sort((a, b) => a - b);
  }
  return out;
}
