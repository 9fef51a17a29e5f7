import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { ExperimentsContext } from '../../context.js';
import { TrialEntity } from '../trial/trial.entity.js';
import { replay } from './replay.domain.js';
import { ReplayFieldEnum, ReplayReportType } from './replay.type.js';

@Resolver()
export class ReplayResolver {
  @Query(() => ReplayReportType, { description: 'Re-derives every suggestion and seed of an experiment from its record; reports a match or the first divergence.' })
  async replayExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: ExperimentsContext): Promise<ReplayReportType> {
    const exp = await ctx.experiments.get(id);
    if (!exp) throw errors.notFound('experiment', id);
    const trials = await ctx.em.find(TrialEntity, { experimentId: exp.id }, { orderBy: { index: 'asc' } });
    const report = replay({ seed: exp.seed, strategy: exp.strategy, strategyVersion: exp.strategyVersion, spec: exp.spec, trials });
    const d = report.firstDivergence;
    return Object.assign(new ReplayReportType(), {
      experimentId: exp.id,
      match: report.match,
      checked: report.checked,
      matched: report.matched,
      strategy: exp.strategy,
      strategyVersion: exp.strategyVersion,
      firstDivergence: d
        ? {
            trialIndex: d.trialIndex,
            trialId: trials.find((t) => t.index === d.trialIndex)?.id ?? null,
            parameter: d.parameter ?? null,
            field: d.field as ReplayFieldEnum,
            expected: d.expected ?? null,
            actual: d.actual ?? null,
            message: d.message,
          }
        : null,
    });
  }
}
