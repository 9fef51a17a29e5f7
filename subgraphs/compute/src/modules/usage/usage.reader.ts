import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantQuota } from '../admission/admission.types.js';

export interface TenantUsage {
  cpus: number;
  gpus: number;
  memoryMb: number;
  runningTrials: number;
  queuedTrials: number;
  /** GPUs in use per flavor (the device type of the pool each allocation runs on; untyped pools left out), by flavor name. */
  gpusByFlavor: { flavor: string; gpus: number }[];
}

export type QuotaRow = TenantQuota & { tenant: string };

const IN_LIST = `(SELECT jsonb_array_elements_text(?::jsonb))`;

/** Usage (active allocations, all pools) and queue length of each given tenant, in key order. */
export async function readUsage(em: EntityManager, tenants: readonly string[]): Promise<TenantUsage[]> {
  const rows = await em.execute<(TenantUsage & { tenant: string })[]>(
    `SELECT t.tenant, coalesce(a.cpus, 0)::float8 AS cpus, coalesce(a.gpus, 0)::int AS gpus, coalesce(a.memory_mb, 0)::int AS "memoryMb",
        coalesce(a.running, 0)::int AS "runningTrials", coalesce(q.queued, 0)::int AS "queuedTrials"
     FROM ${IN_LIST} AS t(tenant)
     LEFT JOIN (SELECT tenant, sum(cpus) AS cpus, sum(gpus) AS gpus, sum(memory_mb) AS memory_mb, count(*) AS running
                FROM compute.allocation WHERE state = 'active' AND tenant IN ${IN_LIST} GROUP BY tenant) a ON a.tenant = t.tenant
     LEFT JOIN (SELECT tenant, count(*) AS queued FROM compute.trial_run WHERE state = 'queued' AND tenant IN ${IN_LIST} GROUP BY tenant) q
       ON q.tenant = t.tenant`,
    [JSON.stringify(tenants), JSON.stringify(tenants), JSON.stringify(tenants)],
  );
  const flavorRows = await em.execute<{ tenant: string; flavor: string; gpus: number }[]>(
    `SELECT a.tenant, p.device_type AS flavor, sum(a.gpus)::int AS gpus
     FROM compute.allocation a JOIN compute.pool p ON p.name = a.pool
     WHERE a.state = 'active' AND a.gpus > 0 AND p.device_type IS NOT NULL AND a.tenant IN ${IN_LIST}
     GROUP BY a.tenant, p.device_type ORDER BY a.tenant, p.device_type`,
    [JSON.stringify(tenants)],
  );
  const byTenant = new Map(rows.map((r) => [r.tenant, r]));
  const flavorsOf = new Map<string, { flavor: string; gpus: number }[]>();
  for (const { tenant, flavor, gpus } of flavorRows) flavorsOf.set(tenant, [...(flavorsOf.get(tenant) ?? []), { flavor, gpus }]);
  return tenants.map((t) => {
    const r = byTenant.get(t);
    return {
      cpus: r?.cpus ?? 0, gpus: r?.gpus ?? 0, memoryMb: r?.memoryMb ?? 0, runningTrials: r?.runningTrials ?? 0, queuedTrials: r?.queuedTrials ?? 0,
      gpusByFlavor: flavorsOf.get(t) ?? [],
    };
  });
}

/** The quota replica rows of the given tenants (tenants without one are absent). */
export function readQuotas(em: EntityManager, tenants: readonly string[]): Promise<QuotaRow[]> {
  return em.execute<QuotaRow[]>(
    `SELECT tenant, version, cpus, gpus, memory_mb AS "memoryMb", concurrent_trials AS "concurrentTrials"
     FROM compute.tenant_quota WHERE tenant IN ${IN_LIST}`,
    [JSON.stringify(tenants)],
  );
}
