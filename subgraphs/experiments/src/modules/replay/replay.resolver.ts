import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { ExperimentsContext } from '../../context.js';
import { TrialEntity } from '../trial/trial.entity.js';
import { PruneDecisionEntity } from '../prune/prune-decision.entity.js';
import { objectiveReports } from '../prune/prune.store.js';
import type { PruneReplayFieldEnum } from '../prune/prune.type.js';
import { replay } from './replay.domain.js';
import { ReplayFieldEnum, ReplayReportType } from './replay.type.js';

@Resolver()
export class ReplayResolver {
  @Query(() => ReplayReportType, { description: 'Re-derives every suggestion and seed of an experiment from its record; reports a match or the first divergence.' })
  async replayExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: ExperimentsContext): Promise<ReplayReportType> {
    const exp = await ctx.experiments.get(id);
    if (!exp) throw errors.notFound('experiment', id);
    const trials = await ctx.em.find(TrialEntity, { experimentId: exp.id }, { orderBy: { index: 'asc' } });
    const decisions = exp.spec.pruner ? await ctx.em.find(PruneDecisionEntity, { experimentId: exp.id }, { orderBy: { metricId: 'asc' } }) : [];
    const report = replay({
      seed: exp.seed, strategy: exp.strategy, strategyVersion: exp.strategyVersion, spec: exp.spec, trials,
      ...(exp.spec.pruner ? {
        pruneDecisions: decisions.map((d) => ({ ...d, metricId: Number(d.metricId), value: Number(d.value) })),
        objectiveReports: await objectiveReports(ctx.em, exp.id, exp.spec.objective.metric),
      } : {}),
    });
    const p = report.prune;
    const pd = p?.firstDivergence;
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
      prune: p
        ? {
            pruner: p.pruner, checked: p.checked, matched: p.matched,
            firstDivergence: pd
              ? { ...pd, field: pd.field as PruneReplayFieldEnum, trialId: trials.find((t) => t.index === pd.trialIndex)?.id ?? null, expected: pd.expected ?? null, actual: pd.actual ?? null }
              : null,
          }
        : null,
    });
  }
}
