import { numpyArgsort } from './numpy.argsort.js';

// Expected orders: numpy 1.24's np.argsort (default kind) on the same arrays.
describe('numpyArgsort', () => {
  it('sorts like numpy, ties in order, up to 16 elements (insertion sort)', () => {
    expect(numpyArgsort([3, 1, 2, 1, 3, 0])).toEqual([5, 1, 3, 2, 0, 4]);
    expect(numpyArgsort([])).toEqual([]);
  });

  it("puts ties in numpy's order beyond 16 elements (partitioned, not stable)", () => {
    expect(numpyArgsort([1, 3, 4, 1, 0, 4, 3, 3, 0, 2, 4, 4, 0, 2, 3, 1, 4])).toEqual([8, 12, 4, 15, 0, 3, 9, 13, 6, 7, 1, 14, 5, 2, 10, 11, 16]);
    const ints = [5, 9, 5, 12, 30, 9, 9, 5, 20, 12, 7, 5, 30, 9, 14, 5, 12, 9, 3, 28, 9, 5, 12, 18, 9, 30, 5, 12, 9, 7, 5, 9, 14, 12, 5, 9];
    expect(numpyArgsort(ints)).toEqual([18, 0, 2, 30, 26, 7, 21, 11, 34, 15, 29, 10, 31, 28, 24, 20, 17, 6, 1, 5, 35, 13, 9, 22, 16, 27, 3, 33, 32, 14, 23, 8, 19, 25, 4, 12]);
  });

  it('sorts large arrays with many ties into ascending order', () => {
    const v = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 13);
    const order = numpyArgsort(v);
    expect(new Set(order).size).toBe(3000);
    for (let i = 1; i < order.length; i++) expect(v[order[i - 1]]).toBeLessThanOrEqual(v[order[i]]);
  });
});
