/**
 * A cache of one value per key that serves a stale value while it refreshes it
 * (stale-while-revalidate): within `freshMs` of being computed a value is served as is; until
 * `maxStaleMs` it is still served at once, and one refresh starts in the background (never two at
 * a time); after that, or without any value yet, callers wait for the computation. A failed
 * refresh keeps the old value (until it is too stale) and the next call tries again. A caller may
 * also say a cached value does not cover what it asks about (`covers`): it then waits for a new
 * one, fresh or not. Used for queue estimates, so a dashboard polling a deep queue never waits for
 * the replay, while a trial submitted since the last estimate gets one that includes it.
 */
export class StaleCache<T> {
  private readonly entries = new Map<string, { value?: T; at: number; pending: Promise<T> | null }>();

  constructor(
    private readonly freshMs: number,
    private readonly maxStaleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(maxStaleMs >= freshMs)) throw new Error(`maxStaleMs (${maxStaleMs}) must be >= freshMs (${freshMs})`);
  }

  get(key: string, compute: () => Promise<T>, covers: (value: T) => boolean = () => true): Promise<T> {
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { at: -Infinity, pending: null }));
    const age = this.now() - e.at;
    if (e.value !== undefined && !covers(e.value)) return e.pending ?? this.refresh(e, compute);
    if (e.value !== undefined && age < this.freshMs) return Promise.resolve(e.value);
    const refresh = e.pending ?? this.refresh(e, compute);
    if (e.value !== undefined && age < this.maxStaleMs) {
      refresh.catch(() => undefined); // served stale: the failure is the next caller's to see
      return Promise.resolve(e.value);
    }
    return refresh;
  }

  private refresh(e: { value?: T; at: number; pending: Promise<T> | null }, compute: () => Promise<T>): Promise<T> {
    const p = compute().then(
      (value) => {
        e.value = value;
        e.at = this.now();
        e.pending = null;
        return value;
      },
      (err: unknown) => {
        e.pending = null;
        throw err;
      },
    );
    e.pending = p;
    return p;
  }
}
