import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Float, Int } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { TenancyContext } from '../../context.js';
import { CreateTenantInput, MemberType, ProjectType, QuotaInput, QuotaType, TenantType, ViewerType } from './tenant.type.js';
import type { ProjectEntity } from '../project/project.entity.js';

const toProject = (p: ProjectEntity): ProjectType => Object.assign(new ProjectType(), { id: p.id, tenantSlug: p.tenant, slug: p.slug, name: p.name, createdAt: p.createdAt });

@Resolver(() => TenantType)
export class TenantResolver {
  @Query(() => [TenantType], { description: 'Tenants the caller belongs to (all of them for platform admins).' })
  tenants(@Ctx() ctx: TenancyContext): Promise<TenantType[]> {
    return ctx.tenancy.listTenants();
  }

  @Query(() => TenantType, { nullable: true, description: 'A tenant by slug; null when it does not exist or is not visible.' })
  tenant(@Arg('slug', () => String) slug: string, @Ctx() ctx: TenancyContext): Promise<TenantType | null> {
    return ctx.tenancy.getTenant(slug);
  }

  @Query(() => ViewerType)
  viewer(@Ctx() ctx: TenancyContext): ViewerType {
    return { subject: ctx.principal.subject, platformAdmin: ctx.principal.isPlatformAdmin, memberships: ctx.principal.claims.memberships };
  }

  @FieldResolver(() => QuotaType, { nullable: true, description: 'The current hard quota (latest policy version).' })
  async quota(@Root() t: TenantType, @Ctx() ctx: TenancyContext) {
    return (await ctx.loaders.quotaHistory.load(t.slug))[0] ?? null;
  }

  @FieldResolver(() => [QuotaType], { description: 'Every quota version, newest first.' })
  quotaHistory(@Root() t: TenantType, @Ctx() ctx: TenancyContext) {
    return ctx.loaders.quotaHistory.load(t.slug);
  }

  @FieldResolver(() => [ProjectType])
  async projects(@Root() t: TenantType, @Ctx() ctx: TenancyContext): Promise<ProjectType[]> {
    return (await ctx.loaders.projects.load(t.slug)).map(toProject);
  }

  @FieldResolver(() => [MemberType], { description: 'Visible to tenant admins and platform admins.' })
  async members(@Root() t: TenantType, @Ctx() ctx: TenancyContext): Promise<MemberType[]> {
    if (!ctx.principal.can(t.slug, 'administer')) throw errors.forbidden('list members', t.slug);
    return ctx.loaders.members.load(t.slug);
  }

  @Mutation(() => TenantType, { description: 'Platform admins only. Creates the tenant with its first quota version.' })
  createTenant(
    @Arg('input', () => CreateTenantInput) input: CreateTenantInput,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: TenancyContext,
  ): Promise<TenantType> {
    return ctx.tenancy.createTenant(input, reason);
  }

  @Mutation(() => QuotaType, { description: 'Platform admins only. Writes a new quota version; the reason is recorded.' })
  setTenantQuota(
    @Arg('tenant', () => String) tenant: string,
    @Arg('quota', () => QuotaInput) quota: QuotaInput,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: TenancyContext,
  ) {
    return ctx.tenancy.setQuota(tenant, quota, reason);
  }

  @Mutation(() => ProjectType, { description: 'Tenant admins. Projects group experiments inside a tenant.' })
  async createProject(
    @Arg('tenant', () => String) tenant: string,
    @Arg('slug', () => String) slug: string,
    @Arg('name', () => String) name: string,
    @Ctx() ctx: TenancyContext,
  ): Promise<ProjectType> {
    return toProject(await ctx.tenancy.createProject(tenant, slug, name));
  }

  @Mutation(() => MemberType, { description: 'Tenant admins. Adds a member or changes their role.' })
  addMember(
    @Arg('tenant', () => String) tenant: string,
    @Arg('subject', () => String) subject: string,
    @Arg('role', () => String, { description: 'tenant-admin, member or viewer' }) role: string,
    @Ctx() ctx: TenancyContext,
  ) {
    return ctx.tenancy.addMember(tenant, subject, role);
  }
}

// Keep the scalar imports referenced for decorator metadata in some toolchains.
void Float;
void Int;
