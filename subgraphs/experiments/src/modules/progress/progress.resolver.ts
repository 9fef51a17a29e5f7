import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { createLiveIterator, errors, SOURCES, TOPICS, type OutboxEvent } from '@fairsweep/service-kit';
import type { ExperimentsContext } from '../../context.js';
import { ExperimentEntity } from '../experiment/experiment.entity.js';
import { toExperiment, toMetric, toTrial } from '../experiment/experiment.mapper.js';
import { isUuid } from '../experiment/experiment.service.js';
import { ProgressKind, TrialProgressEventType } from '../experiment/experiment.type.js';
import { TrialEntity } from '../trial/trial.entity.js';

const PROGRESS_TOPICS: string[] = [TOPICS.trialStateChanged, TOPICS.trialMetricRecorded, TOPICS.experimentFinished];

interface ProgressPayload {
  event: OutboxEvent;
  ctx: ExperimentsContext;
}

async function subscribeProgress({ args, context }: SubscribeResolverData<unknown, { experimentId: string }, ExperimentsContext>) {
  const id = args.experimentId;
  const exp = isUuid(id) ? await context.em.fork().findOne(ExperimentEntity, { id }) : null;
  // Same answer for "missing" and "another tenant's": nothing leaks through subscriptions.
  if (!exp || !context.principal.canSee(exp.tenant)) throw errors.notFound('experiment', id);
  return createLiveIterator<ProgressPayload>((push) =>
    context.feed.subscribe(SOURCES.experiments, (event) => {
      if (event.aggregateId === id && PROGRESS_TOPICS.includes(event.topic) && context.principal.canSee(event.tenant)) push({ event, ctx: context });
    }),
  );
}

@Resolver()
export class ProgressResolver {
  @Subscription(() => TrialProgressEventType, {
    subscribe: subscribeProgress as never,
    description: 'Live trial state changes and metrics of one experiment, ending with EXPERIMENT_FINISHED.',
  })
  async trialProgress(@Root() { event, ctx }: ProgressPayload, @Arg('experimentId', () => ID) _experimentId: string): Promise<TrialProgressEventType> {
    ctx.refresh(); // fresh identity map and loaders per event: rows change between events
    const em = ctx.em;
    const exp = await em.findOneOrFail(ExperimentEntity, { id: event.aggregateId });
    const p = event.payload as { trialId?: string; name?: string; value?: number; step?: number | null; at?: string };
    const trial = p.trialId ? await em.findOne(TrialEntity, { id: p.trialId }) : null;
    const kind =
      event.topic === TOPICS.trialMetricRecorded ? ProgressKind.METRIC : event.topic === TOPICS.experimentFinished ? ProgressKind.EXPERIMENT_FINISHED : ProgressKind.TRIAL_STATE;
    return {
      kind,
      experimentId: exp.id,
      experiment: toExperiment(exp),
      trial: trial && toTrial(trial),
      metric: kind === ProgressKind.METRIC ? toMetric({ name: p.name!, value: p.value!, step: p.step ?? null, reportedAt: new Date(p.at!) }) : null,
      at: event.createdAt,
    };
  }
}
