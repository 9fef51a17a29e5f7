import { GpuPool } from './gpu.pool.js';

describe('GpuPool', () => {
  it('lends free GPUs in configured order and takes them back', () => {
    const pool = new GpuPool(['3', '1', '2']);
    expect(pool.acquire('a', 2)).toEqual({ devices: ['3', '1'] });
    expect(pool.acquire('b', 2)).toEqual({ error: "needs 2 GPU(s) but only 1 of the executor's 3 GPU(s) are free" });
    expect(pool.acquire('c', 1)).toEqual({ devices: ['2'] });
    expect(pool.inUse()).toEqual(['3', '1', '2']);
    pool.release('a');
    expect(pool.acquire('d', 1)).toEqual({ devices: ['3'] });
    expect(pool.inUse()).toEqual(['3', '2']);
  });

  it('needs nothing for zero GPUs', () => {
    expect(new GpuPool([]).acquire('a', 0)).toEqual({ devices: [] });
  });

  it.each([[['0', '0']], [['']]])('refuses ids %j', (ids) => {
    expect(() => new GpuPool(ids)).toThrow(TypeError);
  });
});
