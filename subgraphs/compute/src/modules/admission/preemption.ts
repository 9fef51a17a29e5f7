/**
 * Victim selection for preemption (pure). Two kinds, both graceful (signal, grace, requeue):
 * - reclaim: a tenant within its nominal quota takes back capacity lent to its cohort: victims are
 *   borrowed attempts of other members of its cohort;
 * - critical: critical work that does not fit evicts preemptible attempts of any tenant.
 * Victims are those preempted least often, then the newest; only past the minimum runtime, and
 * only if they free enough.
 * See docs/designs/3-fair-share-scheduler.md for why this cannot cycle.
 */
import { exceeds } from './admission.rules.js';
import type { ActiveAllocation, QueuedRun, ResourceRequest, TenantQuota } from './admission.types.js';

const KEYS = ['cpus', 'gpus', 'memoryMb'] as const;

export type PreemptionKind = 'reclaim' | 'critical';

export function victimsFor(
  run: QueuedRun,
  kind: PreemptionKind,
  free: ResourceRequest,
  allocations: readonly ActiveAllocation[],
  quotas: ReadonlyMap<string, TenantQuota>,
  pool: string,
  minRuntimeSec: number,
): ActiveAllocation[] | null {
  const cohort = quotas.get(run.tenant)?.cohort ?? null;
  const eligible = allocations
    .filter((a) => a.pool === pool && !a.stopping && a.attemptId && (a.runtimeSec ?? 0) >= minRuntimeSec)
    .filter((a) =>
      kind === 'critical'
        ? a.priority === 'preemptible'
        : a.borrowed === true && a.tenant !== run.tenant && cohort !== null && quotas.get(a.tenant)?.cohort === cohort,
    )
    // Spread evictions: trials preempted less often go first, then the newest.
    .sort((a, b) => (a.preemptions ?? 0) - (b.preemptions ?? 0) || (a.runtimeSec ?? 0) - (b.runtimeSec ?? 0));
  const freed = { ...free };
  const victims: ActiveAllocation[] = [];
  for (const a of eligible) {
    const short = KEYS.filter((k) => exceeds(0, run[k], freed[k]));
    if (short.length === 0) break;
    if (!short.some((k) => a[k] > 0)) continue; // evicting it would not help
    victims.push(a);
    for (const k of KEYS) freed[k] += a[k];
  }
  return KEYS.every((k) => !exceeds(0, run[k], freed[k])) && victims.length > 0 ? victims : null;
}
