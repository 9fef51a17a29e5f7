import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { ExperimentsContext } from '../../context.js';
import { PruneDecisionEntity } from './prune-decision.entity.js';
import { installedPrunerPlugins } from './pruner.registry.js';
import { InstalledPrunerType, PruneDecisionType } from './prune.type.js';

@Resolver()
export class PruneResolver {
  @Query(() => [InstalledPrunerType], { description: 'Pruners (early stopping) installed in this deployment.' })
  pruners(): InstalledPrunerType[] {
    return installedPrunerPlugins();
  }

  @Query(() => [PruneDecisionType], { description: "An experiment's pruning decisions in the order they were made (only the prunes with prunedOnly)." })
  async pruneDecisions(
    @Arg('experimentId', () => ID) experimentId: string,
    @Arg('prunedOnly', { defaultValue: false }) prunedOnly: boolean,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<PruneDecisionType[]> {
    const exp = await ctx.experiments.get(experimentId); // tenant-filtered
    if (!exp) throw errors.notFound('experiment', experimentId);
    const rows = await ctx.em.find(PruneDecisionEntity, { experimentId: exp.id, tenant: exp.tenant, ...(prunedOnly ? { prune: true } : {}) }, { orderBy: { metricId: 'asc' } });
    return rows.map((r) => Object.assign(new PruneDecisionType(), { ...r, id: String(r.id), inputsSha256: r.inputsSha256.trim() }));
  }
}
