import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ComputeContext } from '../../context.js';
import { CohortBalanceType, CohortRefType } from './cohort.type.js';

/** Cohort fields owned by compute. Visible to platform admins and to whoever sees one of its members. */
@Resolver(() => CohortRefType)
export class CohortBalanceResolver {
  @FieldResolver(() => CohortBalanceType, {
    nullable: true,
    description: 'What the members hold, lend and borrow now; null when compute knows no member of the cohort or the caller sees none.',
  })
  async balance(@Root() c: CohortRefType, @Ctx() ctx: ComputeContext): Promise<CohortBalanceType | null> {
    const state = await ctx.loaders.cohort.load(c.name);
    if (!state || !(ctx.principal.isPlatformAdmin || state.tenants.some((t) => ctx.principal.canSee(t)))) return null;
    return { members: state.tenants.length, ...state.balance, policyVersion: state.policyVersion };
  }
}

/** `_entities` resolution for Cohort: the name only (balance re-checks who may see it). */
export function resolveCohortReference(ref: { name?: unknown }): CohortRefType | null {
  return typeof ref.name === 'string' ? { name: ref.name } : null;
}
