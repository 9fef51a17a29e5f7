import type { ParameterSpec, ParamValue, SearchSpace } from '@fairsweep/sdk';

/**
 * One parameter in the estimator's internal coordinates, as Optuna 3.1 defines them:
 * - float: [low, high], or [log low, log high] with `log`;
 * - int: [low − step/2, high + step/2] with a discretisation `q = step`, or with `log`
 *   [log(low − 0.5), log(high + 0.5)], continuous;
 * - categorical: the index of the choice.
 */
export type Dim =
  | { name: string; kind: 'numerical'; spec: ParameterSpec; low: number; high: number; q: number | null; log: boolean }
  | { name: string; kind: 'categorical'; spec: ParameterSpec; choices: readonly ParamValue[] };

export function toDims(space: SearchSpace, names: readonly string[]): Dim[] {
  return names.map((name): Dim => {
    const spec = space[name];
    switch (spec.type) {
      case 'categorical':
        return { name, kind: 'categorical', spec, choices: spec.choices };
      case 'float':
        return spec.log
          ? { name, kind: 'numerical', spec, low: Math.log(spec.low), high: Math.log(spec.high), q: null, log: true }
          : { name, kind: 'numerical', spec, low: spec.low, high: spec.high, q: null, log: false };
      case 'int':
        return spec.log
          ? { name, kind: 'numerical', spec, low: Math.log(spec.low - 0.5), high: Math.log(spec.high + 0.5), q: null, log: true }
          : { name, kind: 'numerical', spec, low: spec.low - spec.step / 2, high: spec.high + spec.step / 2, q: spec.step, log: false };
    }
  });
}

/** A value from a trial in internal coordinates, or null when it does not fit the space. */
export function toInternal(dim: Dim, value: ParamValue | undefined): number | null {
  if (dim.kind === 'categorical') {
    const index = dim.choices.findIndex((c) => c === value);
    return index < 0 ? null : index;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (dim.log) return value > 0 ? Math.log(value) : null;
  return value;
}

/**
 * A drawn internal coordinate as Optuna 3.1's `_ParzenEstimator.sample` returns it and `log_pdf`
 * then scores it: the value a trial would get (ints rounded to the step grid and clipped), back in
 * internal coordinates. Candidates are compared where they will be evaluated.
 */
export function snapInternal(dim: Dim, x: number): number {
  if (dim.kind === 'categorical') return x;
  const value = fromInternal(dim, x) as number;
  return dim.log ? Math.log(value) : value;
}

/** An internal coordinate back to a value inside the space: rounded to the step grid and clipped. */
export function fromInternal(dim: Dim, x: number): ParamValue {
  if (dim.kind === 'categorical') return dim.choices[x];
  const spec = dim.spec as Extract<ParameterSpec, { low: number }>;
  let value: number;
  if (spec.type === 'int') {
    value = dim.log ? Math.round(Math.exp(x)) : Math.round((x - spec.low) / spec.step) * spec.step + spec.low;
  } else {
    value = dim.log ? Math.exp(x) : x;
  }
  return Math.min(Math.max(value, spec.low), spec.high);
}
