/**
 * Which pools may admit a queued run (docs/designs/3-executor-routing.md, 3-gpu-flavors.md):
 * - a run that names a GPU type goes only to pools of that flavor; one that lists several, to pools
 *   of any of them its tenant's flavor caps allow (which of those goes first: flavor-preference.rules.ts);
 * - a run asking for executor X goes only to pools running X, when any registered pool runs X;
 *   when none does, any pool may take it (a spec with the default `local` runs unchanged on a
 *   Slurm-only deployment) and the admission says so.
 * A run no registered pool may take waits, and every pool reports the same reason; so does a run
 * only stopped pools (no live compute replica) may take, naming them. Plain data and functions: no I/O.
 */
import { flavorUsable, wantedFlavors } from './flavor.rules.js';
import type { PoolCapacity, QueuedRun, TenantQuota } from './admission.types.js';

export type Route = { here: true; note?: string } | { here: false; waitReason: string | null };

interface PoolRoute {
  flavor: string | null;
  executor: string | null;
}

const byName = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

export class PoolRouting {
  private readonly pools: ReadonlyMap<string, PoolRoute>;
  private readonly executors: ReadonlySet<string>;
  private readonly here: PoolRoute;

  /**
   * `flavors` and `executors` map every registered pool to its flavor and executor name (null:
   * none or unknown); the pool deciding now is always part of them, with its own values where
   * `pool` carries them.
   */
  constructor(
    private readonly pool: PoolCapacity,
    flavors: ReadonlyMap<string, string | null> | undefined,
    executors: ReadonlyMap<string, string | null> | undefined,
    private readonly live?: ReadonlySet<string>,
  ) {
    const all = new Map<string, PoolRoute>();
    for (const name of new Set([...(flavors?.keys() ?? []), ...(executors?.keys() ?? [])])) {
      all.set(name, { flavor: flavors?.get(name) ?? null, executor: executors?.get(name) ?? null });
    }
    this.here = {
      flavor: pool.flavor ?? null,
      executor: pool.executor !== undefined ? pool.executor : (executors?.get(pool.name) ?? null),
    };
    all.set(pool.name, this.here);
    this.pools = all;
    this.executors = new Set([...all.values()].map((p) => p.executor).filter((e): e is string => e !== null));
  }

  /** The flavor of a registered pool (null: none or unknown). */
  flavorOf(poolName: string): string | null {
    return this.pools.get(poolName)?.flavor ?? null;
  }

  /** Whether a pool with `p`'s flavor and executor may take `run` (of a flavor its tenant's caps allow). */
  private takes(p: PoolRoute, run: QueuedRun, quota: TenantQuota | undefined): boolean {
    const types = wantedFlavors(run);
    if (types !== null && (p.flavor === null || !types.includes(p.flavor) || !flavorUsable(quota, p.flavor, run.gpus))) return false;
    const executor = run.executor ?? null;
    return executor === null || !this.executors.has(executor) || p.executor === executor;
  }

  /**
   * `here` when this pool may take the run (with a `note` for the decision log when it takes it
   * only because no pool runs the executor the run asks for). Otherwise the run is left out of
   * this pool's decision; `waitReason` is set when no registered pool may take it.
   */
  route(run: QueuedRun, quota?: TenantQuota): Route {
    if (this.takes(this.here, run, quota)) {
      const asked = run.executor ?? null;
      return asked !== null && !this.executors.has(asked) && this.here.executor !== null
        ? { here: true, note: `requested executor ${asked}: no pool runs it, runs on executor ${this.here.executor} of pool ${this.pool.name}` }
        : { here: true };
    }
    const stopped: string[] = [];
    for (const [name, p] of this.pools) {
      if (!this.takes(p, run, quota)) continue;
      if (this.isLive(name)) return { here: false, waitReason: null };
      stopped.push(name);
    }
    if (stopped.length === 0) return { here: false, waitReason: this.noPoolReason(run, quota) };
    const which = stopped.sort().map((name) => {
      const p = this.pools.get(name)!;
      return `${name} (${p.executor ?? 'executor unknown'}${p.flavor ? `, ${p.flavor}` : ''})`;
    });
    return { here: false, waitReason: `waits for pool ${which.join(', ')}: no compute replica of it is running` };
  }

  /** The other live pools that may take `run`, by name, with their flavors. */
  otherLivePools(run: QueuedRun, quota: TenantQuota | undefined): { name: string; flavor: string | null }[] {
    const out: { name: string; flavor: string | null }[] = [];
    for (const [name, p] of [...this.pools].sort(byName)) {
      if (name !== this.pool.name && this.isLive(name) && this.takes(p, run, quota)) out.push({ name, flavor: p.flavor });
    }
    return out;
  }

  private isLive(name: string): boolean {
    return name === this.pool.name || !this.live || this.live.has(name);
  }

  private noPoolReason(run: QueuedRun, quota: TenantQuota | undefined): string {
    const all = wantedFlavors(run);
    // Types the tenant's caps rule out are not looked for (at least one is allowed, or admission rejected the run).
    const types = all?.filter((t) => flavorUsable(quota, t, run.gpus)) ?? null;
    const executor = run.executor ?? null;
    const strict = executor !== null && this.executors.has(executor);
    const pools = [...this.pools].sort(byName)
      .map(([name, p]) => (strict ? `${name} (${p.executor ?? 'executor unknown'}${types !== null ? `, ${p.flavor ?? 'no type'}` : ''})` : `${name} (${p.flavor ?? 'no type'})`));
    const type = types === null ? null : `GPU type ${types.join(' or ')}`;
    const wants = strict && type !== null ? `executor ${executor} with ${type}` : strict ? `executor ${executor}` : type;
    const ruledOut = all && types && types.length < all.length ? `; tenant ${run.tenant}'s quota rules out ${all.filter((t) => !types.includes(t)).join(', ')}` : '';
    return `no pool offers ${wants} (pools: ${pools.join(', ')})${ruledOut}`;
  }
}
