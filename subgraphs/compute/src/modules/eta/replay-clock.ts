/**
 * Running a replay in slices (replay.ts: replaySteps): the replay computes for at most `sliceMs`
 * at a time and then gives the event loop back (setImmediate), so admission cycles, heartbeats and
 * API requests are served while a deep queue is estimated. Its `maxMs` bound counts only the time
 * spent computing, not the time other work held the loop — so how much of a deep queue gets an
 * estimate no longer depends on what else the process is doing.
 */
import { performance } from 'node:perf_hooks';
import type { ReplayClock } from './replay.js';

/** The longest a replay holds the event loop at once (default). */
export const REPLAY_SLICE_MS = 10;

/** A clock whose `elapsed()` sums the slices' computing time; `due()` once the current slice is used up. */
class SlicedClock implements ReplayClock {
  private spent = 0;
  private sliceStart = performance.now();
  /** Slices run so far. */
  slices = 1;

  constructor(private readonly sliceMs: number) {}

  elapsed(): number {
    return this.spent + (performance.now() - this.sliceStart);
  }

  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  pause(): void {
    this.spent += performance.now() - this.sliceStart;
  }

  resume(): void {
    this.sliceStart = performance.now();
    this.slices++;
  }
}

/** Runs `steps` (made with the clock it is given) to the end in slices of at most `sliceMs`. */
export async function runSliced<T>(make: (clock: ReplayClock) => Generator<void, T, void>, sliceMs = REPLAY_SLICE_MS): Promise<{ value: T; slices: number }> {
  const clock = new SlicedClock(sliceMs);
  const steps = make(clock);
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value, slices: clock.slices };
    clock.pause();
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock.resume();
  }
}
