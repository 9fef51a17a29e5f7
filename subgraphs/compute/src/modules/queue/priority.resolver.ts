import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { assertCan, errors } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { changePriority, listPriorityChanges } from './priority.store.js';
import { PriorityChangeType } from './priority.type.js';

@Resolver()
export class PriorityResolver {
  @Mutation(() => [PriorityChangeType], {
    description: 'Changes a queued trial\'s priority class (one the tenant\'s quota allows); tenant admins and platform admins only. Takes effect in the next admission cycle. Returns the record (empty when the class was already that).',
  })
  setTrialPriority(
    @Arg('tenant', () => String) tenant: string,
    @Arg('trialId', () => ID) trialId: string,
    @Arg('priority', () => String) priority: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: ComputeContext,
  ): Promise<PriorityChangeType[]> {
    assertCan(ctx.principal, tenant, 'administer');
    return changePriority(ctx.em, tenant, { trialId }, priority, reason, ctx.principal.subject);
  }

  @Mutation(() => [PriorityChangeType], {
    description: 'Changes the priority class of every queued trial of an experiment; tenant admins and platform admins only. One record per trial changed.',
  })
  setExperimentPriority(
    @Arg('tenant', () => String) tenant: string,
    @Arg('experimentId', () => ID) experimentId: string,
    @Arg('priority', () => String) priority: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: ComputeContext,
  ): Promise<PriorityChangeType[]> {
    assertCan(ctx.principal, tenant, 'administer');
    return changePriority(ctx.em, tenant, { experimentId }, priority, reason, ctx.principal.subject);
  }

  @Query(() => [PriorityChangeType], { description: 'The tenant\'s priority changes, newest first; optionally one trial\'s.' })
  priorityChanges(
    @Arg('tenant', () => String) tenant: string,
    @Arg('trialId', () => ID, { nullable: true }) trialId: string | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: ComputeContext,
  ): Promise<PriorityChangeType[]> {
    assertCan(ctx.principal, tenant, 'read');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw errors.invalidInput('limit', `must be an integer 1-1000, got ${limit}`);
    return listPriorityChanges(ctx.em, tenant, trialId ?? null, limit);
  }
}
