/**
 * Estimated start times live in replay.ts (the admission function replayed forward in virtual
 * time); this module keeps the run-time arithmetic both the replay's readers use.
 */
/**
 * Seconds a running attempt is still expected to take: expected duration minus elapsed; one past
 * its estimate is assumed to end within a tenth of it (at least 1 s). Unknown: Infinity.
 */
export function remainingSec(expectedSec: number | null, elapsedSec: number): number {
  return expectedSec === null ? Infinity : Math.max(expectedSec - elapsedSec, Math.max(expectedSec * 0.1, 1));
}

/**
 * Expected run time of the trials of each experiment, from the observed mean run time of the
 * finished trials of experiments with work in flight. An experiment with none finished yet gets
 * the mean of the other experiments' means (each experiment counts once, however many trials it
 * finished) rather than no estimate at all — unless its trials have a maximum runtime, which then
 * stands in for it as before. Null only when no experiment has finished a trial.
 */
export function runtimeEstimator(observedMeanSec: ReadonlyMap<string, number>): (experimentId: string, maxRuntimeSeconds?: number | null) => number | null {
  const means = [...observedMeanSec.values()].filter((x) => Number.isFinite(x) && x >= 0);
  const prior = means.length > 0 ? means.reduce((s, x) => s + x, 0) / means.length : null;
  return (experimentId, maxRuntimeSeconds) => observedMeanSec.get(experimentId) ?? (maxRuntimeSeconds != null ? null : prior);
}
