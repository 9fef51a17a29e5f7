import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { assertCan } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { QueuedTrialType, RunningTrialType } from './queue.type.js';
import { missingEstimateReason, readQueueEstimate } from '../eta/eta.reader.js';
import { explainReason } from '../admission/reason-codes.js';

@Resolver()
export class QueueResolver {
  @Query(() => [QueuedTrialType], { description: 'Trials of the tenant waiting for admission, in the order the tenant\'s own runs are considered (priority class, then age).' })
  async queue(@Arg('tenant', () => String) tenant: string, @Ctx() ctx: ComputeContext): Promise<QueuedTrialType[]> {
    assertCan(ctx.principal, tenant, 'read');
    const rows = await ctx.em.execute<QueuedTrialType[]>(
      `SELECT trial_id AS "trialId", experiment_id AS "experimentId", trial_index AS "trialIndex", pending_reason AS "pendingReason",
         enqueued_at AS "enqueuedAt", cpus, gpus, memory_mb AS "memoryMb", priority,
         row_number() OVER (ORDER BY CASE priority WHEN 'critical' THEN 0 WHEN 'standard' THEN 1 ELSE 2 END, enqueued_at, trial_index, trial_id)::int AS position
       FROM compute.trial_run WHERE tenant = ? AND state = 'queued' ORDER BY position`,
      [tenant],
    );
    if (rows.length === 0) return [];
    // A cached estimate serves only if it has seen every one of these trials; else wait for a new one.
    const est = await readQueueEstimate(ctx.em, ctx.estimate, (e) => rows.every((r) => e.starts.has(r.trialId) || e.unknown.has(r.trialId)));
    return rows.map((r) => {
      const s = est.starts.get(r.trialId);
      // Raw rows carry timestamps as the driver gives them (a string here): GraphQL's DateTimeISO wants a Date.
      const enqueuedAt = new Date(r.enqueuedAt);
      return {
        ...r, enqueuedAt, pendingDetails: explainReason(r.pendingReason), estimatedStartAt: s == null ? null : new Date(est.at.getTime() + s * 1000),
        estimatedStartReason: s == null ? missingEstimateReason(est, r.trialId, enqueuedAt) : null,
      };
    });
  }

  @Query(() => [RunningTrialType], { description: 'Trial attempts of the tenant holding allocations now.' })
  async runningTrials(@Arg('tenant', () => String) tenant: string, @Ctx() ctx: ComputeContext): Promise<RunningTrialType[]> {
    assertCan(ctx.principal, tenant, 'read');
    const rows = await ctx.em.execute<RunningTrialType[]>(
      `SELECT a.trial_id AS "trialId", r.experiment_id AS "experimentId", a.attempt_id::text AS "attemptId", a.attempt, a.pool, a.devices,
         a.work_dir AS "workDir", a.quota_version AS "quotaVersion", a.admitted_at AS "admittedAt", a.borrowed, a.priority,
         a.cancel_requested_at IS NOT NULL AS stopping
       FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id
       WHERE a.tenant = ? AND a.state = 'active' ORDER BY a.admitted_at, a.trial_id`,
      [tenant],
    );
    return rows.map((r) => ({ ...r, admittedAt: new Date(r.admittedAt) }));
  }
}
