/**
 * GPU flavors (docs/designs/3-gpu-flavors.md). A flavor is a GPU device type, the `deviceType` a
 * pool declares. A run that names a `gpuType` is considered only on pools of that flavor
 * (pool-routing.rules.ts); a tenant quota that lists `gpuFlavors` caps its GPUs per flavor and
 * allows no other flavor.
 * Plain data and functions: no I/O.
 */
import { exceeds, fmt } from './admission.rules.js';
import type { ActiveAllocation, GpuFlavorQuota, PoolCapacity, QueuedRun, TenantQuota } from './admission.types.js';

/** The flavor a run needs; only a run with GPUs names one. */
export function wantedFlavor(run: { gpus: number; gpuType?: string | null }): string | null {
  return run.gpus > 0 && run.gpuType ? run.gpuType : null;
}

/** The tenant's per-flavor caps, or null when it has none (any flavor within `gpus`). */
export function listedFlavors(quota: TenantQuota | undefined): readonly GpuFlavorQuota[] | null {
  return quota?.gpuFlavors && quota.gpuFlavors.length > 0 ? quota.gpuFlavors : null;
}

const flavorNames = (list: readonly GpuFlavorQuota[]) => list.map((f) => f.flavor).join(', ');

/**
 * Why a run can never be admitted under its tenant's flavor caps, or null: its GPU type is not
 * listed, or it asks for more GPUs than its flavor's cap.
 */
export function flavorNeverFitsReason(run: QueuedRun, quota: TenantQuota): string | null {
  const type = wantedFlavor(run);
  const list = listedFlavors(quota);
  if (type === null || list === null) return null;
  const entry = list.find((f) => f.flavor === type);
  if (!entry) return `GPU type ${type} is not in tenant ${run.tenant}'s quota (quota v${quota.version} lists GPU flavors ${flavorNames(list)})`;
  if (exceeds(0, run.gpus, entry.gpus)) {
    return `requests ${fmt(run.gpus)} gpus of type ${type}; tenant ${run.tenant} quota (v${quota.version}) allows ${fmt(entry.gpus)} of flavor ${type}`;
  }
  return null;
}

/**
 * GPUs in use per tenant and flavor (active allocations, counted by the flavor of the pool they
 * run on), kept only for tenants whose quota lists flavors, and the wait reasons the caps give on
 * the pool deciding now.
 */
export class FlavorLedger {
  private readonly used = new Map<string, Map<string, number>>();

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

  /** Why the tenant's flavor caps hold `run` on this pool now. */
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
    return exceeds(used, run.gpus, entry.gpus)
      ? [`tenant ${run.tenant} quota: gpus of flavor ${flavor} ${fmt(used)}/${fmt(entry.gpus)} in use, ${fmt(run.gpus)} requested (quota v${quota.version})`]
      : [];
  }

  /** Counts an admitted run on this pool. */
  admit(run: QueuedRun, quota: TenantQuota): void {
    const flavor = this.pool.flavor ?? null;
    if (run.gpus > 0 && flavor !== null && listedFlavors(quota)) this.add(run.tenant, flavor, run.gpus);
  }
}
