import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '@fairsweep/auth';
import { errors, publishEvent, TOPICS, type ProjectQuotaChanged } from '@fairsweep/service-kit';
import { ProjectQuotaVersionEntity } from '../quota/project-quota-version.entity.js';
import { QuotaVersionEntity } from '../quota/quota-version.entity.js';
import { assertWithinTenantQuota, validateProjectQuota, type ProjectQuotaInputShape } from '../quota/project-quota.rules.js';

const SCHEMA = 'tenancy';

/**
 * Per-project hard limits and GPU-hour budget inside a tenant. Platform admins may set any; tenant
 * admins may set their own tenant's projects' limits up to the tenant's own hard limit, and any
 * budget (the tenant's budget still applies on top). Each change is a new immutable version (who,
 * when, why) published as `project.quota.changed` in the same transaction.
 */
export class ProjectQuotaService {
  constructor(private readonly em: EntityManager, private readonly principal: Principal) {}

  async setProjectQuota(tenant: string, project: string, input: ProjectQuotaInputShape, reason: string | null): Promise<ProjectQuotaVersionEntity> {
    const p = this.principal;
    if (!p.isPlatformAdmin && !p.can(tenant, 'administer')) {
      if (!p.canSee(tenant)) throw errors.notFound('tenant', tenant);
      throw errors.forbidden('change project quotas (tenant admins and platform admins only)', tenant);
    }
    const policy = validateProjectQuota(input);
    return this.em.transactional(async (em) => {
      // FOR SHARE on the tenant: a concurrent tenant quota change (FOR UPDATE) is not interleaved
      // with the check below; FOR UPDATE on the project: concurrent changes get consecutive versions.
      const tenants = await em.execute<{ slug: string }[]>('SELECT slug FROM tenancy.tenant WHERE slug = ? FOR SHARE', [tenant]);
      if (tenants.length === 0) throw errors.notFound('tenant', tenant);
      const projects = await em.execute<{ slug: string }[]>('SELECT slug FROM tenancy.project WHERE tenant = ? AND slug = ? FOR UPDATE', [tenant, project]);
      if (projects.length === 0) throw errors.notFound('project', `${tenant}/${project}`);
      if (!p.isPlatformAdmin) {
        const current = await em.findOne(QuotaVersionEntity, { tenant }, { orderBy: { version: 'desc' } });
        if (current) assertWithinTenantQuota(policy, tenant, current);
      }
      const [last] = await em.execute<{ v: number | null }[]>('SELECT max(version) AS v FROM tenancy.project_quota_version WHERE tenant = ? AND project = ?', [tenant, project]);
      const version = (last?.v ?? 0) + 1;
      const row = em.create(ProjectQuotaVersionEntity, { tenant, project, version, ...policy, changedBy: p.subject, reason });
      em.persist(row);
      await em.flush();
      const event: ProjectQuotaChanged = { tenant, project, version, ...policy, changedBy: p.subject, reason };
      await publishEvent(em, SCHEMA, { topic: TOPICS.projectQuotaChanged, aggregateId: `${tenant}/${project}`, tenant, payload: { ...event } });
      return row;
    });
  }
}
