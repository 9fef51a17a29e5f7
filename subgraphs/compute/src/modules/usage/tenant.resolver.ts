import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { remainingQuota } from './usage.rules.js';
import { GpuBudgetType, RemainingQuotaType, TenantType, TenantUsageType } from './tenant.type.js';
import { budgetView } from './usage.rules.js';

/** Tenant fields owned by compute. Every one re-checks visibility (roots may come from `_entities`). */
@Resolver(() => TenantType)
export class TenantUsageResolver {
  @FieldResolver(() => TenantUsageType, { description: 'Resources in use by running trials, and how many trials wait.' })
  usage(@Root() t: TenantType, @Ctx() ctx: ComputeContext): Promise<TenantUsageType> {
    if (!ctx.principal.canSee(t.slug)) throw errors.notFound('tenant', t.slug);
    return ctx.loaders.usage.load(t.slug);
  }

  @FieldResolver(() => RemainingQuotaType, { nullable: true, description: 'Hard quota minus usage; null while compute has no quota for the tenant.' })
  async remaining(@Root() t: TenantType, @Ctx() ctx: ComputeContext): Promise<RemainingQuotaType | null> {
    if (!ctx.principal.canSee(t.slug)) throw errors.notFound('tenant', t.slug);
    const [quota, usage] = await Promise.all([ctx.loaders.quota.load(t.slug), ctx.loaders.usage.load(t.slug)]);
    return remainingQuota(quota, usage);
  }

  @FieldResolver(() => GpuBudgetType, { nullable: true, description: 'GPU-hour budget, consumption, burn rate and time to exhaustion; null when the tenant has no budget.' })
  async budget(@Root() t: TenantType, @Ctx() ctx: ComputeContext): Promise<GpuBudgetType | null> {
    if (!ctx.principal.canSee(t.slug)) throw errors.notFound('tenant', t.slug);
    const account = await ctx.loaders.budget.load(t.slug);
    return account && budgetView(account, new Date());
  }
}
