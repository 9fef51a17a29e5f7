import { isActive, parameterOrder, type ParamValue, type ParamValues, type SearchSpace } from '@fairsweep/sdk';
import { gridAxes } from './grid.axes.js';
import type { GridOptions } from './grid.options.js';

/** The most assignments of condition parents a conditional grid enumerates. */
export const MAX_CONDITION_BLOCKS = 100_000;

/** The grid's size and its k-th point, for k in 0..size−1. */
export interface GridPlan {
  size: number;
  point(k: number): ParamValues;
}

type Axis = { name: string; values: ParamValue[] };

/**
 * The valid grid points of a space. Without conditions: the product of every axis, point k read
 * as a mixed-radix number over the axes in sorted name order (the last axis varies fastest).
 * With conditions: the points are grouped into blocks, one per assignment of the condition
 * parents (parameters that some `when` names) in which each parent is set only when active;
 * a block holds the product of the other parameters active under that assignment. Blocks are
 * listed depth-first over the parents in `parameterOrder` and axis order; inside a block, points
 * are numbered as in the unconditional case. Only valid combinations are counted, each once.
 */
export function gridPlan(space: SearchSpace, opts: GridOptions): GridPlan {
  const axes = gridAxes(space, opts);
  const parents = new Set(Object.values(space).flatMap((p) => Object.keys(p.when ?? {})));
  if (parents.size === 0) return productPlan(axes, {});
  const byName = new Map(axes.map((a) => [a.name, a]));
  const order = parameterOrder(space).filter((n) => parents.has(n));
  const leaves = axes.filter((a) => !parents.has(a.name));
  const blocks: { fixed: ParamValues; plan: GridPlan }[] = [];
  const visit = (i: number, fixed: ParamValues): void => {
    if (i === order.length) {
      const plan = productPlan(leaves.filter((a) => isActive(space, a.name, fixed)), fixed);
      if (plan.size > 0) blocks.push({ fixed, plan });
      if (blocks.length > MAX_CONDITION_BLOCKS) {
        throw new RangeError(`strategy "grid": the condition parents (${order.join(', ')}) have more than ${MAX_CONDITION_BLOCKS} combinations; give them fewer "points"`);
      }
      return;
    }
    const name = order[i];
    if (!isActive(space, name, fixed)) return visit(i + 1, fixed);
    for (const value of (byName.get(name) as Axis).values) visit(i + 1, { ...fixed, [name]: value });
  };
  visit(0, {});
  const starts: number[] = [];
  let size = 0;
  for (const block of blocks) {
    starts.push(size);
    size += block.plan.size;
  }
  return {
    size,
    point(k) {
      let lo = 0;
      let hi = blocks.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (starts[mid] <= k) lo = mid;
        else hi = mid - 1;
      }
      return blocks[lo].plan.point(k - starts[lo]);
    },
  };
}

/** Every combination of `axes` (each point extended with `fixed`), the last axis varying fastest. */
function productPlan(axes: Axis[], fixed: ParamValues): GridPlan {
  return {
    size: axes.reduce((n, axis) => n * axis.values.length, 1),
    point(k) {
      let rest = k;
      const params: ParamValues = { ...fixed };
      for (let d = axes.length - 1; d >= 0; d--) {
        const { name, values } = axes[d];
        params[name] = values[rest % values.length];
        rest = Math.floor(rest / values.length);
      }
      return Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)));
    },
  };
}
