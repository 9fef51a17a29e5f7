import { errors } from '@fairsweep/service-kit';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { toExperiment } from '../experiment/experiment.mapper.js';
import { isUuid } from '../experiment/experiment.service.js';
import { compareExperiments } from './compare.domain.js';
import { loadCompareInputs } from './compare.store.js';
import { ExperimentComparisonType } from './compare.type.js';

export const COMPARE_MAX = 20;

@Resolver()
export class CompareResolver {
  @Query(() => ExperimentComparisonType, {
    description: `Experiments side by side (2 to ${COMPARE_MAX}, in the order given): outcomes, best result and rank, trial times normalised across device types, and where their specs differ.`,
  })
  async compareExperiments(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: ExperimentsContext): Promise<ExperimentComparisonType> {
    if (ids.length < 2 || ids.length > COMPARE_MAX) throw errors.invalidInput('ids', `give 2 to ${COMPARE_MAX} experiment ids, got ${ids.length}`);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw errors.invalidInput('ids', `experiment "${dup}" is listed twice`);
    const bad = ids.find((id) => !isUuid(id));
    if (bad) throw errors.notFound('experiment', bad);
    const inputs = await loadCompareInputs(ctx.em, ids);
    const visible = new Set(inputs.filter((i) => ctx.principal.canSee(i.tenant)).map((i) => i.id));
    const missing = ids.find((id) => !visible.has(id));
    if (missing) throw errors.notFound('experiment', missing); // the same answer for missing and not visible
    const result = compareExperiments(inputs);
    const records = await ctx.loaders.experiment.loadMany(ids);
    return Object.assign(new ExperimentComparisonType(), {
      ...result,
      experiments: result.experiments.map((e, i) => ({ ...e, experiment: toExperiment(records[i] as Parameters<typeof toExperiment>[0]) })),
    });
  }
}
