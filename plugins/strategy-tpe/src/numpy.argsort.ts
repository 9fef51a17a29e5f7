/**
 * numpy's default `argsort` (kind "quicksort": introsort, numpy 1.24's `aquicksort`), ported so
 * that equal values come out in numpy's order. Optuna 3.1 assigns the neighbour-distance
 * bandwidths through `np.argsort(mus)`; with repeated values (ints) the order of ties decides
 * which kernel gets which bandwidth, and so the density. Not stable: arrays of more than 16
 * elements are partitioned around a median of three.
 */
const SMALL_QUICKSORT = 15;

export function numpyArgsort(v: ArrayLike<number>): number[] {
  const idx = Array.from({ length: v.length }, (_, i) => i);
  const num = v.length;
  if (num < 2) return idx;
  const less = (a: number, b: number) => a < b || (b !== b && a === a); // NaN last, as numpy
  const swap = (i: number, j: number) => {
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = num - 1;
  let cdepth = 2 * Math.floor(Math.log2(num));
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, idx, pl, pr - pl + 1, less);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        if (less(v[idx[pr]], v[idx[pm]])) swap(pr, pm);
        if (less(v[idx[pm]], v[idx[pl]])) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (less(v[idx[pi]], vp));
          do --pj;
          while (less(vp, v[idx[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = idx[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && less(vp, v[idx[pj - 1]])) {
          idx[pj] = idx[pj - 1];
          pj--;
        }
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depths.pop() as number;
  }
  return idx;
}

/** numpy's `aheapsort` over idx[start, start + n), the introsort fallback. */
function heapsort(v: ArrayLike<number>, idx: number[], start: number, n: number, less: (a: number, b: number) => boolean): void {
  const at = (k: number) => start + k - 1; // numpy indexes the heap from 1
  for (let l = n >> 1; l > 0; --l) siftDown(l, n, idx[at(l)]);
  for (; n > 1; ) {
    const tmp = idx[at(n)];
    idx[at(n)] = idx[at(1)];
    n -= 1;
    siftDown(1, n, tmp);
  }
  function siftDown(l: number, size: number, tmp: number): void {
    let i = l;
    for (let j = l << 1; j <= size; ) {
      if (j < size && less(v[idx[at(j)]], v[idx[at(j + 1)]])) j += 1;
      if (less(v[tmp], v[idx[at(j)]])) {
        idx[at(i)] = idx[at(j)];
        i = j;
        j += j;
      } else break;
    }
    idx[at(i)] = tmp;
  }
}
