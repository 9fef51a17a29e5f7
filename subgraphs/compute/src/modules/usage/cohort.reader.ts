import type { EntityManager } from '@mikro-orm/postgresql';
import type { ResourceRequest } from '../admission/admission.types.js';
import { cohortBalance, type CohortBalance } from '../admission/cohort.rules.js';
import { COHORT_POLICY_SQL, cohortPolicyMap, TENANT_QUOTA_COLUMNS, tenantQuotaMap, type TenantQuotaRow } from '../admission/snapshot.columns.js';

export interface CohortState {
  /** Member tenants' slugs (compute's quota replica), sorted. */
  tenants: string[];
  balance: CohortBalance;
  policyVersion: number | null;
}

/** Each named cohort's members and balance, in key order; null for a cohort no quota names. */
export async function readCohorts(em: EntityManager, names: readonly string[]): Promise<(CohortState | null)[]> {
  const list = JSON.stringify(names);
  const quotaRows = await em.execute<TenantQuotaRow[]>(
    `SELECT ${TENANT_QUOTA_COLUMNS} FROM compute.tenant_quota WHERE cohort IN (SELECT jsonb_array_elements_text(?::jsonb)) ORDER BY tenant`, [list]);
  const quotas = tenantQuotaMap(quotaRows);
  const useRows = await em.execute<(ResourceRequest & { tenant: string })[]>(
    `SELECT tenant, sum(cpus)::float8 AS cpus, sum(gpus)::int AS gpus, sum(memory_mb)::int AS "memoryMb"
     FROM compute.allocation WHERE state = 'active' AND tenant IN (SELECT jsonb_array_elements_text(?::jsonb)) GROUP BY tenant`,
    [JSON.stringify([...quotas.keys()])],
  );
  const useOf = new Map(useRows.map(({ tenant, ...u }) => [tenant, u]));
  const policies = cohortPolicyMap(await em.execute(`${COHORT_POLICY_SQL} WHERE cohort IN (SELECT jsonb_array_elements_text(?::jsonb))`, [list]));
  return names.map((name) => {
    const members = [...quotas].filter(([, q]) => q.cohort === name);
    if (members.length === 0) return null;
    const policy = policies.get(name) ?? null;
    return {
      tenants: members.map(([t]) => t),
      balance: cohortBalance(members.map(([t, quota]) => ({ quota, use: useOf.get(t) ?? { cpus: 0, gpus: 0, memoryMb: 0 } })), policy),
      policyVersion: policy?.version ?? null,
    };
  });
}
