import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { ComputeContext } from '../../context.js';
import { ExperimentRefType } from './experiment.type.js';
import { readQueueEstimate } from './eta.reader.js';

/**
 * `_entities` resolution for Experiment: the tenant compute recorded for it must be visible to the
 * caller (else null: no existence leak); an experiment compute has never seen resolves with no
 * estimate.
 */
export async function resolveExperimentReference(ref: { id?: unknown }, ctx: ComputeContext): Promise<ExperimentRefType | null> {
  if (typeof ref.id !== 'string') return null;
  const [row] = await ctx.em.execute<{ tenant: string }[]>(
    `SELECT tenant FROM compute.experiment_plan WHERE experiment_id = ?
     UNION ALL SELECT tenant FROM compute.trial_run WHERE experiment_id = ? LIMIT 1`,
    [ref.id, ref.id],
  );
  if (row && !ctx.principal.canSee(row.tenant)) return null;
  return { id: ref.id, tenant: row?.tenant ?? null };
}

@Resolver(() => ExperimentRefType)
export class ExperimentEstimateResolver {
  private async estimate(e: ExperimentRefType, ctx: ComputeContext) {
    if (!e.tenant || !ctx.principal.canSee(e.tenant)) return null;
    const est = await readQueueEstimate(ctx.em, ctx.estimate);
    return { at: est.at, x: est.experiments.get(e.id) ?? null };
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the experiment\'s last trial is expected to end: the scheduler replayed forward over its queued and running trials and those '
      + 'not created yet (at its observed creation rate, within maxParallel), with the experiment\'s observed trial duration. Null when it cannot '
      + 'be told (see estimatedCompletionReason) or nothing is queued or running.',
  })
  async estimatedCompletionAt(@Root() e: ExperimentRefType, @Ctx() ctx: ComputeContext): Promise<Date | null> {
    const r = await this.estimate(e, ctx);
    return r?.x?.completionSec == null ? null : new Date(r.at.getTime() + r.x.completionSec * 1000);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why estimatedCompletionAt is null while trials are queued or running.' })
  async estimatedCompletionReason(@Root() e: ExperimentRefType, @Ctx() ctx: ComputeContext): Promise<string | null> {
    return (await this.estimate(e, ctx))?.x?.reason ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Trials the experiment has not created yet (its maxTrials minus those created), as compute knows it.' })
  async remainingTrials(@Root() e: ExperimentRefType, @Ctx() ctx: ComputeContext): Promise<number | null> {
    return (await this.estimate(e, ctx))?.x?.remainingTrials ?? null;
  }
}
