/**
 * For the spec's generated tests (spec.fuzz.test.ts, spec.property.test.ts); not exported from the
 * package. Not the platform's RNG (`createRng`), whose sequence is part of the replay contract.
 */

/** mulberry32: tiny, seeded, good enough to drive test-case generation. The same seed gives the same cases. */
export class Gen {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  /** `min` to `max` characters drawn from `alphabet`. */
  string(alphabet: string, min: number, max: number): string {
    const chars = Array.from(alphabet);
    return Array.from({ length: this.int(min, max) }, () => this.pick(chars)).join('');
  }
}
