import { checkParamValues, type ParameterSpec, type ParamValue, type SearchSpace } from '@fairsweep/sdk';
import type { GridOptions } from './grid.options.js';

/** The values tried for each parameter, in sorted name order; throws naming a bad `points` entry. */
export function gridAxes(space: SearchSpace, opts: GridOptions): { name: string; values: ParamValue[] }[] {
  for (const name of Object.keys(opts.points)) {
    if (!(name in space)) throw new Error(`strategy "grid": points.${name}: not a parameter of the search space`);
  }
  return Object.keys(space).sort().map((name) => {
    const spec = space[name];
    const given = opts.points[name];
    if (Array.isArray(given)) {
      const problems = given.flatMap((v) => checkParamValues({ [name]: spec }, { [name]: v }));
      if (problems.length > 0) throw new Error(`strategy "grid": points.${name}: ${problems.join('; ')}`);
      return { name, values: unique(given) };
    }
    return { name, values: axis(spec, given ?? (spec.type === 'float' ? opts.resolution : undefined)) };
  });
}

function axis(spec: ParameterSpec, count: number | undefined): ParamValue[] {
  if (spec.type === 'categorical') return spec.choices.slice();
  if (spec.type === 'int' && count === undefined) {
    return Array.from({ length: Math.floor((spec.high - spec.low) / spec.step) + 1 }, (_, k) => spec.low + k * spec.step);
  }
  const n = count ?? 10;
  // ends exact; log scale as low · (high / low)^(k / (n − 1))
  const xs = Array.from({ length: n }, (_, k) => {
    if (k === 0) return spec.low;
    if (k === n - 1) return spec.high;
    return spec.log ? spec.low * (spec.high / spec.low) ** (k / (n - 1)) : spec.low + ((spec.high - spec.low) * k) / (n - 1);
  });
  const snapped = xs.map((x) => {
    const v = spec.type === 'int' ? spec.low + Math.round((x - spec.low) / spec.step) * spec.step : x;
    return Math.min(Math.max(v, spec.low), spec.high);
  });
  return unique(snapped);
}

function unique(values: ParamValue[]): ParamValue[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}
