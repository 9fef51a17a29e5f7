/**
 * GPU flavors (docs/designs/3-gpu-flavors.md). A flavor is a GPU device type, the `deviceType` a
 * pool declares. A run that names a `gpuType` (or a preference list of them) is considered only
 * on pools of those flavors (pool-routing.rules.ts, flavor-preference.rules.ts); a tenant quota
 * that lists `gpuFlavors` caps its GPUs per flavor and allows no other flavor.
 * Plain data and functions: no I/O.
 */
import { GPU_TYPE_PATTERN, GPU_TYPE_RULE } from '@fairsweep/sdk';
import { exceeds, fmt } from './admission.rules.js';
import type { ActiveAllocation, GpuFlavorQuota, PoolCapacity, QueuedRun, TenantQuota } from './admission.types.js';

/**
 * The flavors a run may use, most preferred first; only a run with GPUs names any. Null: any pool.
 */
export function wantedFlavors(run: { gpus: number; gpuTypes?: readonly string[] | null }): readonly string[] | null {
  return run.gpus > 0 && run.gpuTypes && run.gpuTypes.length > 0 ? run.gpuTypes : null;
}

/** The request's `gpuType` (one type or a preference list) as the list a queued run stores, or null. */
export function requestedFlavors(resources: { gpus: number; gpuType?: string | readonly string[] | null }): string[] | null {
  const t = resources.gpuType;
  if (resources.gpus <= 0 || t === undefined || t === null) return null;
  return typeof t === 'string' ? [t] : [...t];
}

/** The tenant's per-flavor caps, or null when it has none (any flavor within `gpus`). */
export function listedFlavors(quota: TenantQuota | undefined): readonly GpuFlavorQuota[] | null {
  return quota?.gpuFlavors && quota.gpuFlavors.length > 0 ? quota.gpuFlavors : null;
}

const flavorNames = (list: readonly { flavor: string }[]) => list.map((f) => f.flavor).join(', ');

/** The most GPUs of a flavor the tenant may ever hold: its entry's nominal, plus its borrowing limit in a cohort. */
function flavorMost(entry: GpuFlavorQuota, quota: TenantQuota): number {
  return entry.gpus + (quota.cohort ? (entry.borrowingLimit ?? 0) : 0);
}

/**
 * Whether the tenant's flavor caps ever let `gpus` GPUs run on a pool of `flavor` (null: a pool
 * without one). Always true when its quota lists no flavors.
 */
export function flavorUsable(quota: TenantQuota | undefined, flavor: string | null, gpus: number): boolean {
  const list = listedFlavors(quota);
  if (list === null || gpus === 0) return true;
  const entry = flavor === null ? undefined : list.find((f) => f.flavor === flavor);
  return entry !== undefined && !exceeds(0, gpus, flavorMost(entry, quota!));
}

/**
 * Why a run can never be admitted under its tenant's flavor caps, or null: none of its GPU types
 * is listed, or it asks for more GPUs than each listed type's cap. Types the caps rule out are
 * left out of its routing (flavorUsable) while another of its types can run.
 */
export function flavorNeverFitsReason(run: QueuedRun, quota: TenantQuota): string | null {
  const types = wantedFlavors(run);
  const list = listedFlavors(quota);
  if (types === null || list === null || types.some((t) => flavorUsable(quota, t, run.gpus))) return null;
  const entries = types.flatMap((t) => list.filter((f) => f.flavor === t));
  const named = types.length === 1 ? `GPU type ${types[0]}` : `GPU types ${types.join(', ')}`;
  if (entries.length === 0) {
    return `${named} ${types.length === 1 ? 'is' : 'are'} not in tenant ${run.tenant}'s quota (quota v${quota.version} lists GPU flavors ${flavorNames(list)})`;
  }
  const allows = entries.map((entry) => {
    const most = flavorMost(entry, quota);
    const borrowing = most > entry.gpus ? ` (nominal ${fmt(entry.gpus)} + borrowing limit ${fmt(most - entry.gpus)})` : '';
    return `${fmt(most)} of flavor ${entry.flavor}${borrowing}`;
  });
  const unlisted = types.filter((t) => !list.some((f) => f.flavor === t));
  return `requests ${fmt(run.gpus)} gpus of type ${types.join(' or ')}; tenant ${run.tenant} quota (v${quota.version}) allows ${allows.join(', ')}` +
    (unlisted.length > 0 ? ` and none of ${unlisted.join(', ')}` : '');
}

/** What a tenant's entry for a flavor lends to its cohort at `used` GPUs of it, and what it borrows. */
function lends(entry: GpuFlavorQuota, used: number): number {
  return Math.min(entry.lendingLimit ?? Infinity, Math.max(0, entry.gpus - used));
}
const borrows = (entry: GpuFlavorQuota, used: number) => Math.max(0, used - entry.gpus);

/**
 * GPUs in use per tenant and flavor (active allocations, counted by the flavor of the pool they
 * run on), kept only for tenants whose quota lists flavors, and the wait reasons the per-flavor
 * quotas give on the pool deciding now. A listed flavor's `gpus` is the tenant's nominal of it;
 * a cohort member whose entry has a `borrowingLimit` may go that far above it, on what the
 * cohort's members lend of the flavor (each: its unused nominal of it, within its entry's
 * `lendingLimit`); without one, `gpus` is a hard cap.
 */
export class FlavorLedger {
  private readonly used = new Map<string, Map<string, number>>();
  /** Per cohort and flavor: GPUs lent by members' unused nominal, and GPUs borrowed above nominal. */
  private readonly cohorts = new Map<string, Map<string, { lent: number; borrowed: number }>>();

  constructor(
    private readonly pool: PoolCapacity,
    quotas: ReadonlyMap<string, TenantQuota>,
    allocations: readonly ActiveAllocation[],
    routing: { flavorOf(poolName: string): string | null },
  ) {
    let any = false;
    for (const q of quotas.values()) if (listedFlavors(q)) any = true;
    if (!any) return;
    for (const a of allocations) {
      if (a.gpus === 0 || !listedFlavors(quotas.get(a.tenant))) continue;
      const flavor = routing.flavorOf(a.pool);
      if (flavor !== null) this.add(a.tenant, flavor, a.gpus);
    }
    for (const [tenant, q] of quotas) {
      const list = listedFlavors(q);
      if (!q.cohort || !list) continue;
      for (const entry of list) {
        const t = this.balance(q.cohort, entry.flavor);
        const used = this.usedOf(tenant, entry.flavor);
        t.lent += lends(entry, used);
        t.borrowed += borrows(entry, used);
      }
    }
  }

  private balance(cohort: string, flavor: string): { lent: number; borrowed: number } {
    let byFlavor = this.cohorts.get(cohort);
    if (!byFlavor) this.cohorts.set(cohort, (byFlavor = new Map()));
    let t = byFlavor.get(flavor);
    if (!t) byFlavor.set(flavor, (t = { lent: 0, borrowed: 0 }));
    return t;
  }

  private add(tenant: string, flavor: string, gpus: number): void {
    let byFlavor = this.used.get(tenant);
    if (!byFlavor) this.used.set(tenant, (byFlavor = new Map()));
    byFlavor.set(flavor, (byFlavor.get(flavor) ?? 0) + gpus);
  }

  /** GPUs of `flavor` the tenant uses now (only tracked for tenants whose quota lists flavors). */
  usedOf(tenant: string, flavor: string): number {
    return this.used.get(tenant)?.get(flavor) ?? 0;
  }

  /** The tenant's entry for this pool's flavor, when `run` uses GPUs here and its quota lists flavors. */
  private entryHere(run: QueuedRun, quota: TenantQuota): GpuFlavorQuota | null {
    const flavor = this.pool.flavor ?? null;
    if (run.gpus === 0 || flavor === null) return null;
    return listedFlavors(quota)?.find((f) => f.flavor === flavor) ?? null;
  }

  /** Whether `gpus` more GPUs of `flavor` keep the tenant within its nominal of it (always, when its quota lists no flavors). */
  withinNominalOf(tenant: string, quota: TenantQuota, flavor: string | null, gpus: number): boolean {
    const list = listedFlavors(quota);
    if (list === null || gpus === 0) return true;
    const entry = flavor === null ? undefined : list.find((f) => f.flavor === flavor);
    return entry !== undefined && !exceeds(this.usedOf(tenant, entry.flavor), gpus, entry.gpus);
  }

  /** Whether admitting `run` here takes its tenant above its nominal of this pool's flavor (borrowing it from the cohort). */
  borrows(run: QueuedRun, quota: TenantQuota): boolean {
    const entry = this.entryHere(run, quota);
    return entry !== null && exceeds(this.usedOf(run.tenant, entry.flavor), run.gpus, entry.gpus);
  }

  /** Why the tenant's per-flavor quota holds `run` on this pool now. */
  reasons(run: QueuedRun, quota: TenantQuota): string[] {
    const list = listedFlavors(quota);
    if (list === null || run.gpus === 0) return [];
    const flavor = this.pool.flavor ?? null;
    if (flavor === null) {
      return [`tenant ${run.tenant} quota: no GPUs of pools without a flavor (pool ${this.pool.name} declares no GPU type; quota v${quota.version} lists ${flavorNames(list)})`];
    }
    const entry = list.find((f) => f.flavor === flavor);
    if (!entry) return [`tenant ${run.tenant} quota: no GPUs of flavor ${flavor} (quota v${quota.version} lists ${flavorNames(list)})`];
    const used = this.usedOf(run.tenant, flavor);
    if (!exceeds(used, run.gpus, entry.gpus)) return [];
    const borrowing = quota.cohort ? (entry.borrowingLimit ?? 0) : 0;
    if (borrowing <= 0) {
      return [`tenant ${run.tenant} quota: gpus of flavor ${flavor} ${fmt(used)}/${fmt(entry.gpus)} in use, ${fmt(run.gpus)} requested (quota v${quota.version})`];
    }
    if (exceeds(used, run.gpus, entry.gpus + borrowing)) {
      return [`tenant ${run.tenant} borrowing limit: gpus of flavor ${flavor} ${fmt(used)}/${fmt(entry.gpus + borrowing)} in use (nominal ${fmt(entry.gpus)}), ${fmt(run.gpus)} requested (quota v${quota.version})`];
    }
    const { lent, borrowed } = this.balanceWith(run.tenant, quota.cohort!, entry, run.gpus);
    return borrowed > lent + 1e-9
      ? [`cohort ${quota.cohort}: gpus of flavor ${flavor} ${fmt(borrowed)} would be borrowed, members lend ${fmt(lent)}`]
      : [];
  }

  /** The cohort's totals of the entry's flavor if the tenant used `gpus` more of it. */
  private balanceWith(tenant: string, cohort: string, entry: GpuFlavorQuota, gpus: number): { lent: number; borrowed: number } {
    const t = this.balance(cohort, entry.flavor);
    const used = this.usedOf(tenant, entry.flavor);
    return {
      lent: t.lent + lends(entry, used + gpus) - lends(entry, used),
      borrowed: t.borrowed + borrows(entry, used + gpus) - borrows(entry, used),
    };
  }

  /** Counts an admitted run on this pool. */
  admit(run: QueuedRun, quota: TenantQuota): void {
    const flavor = this.pool.flavor ?? null;
    if (run.gpus === 0 || flavor === null || !listedFlavors(quota)) return;
    const entry = this.entryHere(run, quota);
    if (entry && quota.cohort) {
      const after = this.balanceWith(run.tenant, quota.cohort, entry, run.gpus);
      Object.assign(this.balance(quota.cohort, entry.flavor), after);
    }
    this.add(run.tenant, flavor, run.gpus);
  }
}

const GPU_TYPE = new RegExp(GPU_TYPE_PATTERN);

/**
 * The platform's GPU flavor order (FAIRSWEEP_GPU_FLAVOR_ORDER: comma-separated GPU types, most
 * preferred first): the order a GPU run that names no type tries pools in, when its tenant's
 * quota lists no `gpuFlavors`. Empty or unset: none (any pool, as it comes). Throws, naming the
 * setting and the entry, on a malformed or repeated type.
 */
export function parseGpuFlavorOrder(raw: string | undefined, name = 'FAIRSWEEP_GPU_FLAVOR_ORDER'): string[] {
  const types = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  types.forEach((t, i) => {
    if (!GPU_TYPE.test(t)) throw new Error(`${name}: entry ${i + 1} "${t}" is not a GPU type (${GPU_TYPE_RULE}); give a comma-separated list such as "h100,a100"`);
    if (types.indexOf(t) !== i) throw new Error(`${name}: "${t}" is listed twice (entries ${types.indexOf(t) + 1} and ${i + 1}); list each GPU type once`);
  });
  return types;
}
