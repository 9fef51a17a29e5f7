import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { toExperiment, toTrial } from '../experiment/experiment.mapper.js';
import { isUuid } from '../experiment/experiment.service.js';
import type { TrialAttemptEntity } from '../trial/trial-attempt.entity.js';
import type { TrialEntity } from '../trial/trial.entity.js';
import { TrialAttemptType, TrialProvenanceType } from './provenance.type.js';

@Resolver()
export class ProvenanceResolver {
  @Query(() => TrialProvenanceType, { nullable: true, description: 'A trial with its experiment record, suggestion, attempts and environment; null when missing or not visible.' })
  async provenance(@Arg('trialId', () => ID) trialId: string, @Ctx() ctx: ExperimentsContext): Promise<TrialProvenanceType | null> {
    if (!isUuid(trialId)) return null;
    const trial = await ctx.loaders.trial.load(trialId);
    if (!trial || !ctx.principal.canSee(trial.tenant)) return null;
    const [exp, attempts] = await Promise.all([ctx.loaders.experiment.load(trial.experimentId), ctx.loaders.attemptsByTrial.load(trial.id)]);
    if (!exp || !ctx.principal.canSee(exp.tenant)) return null;
    return Object.assign(new TrialProvenanceType(), {
      trial: toTrial(trial),
      experiment: toExperiment(exp),
      suggestion: { ...trial.suggestion, rngPosition: trial.suggestion.rngPosition ?? null },
      experimentSeed: exp.seed,
      seedDerivation: `derive(${exp.seed}, ${trial.index}) = ${trial.seed}`,
      attempts: attempts.length > 0 ? attempts.map(toAttempt) : legacyAttempt(trial),
      environment: exp.environment,
    });
  }
}

function toAttempt(a: TrialAttemptEntity): TrialAttemptType {
  return Object.assign(new TrialAttemptType(), {
    attemptId: a.attemptId, attempt: a.attempt, pool: a.pool, host: a.host, devices: a.devices, startedAt: a.startedAt,
    finishedAt: a.finishedAt, outcome: a.outcome, exitCode: a.exitCode, signal: a.signal, reason: a.reason,
    deviceType: a.deviceType, throughputFactor: a.throughputFactor,
    executor: a.executor, executorVersion: a.executorVersion, quotaVersion: a.quotaVersion, gpus: a.gpus ?? [], isolation: a.isolation ?? [],
  });
}

/** A trial started before attempts were recorded one per row: what the trial row remembers. */
function legacyAttempt(t: TrialEntity): TrialAttemptType[] {
  if (t.attempt === 0 && !t.startedAt) return [];
  return [Object.assign(new TrialAttemptType(), {
    attemptId: null, attempt: t.attempt, pool: null, host: t.host, devices: [], startedAt: t.startedAt, finishedAt: t.finishedAt,
    outcome: ['succeeded', 'failed', 'cancelled'].includes(t.state) ? t.state : null, exitCode: t.exitCode, signal: null, reason: t.reason,
    deviceType: null, throughputFactor: null, executor: null, executorVersion: null, quotaVersion: null, gpus: [], isolation: [],
  })];
}
