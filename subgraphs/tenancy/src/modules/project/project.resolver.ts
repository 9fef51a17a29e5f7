import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { TenancyContext } from '../../context.js';
import { ProjectType } from '../tenant/tenant.type.js';
import { ProjectQuotaInput, ProjectQuotaType } from './project-quota.type.js';

/** Project limits: readable by whoever sees the tenant (Project is reached only through it). */
@Resolver(() => ProjectType)
export class ProjectResolver {
  @FieldResolver(() => ProjectQuotaType, { nullable: true, description: "The project's current hard limits and GPU-hour budget (latest version); null when none were ever set." })
  async quota(@Root() p: ProjectType, @Ctx() ctx: TenancyContext) {
    return (await ctx.loaders.projectQuotaHistory.load(`${p.tenantSlug}/${p.slug}`))[0] ?? null;
  }

  @FieldResolver(() => [ProjectQuotaType], { description: 'Every project quota version, newest first.' })
  quotaHistory(@Root() p: ProjectType, @Ctx() ctx: TenancyContext) {
    return ctx.loaders.projectQuotaHistory.load(`${p.tenantSlug}/${p.slug}`);
  }

  @Mutation(() => ProjectQuotaType, {
    description: "Platform admins, and tenant admins within their tenant's own quota. Writes a new version of a project's hard limits and GPU-hour budget; the reason is recorded. "
      + "Tenant admins may set a project budget above the tenant's: the tenant budget still applies.",
  })
  setProjectQuota(
    @Arg('tenant', () => String) tenant: string,
    @Arg('project', () => String, { description: 'Project slug.' }) project: string,
    @Arg('quota', () => ProjectQuotaInput) quota: ProjectQuotaInput,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: TenancyContext,
  ) {
    return ctx.projectQuotas.setProjectQuota(tenant, project, quota, reason);
  }
}
