import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '@fairsweep/auth';
import { errors, PLATFORM_EVENT_TENANT, publishEvent, TOPICS, type CohortPolicyChanged } from '@fairsweep/service-kit';
import { CohortPolicyVersionEntity } from './cohort-policy-version.entity.js';
import { validateCohortName, validateCohortPolicy, type CohortPolicyInputShape } from './cohort-policy.rules.js';

const SCHEMA = 'tenancy';

/** A cohort as the caller sees it: the member tenants it can see, the current policy and every version. */
export interface CohortView {
  name: string;
  /** Slugs of the tenants whose current quota names the cohort and the caller can see, sorted. */
  members: string[];
  /** The latest policy version; null when none was ever set. */
  policy: CohortPolicyVersionEntity | null;
  /** Every policy version, newest first. */
  history: CohortPolicyVersionEntity[];
}

/**
 * Cohort policies: what a cohort as a whole keeps unlent. A cohort exists while a tenant's current
 * quota names it or it has a policy. Platform admins set policies (each change a new immutable
 * version, published as the platform-wide `cohort.policy.changed` in the same transaction) and see
 * every cohort; others see the cohorts of tenants they can see, with only those members.
 */
export class CohortPolicyService {
  constructor(private readonly em: EntityManager, private readonly principal: Principal) {}

  async setCohortPolicy(cohort: string, input: CohortPolicyInputShape, reason: string | null): Promise<CohortPolicyVersionEntity> {
    const p = this.principal;
    if (!p.isPlatformAdmin) throw errors.platformAdminOnly('change cohort policies', { cohort });
    validateCohortName(cohort);
    const policy = validateCohortPolicy(input);
    return this.em.transactional(async (em) => {
      // A cohort has no row of its own to lock: the advisory lock serialises changes to one cohort,
      // so concurrent changes get consecutive versions.
      await em.execute(`SELECT pg_advisory_xact_lock(hashtext('tenancy.cohort:' || ?))`, [cohort]);
      const [last] = await em.execute<{ v: number | null }[]>('SELECT max(version) AS v FROM tenancy.cohort_policy_version WHERE cohort = ?', [cohort]);
      const version = (last?.v ?? 0) + 1;
      const row = em.create(CohortPolicyVersionEntity, { cohort, version, ...policy, changedBy: p.subject, reason });
      em.persist(row);
      await em.flush();
      const event: CohortPolicyChanged = { cohort, version, ...policy, changedBy: p.subject, reason };
      await publishEvent(em, SCHEMA, { topic: TOPICS.cohortPolicyChanged, aggregateId: cohort, tenant: PLATFORM_EVENT_TENANT, payload: { ...event } });
      return row;
    });
  }

  listCohorts(): Promise<CohortView[]> {
    return this.visibleCohorts(null);
  }

  /** null when the cohort does not exist or the caller sees none of its members (platform admins see all). */
  async getCohort(name: string): Promise<CohortView | null> {
    return (await this.visibleCohorts(name))[0] ?? null;
  }

  /** The cohorts the caller sees (only `only` when given), by name. */
  private async visibleCohorts(only: string | null): Promise<CohortView[]> {
    const p = this.principal;
    const cohortIs = only === null ? 'cohort IS NOT NULL' : 'cohort = ?';
    // Members: tenants whose current (highest) quota version names the cohort; cohorts with a
    // policy exist without members too (tenant null).
    const rows = await this.em.execute<{ cohort: string; tenant: string | null }[]>(
      `SELECT cohort, tenant FROM (
         SELECT DISTINCT ON (tenant) tenant, cohort FROM tenancy.quota_version ORDER BY tenant, version DESC
       ) current_quota WHERE ${cohortIs}
       UNION
       SELECT DISTINCT cohort, NULL FROM tenancy.cohort_policy_version WHERE ${cohortIs}`,
      only === null ? [] : [only, only],
    );
    const all = new Map<string, string[]>();
    for (const { cohort, tenant } of rows) {
      const members = all.get(cohort) ?? [];
      if (tenant !== null) members.push(tenant);
      all.set(cohort, members);
    }
    const visible = [...all]
      .filter(([, members]) => p.isPlatformAdmin || members.some((t) => p.canSee(t)))
      .map(([name, members]) => ({ name, members: members.filter((t) => p.canSee(t)).sort() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (visible.length === 0) return [];
    const versions = await this.em.find(CohortPolicyVersionEntity, { cohort: { $in: visible.map((c) => c.name) } }, { orderBy: { version: 'desc' } });
    return visible.map((c) => {
      const history = versions.filter((v) => v.cohort === c.name);
      return { ...c, policy: history[0] ?? null, history };
    });
  }
}
