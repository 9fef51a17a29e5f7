import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { ExperimentType } from '../experiment/experiment.type.js';

@Resolver(() => ExperimentType)
export class ExperimentBudgetResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Why the sweep stopped creating trials before budget.maxTrials (budget.gpuHours or budget.deadline spent); null otherwise.' })
  async stopReason(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<string | null> {
    return (await ctx.experiments.get(e.id))?.stopReason ?? null; // tenant-filtered
  }
}
