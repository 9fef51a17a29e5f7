/**
 * Estimated start times live in replay.ts (the admission function replayed forward in virtual
 * time); this module keeps the running-attempt arithmetic both the replay's readers use.
 */
/**
 * Seconds a running attempt is still expected to take: expected duration minus elapsed; one past
 * its estimate is assumed to end within a tenth of it (at least 1 s). Unknown: Infinity.
 */
export function remainingSec(expectedSec: number | null, elapsedSec: number): number {
  return expectedSec === null ? Infinity : Math.max(expectedSec - elapsedSec, Math.max(expectedSec * 0.1, 1));
}
