import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { isUuid } from '../experiment/experiment.service.js';
import { toExperiment, toMetric, toTrial } from '../experiment/experiment.mapper.js';
import { ExperimentType, MetricType, TrialType } from '../experiment/experiment.type.js';

@Resolver(() => TrialType)
export class TrialResolver {
  @Query(() => TrialType, { nullable: true, description: 'A trial by id; null when missing or not visible.' })
  async trial(@Arg('id', () => ID) id: string, @Ctx() ctx: ExperimentsContext): Promise<TrialType | null> {
    if (!isUuid(id)) return null;
    const t = await ctx.loaders.trial.load(id);
    return t && ctx.principal.canSee(t.tenant) ? toTrial(t) : null;
  }

  @FieldResolver(() => ExperimentType)
  async experiment(@Root() t: TrialType, @Ctx() ctx: ExperimentsContext): Promise<ExperimentType> {
    return toExperiment((await ctx.loaders.experiment.load(t.experimentId))!);
  }

  @FieldResolver(() => [MetricType], { description: 'Reported metrics in arrival order, optionally one name only.' })
  async metrics(@Root() t: TrialType, @Arg('name', () => String, { nullable: true }) name: string | null, @Ctx() ctx: ExperimentsContext): Promise<MetricType[]> {
    const all = await ctx.loaders.metricsByTrial.load(t.id);
    return all.filter((m) => !name || m.name === name).map(toMetric);
  }
}
