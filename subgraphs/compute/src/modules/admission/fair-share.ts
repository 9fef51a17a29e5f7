/**
 * Fair-share arithmetic (pure): weighted dominant-resource shares (DRF) with decayed history.
 *
 * A tenant's share is max over dimensions d of (current_d + h · recent_d) / capacity_d, divided
 * by its weight, where current is what it holds now, recent is its exponentially decayed average
 * usage (half-life configurable; see decayedAverage) and h the history weight. Admission always
 * serves the tenant with the smallest share next (progressive filling), so weights 1:2 converge to
 * shares 1:2 of the dominant resource, and a tenant that used a lot recently waits behind one that
 * did not.
 */
import type { ResourceRequest } from './admission.types.js';

const KEYS = ['cpus', 'gpus', 'memoryMb'] as const;

export function dominantShare(current: ResourceRequest, recent: ResourceRequest | undefined, capacity: ResourceRequest, weight: number, historyWeight: number): number {
  let share = 0;
  for (const k of KEYS) {
    if (capacity[k] <= 0) continue;
    share = Math.max(share, (current[k] + historyWeight * (recent?.[k] ?? 0)) / capacity[k]);
  }
  return share / (weight > 0 ? weight : 1);
}

/**
 * The decayed average of a usage interval: an amount r held from `start` to `end` (seconds before
 * now; end 0 = still held) contributes r · (2^(-end/h) − 2^(-start/h)). A tenant that held r
 * for a long time up to now averages r; usage fades by half every half-life h after it ends.
 */
export function decayedWeight(startAgoSec: number, endAgoSec: number, halfLifeSec: number): number {
  const f = (ago: number) => Math.pow(2, -Math.max(ago, 0) / halfLifeSec);
  return Math.max(0, f(endAgoSec) - f(startAgoSec));
}

export const PRIORITY_ORDER = ['critical', 'standard', 'preemptible'] as const;

export function priorityRank(priority: string | undefined): number {
  const i = PRIORITY_ORDER.indexOf((priority ?? 'standard') as (typeof PRIORITY_ORDER)[number]);
  return i < 0 ? PRIORITY_ORDER.indexOf('standard') : i;
}
