import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { TenancyContext } from '../../context.js';
import { CohortPolicyInput, CohortPolicyType, CohortType } from './cohort.type.js';

/** Cohorts and their policies: platform admins set policies; whoever sees a member tenant reads the cohort. */
@Resolver(() => CohortType)
export class CohortResolver {
  @Query(() => [CohortType], { description: 'Cohorts with a member tenant the caller can see (all of them for platform admins), by name.' })
  cohorts(@Ctx() ctx: TenancyContext): Promise<CohortType[]> {
    return ctx.cohortPolicies.listCohorts();
  }

  @Query(() => CohortType, { nullable: true, description: 'A cohort by name; null when it does not exist or the caller sees none of its members.' })
  cohort(@Arg('name', () => String) name: string, @Ctx() ctx: TenancyContext): Promise<CohortType | null> {
    return ctx.cohortPolicies.getCohort(name);
  }

  @Mutation(() => CohortPolicyType, {
    description: "Platform admins only. Writes a new version of a cohort's policy (also for a cohort no tenant names yet); the reason is recorded.",
  })
  setCohortPolicy(
    @Arg('cohort', () => String, { description: 'Cohort name: 2-40 lower-case letters, digits or dashes, starting with a letter (as quotas name it).' }) cohort: string,
    @Arg('policy', () => CohortPolicyInput) policy: CohortPolicyInput,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: TenancyContext,
  ) {
    return ctx.cohortPolicies.setCohortPolicy(cohort, policy, reason);
  }
}
