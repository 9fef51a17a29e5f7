/**
 * Flavor fungibility (docs/designs/3-gpu-flavors.md): a run that lists several GPU types, most
 * preferred first, may run on a pool of any of them, but a pool of a later type takes it only
 * when no live pool of an earlier type has room for it now (free capacity, within the tenant's
 * nominal of that flavor), or once it has waited `preferForSec` (so a preferred pool that has room
 * but admits nothing, behind a reservation say, does not hold it forever). The pool of the earlier
 * type admits it at its own next cycle. Like Kueue's flavor fungibility, borrowing or preempting
 * on the preferred flavor is not waited for: a free later flavor is used instead.
 * A GPU run that names no type follows a flavor order too, like Kueue's flavors listed in a
 * ClusterQueue: its tenant's quota `gpuFlavors` in the order listed, else the platform's order
 * (FAIRSWEEP_GPU_FLAVOR_ORDER); a pool of a flavor the order does not list comes after all listed ones.
 * Plain data and functions: no I/O.
 */
import { DIMENSIONS, exceeds, fmt } from './admission.rules.js';
import { flavorUsable, listedFlavors, wantedFlavors, type FlavorLedger } from './flavor.rules.js';
import type { PoolRouting } from './pool-routing.rules.js';
import type { ActiveAllocation, PoolCapacity, QueuedRun, ResourceRequest, TenantQuota } from './admission.types.js';

/** How long a run waits for a pool of a more preferred GPU type that has room (default). */
export const PREFER_FLAVOR_FOR_SEC = 60;

export type Preference = { defer: true; to: string } | { defer: false; note?: string };

/** The GPU types a run prefers, most preferred first, and whose order it is. */
interface Order {
  types: readonly string[];
  /** Empty for the run's own list; else whose order a run that names no type follows. */
  of: string;
}

export class FlavorPreference {
  /** Free capacity of the other registered pools, computed on the first run that needs it. */
  private free: Map<string, ResourceRequest> | null = null;

  constructor(
    private readonly pool: PoolCapacity,
    private readonly routing: PoolRouting,
    private readonly flavors: FlavorLedger,
    private readonly allocations: readonly ActiveAllocation[],
    /** Every registered pool's capacity; absent: other pools' room is unknown, so nothing is deferred. */
    private readonly capacities: ReadonlyMap<string, ResourceRequest> | undefined,
    private readonly now: Date | undefined,
    private readonly preferForSec = PREFER_FLAVOR_FOR_SEC,
    /** The platform's flavor order for GPU runs that name no type (and whose tenant lists no gpuFlavors). */
    private readonly platformOrder: readonly string[] = [],
  ) {}

  /** The run's own list, else its tenant's gpuFlavors order, else the platform's; null: none. */
  private orderOf(run: QueuedRun, quota: TenantQuota | undefined): Order | null {
    const usable = (types: readonly string[]) => types.filter((t) => flavorUsable(quota, t, run.gpus));
    const own = wantedFlavors(run);
    if (own) return { types: usable(own), of: '' };
    if (run.gpus <= 0) return null;
    const listed = listedFlavors(quota);
    if (listed) return { types: usable(listed.map((f) => f.flavor)), of: `tenant ${run.tenant}'s flavor order (quota gpuFlavors)` };
    return this.platformOrder.length > 0 ? { types: usable(this.platformOrder), of: "the platform's flavor order" } : null;
  }

  /**
   * Whether this pool leaves `run` to a live pool of a more preferred GPU type that has room for
   * it (that pool's room is then counted as taken, so one free slot is not promised twice), or
   * takes it, with a note for the decision log when it runs on a later choice.
   */
  decide(run: QueuedRun, quota: TenantQuota | undefined): Preference {
    // Types the tenant's flavor caps rule out are no one's choice.
    const order = this.orderOf(run, quota);
    if (!order || order.types.length === 0) return { defer: false };
    const { types, of } = order;
    const listedAt = this.pool.flavor ? types.indexOf(this.pool.flavor) : -1;
    // A run's own list routes it only to pools of listed types; an order it merely follows ranks
    // a pool of an unlisted type (or of none) after every listed one.
    const rank = listedAt >= 0 || of === '' ? listedAt : types.length;
    if (rank <= 0) return { defer: false };
    const earlier = types.slice(0, rank);
    const choice = listedAt >= 0
      ? `GPU type ${this.pool.flavor} is choice ${rank + 1} of ${types.join(', ')}${of ? ` (${of})` : ''}`
      : `GPU type ${this.pool.flavor ?? '(none declared)'} is not in ${of}, ${types.join(', ')}`;
    const waited = this.now ? (this.now.getTime() - run.enqueuedAt.getTime()) / 1000 : 0;
    if (waited >= this.preferForSec) {
      return { defer: false, note: `${choice}: it waited ${fmt(waited)} s, past the ${fmt(this.preferForSec)} s it waits for a pool of ${earlier.join(' or ')} with room` };
    }
    if (!this.capacities) return { defer: false, note: `${choice}: the room of pools of ${earlier.join(' or ')} is unknown` };
    const candidates = this.routing.otherLivePools(run, quota)
      .filter((p) => p.flavor !== null && types.includes(p.flavor) && types.indexOf(p.flavor) < rank)
      .sort((a, b) => types.indexOf(a.flavor!) - types.indexOf(b.flavor!));
    for (const p of candidates) {
      const free = this.freeOn(p.name);
      if (!free || DIMENSIONS.some((d) => exceeds(0, run[d.key], free[d.key]))) continue;
      if (quota && !this.flavors.withinNominalOf(run.tenant, quota, p.flavor, run.gpus)) continue;
      for (const d of DIMENSIONS) free[d.key] -= run[d.key];
      return { defer: true, to: p.name };
    }
    const looked = candidates.length > 0 ? candidates.map((p) => `${p.name} (${p.flavor})`).join(', ') : `no live pool of ${earlier.join(' or ')}`;
    return { defer: false, note: `${choice}: ${candidates.length > 0 ? `no room for it now on ${looked}` : looked}` };
  }

  private freeOn(name: string): ResourceRequest | undefined {
    if (!this.free) {
      this.free = new Map();
      for (const [pool, c] of this.capacities ?? []) {
        if (pool !== this.pool.name) this.free.set(pool, { cpus: c.cpus, gpus: c.gpus, memoryMb: c.memoryMb });
      }
      for (const a of this.allocations) {
        const f = this.free.get(a.pool);
        if (f) for (const d of DIMENSIONS) f[d.key] -= a[d.key];
      }
    }
    return this.free.get(name);
  }
}
