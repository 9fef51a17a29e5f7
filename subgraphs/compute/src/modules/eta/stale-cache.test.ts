import { StaleCache } from './stale-cache.js';
import { missingEstimateReason } from './eta.reader.js';

describe('StaleCache (stale-while-revalidate)', () => {
  let t = 0;
  const clock = () => t;
  const deferred = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };

  beforeEach(() => (t = 0));

  it('waits for the first value, serves it while fresh, then serves it stale while one refresh runs', async () => {
    const cache = new StaleCache<number>(2000, 30_000, clock);
    const first = deferred<number>();
    const calls: number[] = [];
    const compute = (d: { promise: Promise<number> }) => () => (calls.push(t), d.promise);
    const a = cache.get('k', compute(first));
    first.resolve(1);
    expect(await a).toBe(1);
    t = 1500;
    expect(await cache.get('k', compute(deferred<number>()))).toBe(1); // fresh: no computation
    expect(calls).toEqual([0]);
    t = 5000;
    const second = deferred<number>();
    expect(await cache.get('k', compute(second))).toBe(1); // stale: served at once, refresh started
    expect(await cache.get('k', compute(deferred<number>()))).toBe(1); // no second refresh while one runs
    expect(calls).toEqual([0, 5000]);
    second.resolve(2);
    await second.promise;
    await Promise.resolve();
    expect(await cache.get('k', compute(deferred<number>()))).toBe(2);
    expect(calls).toEqual([0, 5000]);
  });

  it('waits for a new value once the old one is too stale', async () => {
    const cache = new StaleCache<number>(2000, 30_000, clock);
    await cache.get('k', () => Promise.resolve(1));
    t = 31_000;
    expect(await cache.get('k', () => Promise.resolve(2))).toBe(2);
  });

  it('keeps the old value when a background refresh fails, and the next caller retries', async () => {
    const cache = new StaleCache<number>(2000, 30_000, clock);
    await cache.get('k', () => Promise.resolve(1));
    t = 3000;
    expect(await cache.get('k', () => Promise.reject(new Error('db down')))).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', () => Promise.resolve(3))).toBe(1); // stale again: served, refresh started
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('k', () => Promise.resolve(4))).toBe(3);
  });

  it('lets a failed first computation reach the caller, and keys apart', async () => {
    const cache = new StaleCache<number>(2000, 30_000, clock);
    await expect(cache.get('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('a', () => Promise.resolve(5))).toBe(5);
    expect(await cache.get('b', () => Promise.resolve(6))).toBe(6);
    expect(() => new StaleCache(10, 5)).toThrow('maxStaleMs (5) must be >= freshMs (10)');
  });
});

describe('missingEstimateReason', () => {
  const at = new Date('2030-01-01T12:00:00Z');
  const est = { at, unknown: new Map([['slow', 'it waits behind attempts of unknown duration']]) };
  it("gives the estimate's own reason, or says the trial was queued after it was taken, else none", () => {
    expect(missingEstimateReason(est, 'slow', new Date(at.getTime() - 60_000))).toBe('it waits behind attempts of unknown duration');
    expect(missingEstimateReason(est, 'new', new Date(at.getTime() + 5_000)))
      .toBe('queued after the latest estimate (taken at 2030-01-01T12:00:00.000Z); the next one includes it');
    expect(missingEstimateReason(est, 'old', new Date(at.getTime() - 60_000))).toBeNull();
  });
});

describe('StaleCache: a value that does not cover the request', () => {
  it('waits for a new one even while the cached one is fresh, sharing one refresh', async () => {
    let calls = 0;
    const cache = new StaleCache<number[]>(2000, 30_000, () => 0);
    await cache.get('k', async () => (calls++, [1]));
    const covers = (v: number[]) => v.includes(2);
    const [a, b] = await Promise.all([cache.get('k', async () => (calls++, [1, 2]), covers), cache.get('k', async () => (calls++, [1, 2, 3]), covers)]);
    expect([a, b, calls]).toEqual([[1, 2], [1, 2], 2]);
    expect(await cache.get('k', async () => (calls++, []), covers)).toEqual([1, 2]);
    expect(calls).toBe(2);
  });
});
