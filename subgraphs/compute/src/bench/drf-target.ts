/**
 * The weighted DRF allocation of the DRF paper, computed by continuous progressive filling:
 * raise a common level L so that each unfrozen tenant's dominant share is weight × L; when a
 * resource saturates, freeze the tenants that use it; repeat. Returns each tenant's target
 * dominant share — what a discrete scheduler should approach.
 */
export interface DrfTenant {
  name: string;
  weight: number;
  /** Demand of one task, per resource. */
  task: Record<string, number>;
}

export function weightedDrfTargets(capacity: Record<string, number>, tenants: DrfTenant[]): Map<string, number> {
  const keys = Object.keys(capacity);
  const perTaskShare = new Map(tenants.map((t) => [t.name, Math.max(...keys.map((k) => (t.task[k] ?? 0) / capacity[k]!))]));
  const left = { ...capacity };
  const active = new Set(tenants.map((t) => t.name));
  const target = new Map<string, number>();
  let level = 0;
  while (active.size > 0) {
    // Resource use per unit of level by the active tenants.
    let step = Infinity;
    let saturated: string | null = null;
    for (const k of keys) {
      const rate = tenants.filter((t) => active.has(t.name)).reduce((s, t) => s + (t.weight / perTaskShare.get(t.name)!) * (t.task[k] ?? 0), 0);
      if (rate <= 0) continue;
      const dl = left[k]! / rate;
      if (dl < step) {
        step = dl;
        saturated = k;
      }
    }
    if (saturated === null) break;
    level += step;
    for (const k of keys) {
      left[k]! -= tenants.filter((t) => active.has(t.name)).reduce((s, t) => s + (t.weight / perTaskShare.get(t.name)!) * (t.task[k] ?? 0), 0) * step;
    }
    for (const t of tenants) {
      if (active.has(t.name) && (t.task[saturated] ?? 0) > 0) {
        target.set(t.name, t.weight * level);
        active.delete(t.name);
      }
    }
  }
  return target;
}
