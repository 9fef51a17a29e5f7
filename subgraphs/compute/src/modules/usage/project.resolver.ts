import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { ProjectRefType } from './project.type.js';
import { GpuBudgetType } from './tenant.type.js';
import { budgetView } from './usage.rules.js';

/** Project fields owned by compute. Every one re-checks visibility (roots come from `_entities`). */
@Resolver(() => ProjectRefType)
export class ProjectBudgetResolver {
  @FieldResolver(() => GpuBudgetType, {
    nullable: true,
    description: "The project's GPU-hour budget this period, from the allocations of its trials: consumed, committed, remaining, burn rate, when it runs out "
      + "and when the period resets (periodEnd); null when the project has no budget. The tenant's budget applies as well.",
  })
  @Directive('@requires(fields: "tenantSlug slug")')
  async budget(@Root() p: ProjectRefType, @Ctx() ctx: ComputeContext): Promise<GpuBudgetType | null> {
    if (!ctx.principal.canSee(p.tenantSlug)) throw errors.notFound('tenant', p.tenantSlug);
    const account = await ctx.loaders.projectBudget.load({ tenant: p.tenantSlug, project: p.slug });
    return account && budgetView(account, new Date());
  }
}
