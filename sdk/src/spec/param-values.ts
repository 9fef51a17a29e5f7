import { describeCondition, isActive } from './spec.conditions.js';
import type { ParamValues, SearchSpace } from './spec.types.js';

/**
 * Problems with a configuration against a search space: missing or extra parameters, wrong
 * types, values outside the range, off the step grid or not among the choices, and conditional
 * parameters present although inactive (or missing although active). `[]` when valid.
 */
export function checkParamValues(space: SearchSpace, params: ParamValues): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(space, name)) problems.push(`${name}: not a parameter of the search space`);
  }
  for (const name of Object.keys(space)) {
    const spec = space[name];
    const active = isActive(space, name, params);
    if (!active) {
      if (Object.hasOwn(params, name)) problems.push(`${name}: present, but inactive (it is active only when ${describeCondition(spec.when ?? {})})`);
      continue;
    }
    if (!Object.hasOwn(params, name)) {
      problems.push(`${name}: missing`);
      continue;
    }
    const value = params[name];
    if (spec.type === 'categorical') {
      if (!spec.choices.some((c) => c === value)) problems.push(`${name}: ${JSON.stringify(value)} is not one of the choices`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${name}: expected a finite number, got ${JSON.stringify(value)}`);
      continue;
    }
    if (value < spec.low || value > spec.high) problems.push(`${name}: ${value} is outside [${spec.low}, ${spec.high}]`);
    if (spec.type === 'int') {
      if (!Number.isInteger(value)) problems.push(`${name}: ${value} is not an integer`);
      else if ((value - spec.low) % spec.step !== 0) problems.push(`${name}: ${value} is not low + k * step (step ${spec.step})`);
    }
  }
  return problems;
}
