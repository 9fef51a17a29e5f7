/**
 * Backfill with reservations (pure), after Slurm's backfill scheduler.
 *
 * A `CapacityProfile` is the pool's free capacity over future time (seconds from now): what is
 * free now, plus what each running attempt gives back at its expected end (start + maximum
 * runtime, else the observed duration estimate; unknown: never). A run that cannot start now but
 * should not be overtaken (higher priority class than work behind it, or waiting too long) takes a
 * reservation: the earliest start where the profile holds it for its whole expected run. Work
 * behind it is admitted only if the profile still holds it: it ends (by its maximum runtime)
 * before the reserved start, or fits in capacity that stays free even with the reservation.
 */
import type { ResourceRequest } from './admission.types.js';

const KEYS = ['cpus', 'gpus', 'memoryMb'] as const;
const EPS = 1e-9;

export interface Release extends ResourceRequest {
  /** Seconds from now; ≤ 0 counts as now, Infinity never. */
  at: number;
}

export class CapacityProfile {
  /** Segment i is [times[i], times[i+1]) with free[i] available; the last runs to Infinity. */
  private readonly times: number[] = [0];
  private readonly free: ResourceRequest[];

  constructor(freeNow: ResourceRequest, releases: readonly Release[]) {
    this.free = [{ cpus: freeNow.cpus, gpus: freeNow.gpus, memoryMb: freeNow.memoryMb }];
    const sorted = releases.filter((r) => Number.isFinite(r.at)).sort((a, b) => a.at - b.at);
    for (const r of sorted) {
      const at = Math.max(r.at, 0);
      const last = this.free[this.free.length - 1]!;
      if (at > this.times[this.times.length - 1]!) {
        this.times.push(at);
        this.free.push({ ...last });
      }
      const seg = this.free[this.free.length - 1]!;
      for (const k of KEYS) seg[k] += r[k];
    }
  }

  /** Index of the segment that starts at `t`, splitting one if needed (t finite, ≥ 0). */
  private split(t: number): number {
    let i = this.times.length - 1;
    while (this.times[i]! > t) i--;
    if (this.times[i] === t) return i;
    this.times.splice(i + 1, 0, t);
    this.free.splice(i + 1, 0, { ...this.free[i]! });
    return i + 1;
  }

  /** Whether `r` fits everywhere in [from, to). */
  fits(r: ResourceRequest, from: number, to: number): boolean {
    for (let i = 0; i < this.times.length; i++) {
      const start = this.times[i]!;
      const end = this.times[i + 1] ?? Infinity;
      if (start >= to) break;
      if (end <= from) continue;
      for (const k of KEYS) if (r[k] > 0 && this.free[i]![k] - r[k] < -EPS) return false;
    }
    return true;
  }

  /** Holds `r` over [from, to). */
  take(r: ResourceRequest, from: number, to: number): void {
    if (!(to > from)) return;
    const a = this.split(Math.max(from, 0));
    const b = Number.isFinite(to) ? this.split(to) : this.times.length;
    for (let i = a; i < b; i++) for (const k of KEYS) this.free[i]![k] -= r[k];
  }

  /** The earliest start (a segment boundary) where `r` fits for `duration` seconds; Infinity if none. */
  earliest(r: ResourceRequest, duration: number): number {
    for (const t of [...this.times]) if (this.fits(r, t, t + duration)) return t;
    return Infinity;
  }

  /** Free capacity at time t. */
  at(t: number): ResourceRequest {
    let i = this.times.length - 1;
    while (this.times[i]! > t) i--;
    return { ...this.free[i]! };
  }
}

/** Seconds an attempt is still expected to run: its expected run time minus what it has run. */
export function expectedRemainingSec(expectedRuntimeSec: number | null | undefined, runtimeSec: number): number {
  if (expectedRuntimeSec == null || !Number.isFinite(expectedRuntimeSec)) return Infinity;
  // One past its estimate is assumed to end within a tenth of it.
  return Math.max(expectedRuntimeSec - runtimeSec, expectedRuntimeSec * 0.1);
}
