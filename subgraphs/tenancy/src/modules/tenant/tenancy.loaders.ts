import type { EntityManager } from '@mikro-orm/postgresql';
import { groupLoader, keyLoader } from '@fairsweep/service-kit';
import { ProjectEntity } from '../project/project.entity.js';
import { QuotaVersionEntity } from '../quota/quota-version.entity.js';
import { ProjectQuotaVersionEntity } from '../quota/project-quota-version.entity.js';
import { MemberEntity, TenantEntity } from './tenant.entity.js';

/** Per-request batch loaders. Callers pass only tenant slugs the principal may see. */
export function createTenancyLoaders(em: EntityManager) {
  return {
    tenant: keyLoader<string, TenantEntity>((slugs) => em.find(TenantEntity, { slug: { $in: [...slugs] } }), (t) => t.slug),
    quotaHistory: groupLoader<string, QuotaVersionEntity>(
      (slugs) => em.find(QuotaVersionEntity, { tenant: { $in: [...slugs] } }, { orderBy: { version: 'desc' } }),
      (q) => q.tenant,
    ),
    /** Keyed `tenant/project`. */
    projectQuotaHistory: groupLoader<string, ProjectQuotaVersionEntity>(
      (keys) => {
        const pairs = keys.map((k) => k.split('/') as [string, string]);
        return em.find(ProjectQuotaVersionEntity, { tenant: { $in: [...new Set(pairs.map((p) => p[0]))] }, project: { $in: [...new Set(pairs.map((p) => p[1]))] } }, { orderBy: { version: 'desc' } });
      },
      (q) => `${q.tenant}/${q.project}`,
    ),
    /** Projects by id (their tenant is checked by the caller). */
    project: keyLoader<string, ProjectEntity>((ids) => em.find(ProjectEntity, { id: { $in: [...ids] } }), (p) => p.id),
    projects: groupLoader<string, ProjectEntity>((slugs) => em.find(ProjectEntity, { tenant: { $in: [...slugs] } }, { orderBy: { slug: 'asc' } }), (p) => p.tenant),
    members: groupLoader<string, MemberEntity>((slugs) => em.find(MemberEntity, { tenant: { $in: [...slugs] } }, { orderBy: { subject: 'asc' } }), (m) => m.tenant),
  };
}

export type TenancyLoaders = ReturnType<typeof createTenancyLoaders>;
