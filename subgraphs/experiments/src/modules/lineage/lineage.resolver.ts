import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { toExperiment } from '../experiment/experiment.mapper.js';
import { ExperimentType } from '../experiment/experiment.type.js';

/** Reruns and the parent/child links between experiments. */
@Resolver(() => ExperimentType)
export class LineageResolver {
  @Mutation(() => ExperimentType, { description: 'Starts a new experiment from a recorded one (same spec and seed), recorded as its child.' })
  async rerunExperiment(
    @Arg('id', () => ID) id: string,
    @Arg('environment', () => GraphQLJSON, { nullable: true, description: 'Environment snapshot of the rerun, as for submitExperiment.' }) environment: unknown,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType> {
    return toExperiment(await ctx.experiments.rerun(id, environment ?? null));
  }

  @FieldResolver(() => ExperimentType, { nullable: true, description: 'The experiment this one reruns.' })
  async parent(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<ExperimentType | null> {
    if (!e.parentId) return null;
    const p = await ctx.loaders.experiment.load(e.parentId);
    return p && ctx.principal.canSee(p.tenant) ? toExperiment(p) : null;
  }

  @FieldResolver(() => [ExperimentType], { description: 'Reruns of this experiment, oldest first.' })
  async children(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<ExperimentType[]> {
    const all = await ctx.loaders.childrenByParent.load(e.id);
    return all.filter((c) => ctx.principal.canSee(c.tenant)).map(toExperiment);
  }
}
