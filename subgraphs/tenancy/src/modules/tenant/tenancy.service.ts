import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal, TenantRole } from '@fairsweep/auth';
import { TENANT_ROLES } from '@fairsweep/auth';
import { assertCan, errors, publishEvent, TOPICS, visibleTenantFilter, type TenantQuotaChanged } from '@fairsweep/service-kit';
import { randomUUID } from 'node:crypto';
import { ProjectEntity } from '../project/project.entity.js';
import { QuotaVersionEntity } from '../quota/quota-version.entity.js';
import { validateQuota, validateSlug, type QuotaInputShape, type QuotaLimits } from '../quota/quota.rules.js';
import { MemberEntity, TenantEntity } from './tenant.entity.js';

const SCHEMA = 'tenancy';

/** Tenancy's domain rules: who may create and change what; every change is one transaction. */
export class TenancyService {
  constructor(private readonly em: EntityManager, private readonly principal: Principal) {}

  async listTenants(): Promise<TenantEntity[]> {
    const visible = visibleTenantFilter(this.principal);
    return this.em.find(TenantEntity, visible === null ? {} : { slug: { $in: visible } }, { orderBy: { slug: 'asc' } });
  }

  async getTenant(slug: string): Promise<TenantEntity | null> {
    if (!this.principal.canSee(slug)) return null;
    return this.em.findOne(TenantEntity, { slug });
  }

  async createTenant(input: { slug: string; name: string; quota: QuotaInputShape; admin?: string | null }, reason: string | null): Promise<TenantEntity> {
    if (!this.principal.isPlatformAdmin) throw errors.forbidden('create tenants', input.slug);
    const slug = validateSlug('input.slug', input.slug);
    if (!input.name.trim()) throw errors.invalidInput('input.name', 'must not be empty');
    const quota = validateQuota(input.quota, 'input.quota');
    return this.em.transactional(async (em) => {
      if (await em.findOne(TenantEntity, { slug })) throw errors.conflict(`tenant "${slug}" already exists`, { tenant: slug });
      const tenant = em.create(TenantEntity, { slug, name: input.name.trim(), createdBy: this.principal.subject });
      await em.persistAndFlush(tenant);
      if (input.admin) {
        em.persist(em.create(MemberEntity, { tenant: slug, subject: input.admin, role: 'tenant-admin', addedBy: this.principal.subject }));
      }
      await em.flush();
      await this.writeQuotaVersion(em, slug, 1, quota, reason ?? 'tenant created');
      return tenant;
    });
  }

  async setQuota(tenant: string, limits: QuotaInputShape, reason: string | null): Promise<QuotaVersionEntity> {
    if (!this.principal.isPlatformAdmin) {
      if (!this.principal.canSee(tenant)) throw errors.notFound('tenant', tenant);
      throw errors.forbidden('change quotas (platform admins only)', tenant);
    }
    const quota = validateQuota(limits);
    return this.em.transactional(async (em) => {
      // Lock the tenant row so concurrent changes get consecutive versions.
      const rows = await em.execute<{ slug: string }[]>('SELECT slug FROM tenancy.tenant WHERE slug = ? FOR UPDATE', [tenant]);
      if (rows.length === 0) throw errors.notFound('tenant', tenant);
      const [current] = await em.execute<{ v: number | null }[]>('SELECT max(version) AS v FROM tenancy.quota_version WHERE tenant = ?', [tenant]);
      return this.writeQuotaVersion(em, tenant, (current?.v ?? 0) + 1, quota, reason);
    });
  }

  async createProject(tenant: string, slug: string, name: string): Promise<ProjectEntity> {
    assertCan(this.principal, tenant, 'administer');
    validateSlug('slug', slug);
    return this.em.transactional(async (em) => {
      if (!(await em.findOne(TenantEntity, { slug: tenant }))) throw errors.notFound('tenant', tenant);
      if (await em.findOne(ProjectEntity, { tenant, slug })) throw errors.conflict(`project "${slug}" already exists in tenant "${tenant}"`);
      const project = em.create(ProjectEntity, { id: randomUUID(), tenant, slug, name: name.trim() || slug, createdBy: this.principal.subject });
      em.persist(project);
      return project;
    });
  }

  async addMember(tenant: string, subject: string, role: string): Promise<MemberEntity> {
    assertCan(this.principal, tenant, 'administer');
    if (!(TENANT_ROLES as readonly string[]).includes(role)) throw errors.invalidInput('role', `"${role}" is not one of ${TENANT_ROLES.join(', ')}`);
    if (!subject.trim()) throw errors.invalidInput('subject', 'must not be empty');
    return this.em.transactional(async (em) => {
      if (!(await em.findOne(TenantEntity, { slug: tenant }))) throw errors.notFound('tenant', tenant);
      const existing = await em.findOne(MemberEntity, { tenant, subject });
      if (existing) {
        existing.role = role as TenantRole;
        return existing;
      }
      const member = em.create(MemberEntity, { tenant, subject, role: role as TenantRole, addedBy: this.principal.subject });
      em.persist(member);
      return member;
    });
  }

  private async writeQuotaVersion(em: EntityManager, tenant: string, version: number, q: QuotaLimits, reason: string | null): Promise<QuotaVersionEntity> {
    const row = em.create(QuotaVersionEntity, { tenant, version, ...q, changedBy: this.principal.subject, reason });
    em.persist(row);
    await em.flush();
    const event: TenantQuotaChanged = { tenant, version, ...q, changedBy: this.principal.subject, reason };
    await publishEvent(em, SCHEMA, { topic: TOPICS.tenantQuotaChanged, aggregateId: tenant, tenant, payload: { ...event } });
    return row;
  }
}
