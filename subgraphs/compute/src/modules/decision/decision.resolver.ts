import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { assertCan, errors } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { SchedulingDecisionType } from './decision.type.js';
import { explainReason } from '../admission/reason-codes.js';

@Resolver()
export class DecisionResolver {
  @Query(() => [SchedulingDecisionType], { description: 'The tenant\'s scheduling decisions, newest first; optionally one trial\'s.' })
  async decisions(
    @Arg('tenant', () => String) tenant: string,
    @Arg('trialId', () => ID, { nullable: true }) trialId: string | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: ComputeContext,
  ): Promise<SchedulingDecisionType[]> {
    assertCan(ctx.principal, tenant, 'read');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw errors.invalidInput('limit', `must be an integer 1-1000, got ${limit}`);
    const rows = await ctx.em.execute<SchedulingDecisionType[]>(
      `SELECT id::text AS id, decided_at AS "decidedAt", pool, tenant, trial_id AS "trialId", attempt_id::text AS "attemptId", kind, reason,
         priority, share, quota_version AS "quotaVersion", inputs_digest AS "inputsDigest"
       FROM compute.decision WHERE tenant = ? AND (?::text IS NULL OR trial_id = ?) ORDER BY id DESC LIMIT ?`,
      [tenant, trialId ?? null, trialId ?? null, limit],
    );
    // Raw rows carry timestamps as the driver gives them (a string): DateTimeISO wants a Date.
    return rows.map((r) => ({ ...r, decidedAt: new Date(r.decidedAt), details: r.kind === 'wait' || r.kind === 'reject' || r.kind === 'preempt' ? explainReason(r.reason) : [] }));
  }
}
