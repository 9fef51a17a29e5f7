import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { errors } from '@fairsweep/service-kit';
import type { ExperimentsContext } from '../../context.js';
import { bestOf } from '../sweep/sweep.rules.js';
import { toExperiment, toTrial } from './experiment.mapper.js';
import {
  ExperimentProgressType, ExperimentStatusEnum, ExperimentType, ObjectiveType, SpecFormat, TenantRef, TrialStateEnum, TrialType,
} from './experiment.type.js';

@Resolver(() => ExperimentType)
export class ExperimentResolver {
  @Query(() => ExperimentType, { nullable: true, description: 'An experiment by id; null when missing or not visible.' })
  async experiment(@Arg('id', () => ID) id: string, @Ctx() ctx: ExperimentsContext): Promise<ExperimentType | null> {
    const e = await ctx.experiments.get(id);
    return e && toExperiment(e);
  }

  @Query(() => [ExperimentType], { description: 'Experiments visible to the caller, newest first.' })
  async experiments(
    @Arg('tenant', () => String, { nullable: true }) tenant: string | null,
    @Arg('status', () => ExperimentStatusEnum, { nullable: true }) status: ExperimentStatusEnum | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType[]> {
    return (await ctx.experiments.list(tenant ?? null, status ?? null, limit)).map(toExperiment);
  }

  @Mutation(() => ExperimentType, { description: 'Submits a spec (fairsweep/v1, YAML or JSON). Invalid specs fail with INVALID_SPEC and store nothing.' })
  async submitExperiment(
    @Arg('tenant', () => String) tenant: string,
    @Arg('spec', () => String) spec: string,
    @Arg('format', () => SpecFormat, { nullable: true, description: 'Detected from the text when omitted.' }) format: SpecFormat | null,
    @Arg('environment', () => GraphQLJSON, { nullable: true, description: 'Environment snapshot (see docs/reproducibility.md); stored immutably. INVALID_INPUT names each bad field.' })
    environment: unknown,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType> {
    return toExperiment(await ctx.experiments.submit(tenant, spec, format ?? null, environment ?? null));
  }

  @Mutation(() => ExperimentType, { description: 'Stops queued and running trials; the experiment ends as CANCELLED.' })
  async cancelExperiment(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType> {
    return toExperiment(await ctx.experiments.cancel(id, reason ?? null));
  }

  @FieldResolver(() => TenantRef)
  tenant(@Root() e: ExperimentType): TenantRef {
    return { slug: e.tenantSlug };
  }

  @FieldResolver(() => ObjectiveType)
  objective(@Root() e: ExperimentType): ObjectiveType {
    return (e.spec as { objective: ObjectiveType }).objective;
  }

  @FieldResolver(() => Int)
  maxTrials(@Root() e: ExperimentType): number {
    return (e.spec as { budget: { maxTrials: number } }).budget.maxTrials;
  }

  @FieldResolver(() => Int)
  maxParallel(@Root() e: ExperimentType): number {
    return (e.spec as { budget: { maxParallel: number } }).budget.maxParallel;
  }

  @FieldResolver(() => [TrialType])
  async trials(
    @Root() e: ExperimentType,
    @Arg('state', () => TrialStateEnum, { nullable: true }) state: TrialStateEnum | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<TrialType[]> {
    const trials = await ctx.loaders.trialsByExperiment.load(e.id);
    return trials.filter((t) => !state || t.state === state).map(toTrial);
  }

  @FieldResolver(() => TrialType, { nullable: true, description: 'The succeeded trial with the best objective value.' })
  async bestTrial(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<TrialType | null> {
    const best = bestOf(await ctx.loaders.trialsByExperiment.load(e.id), (e.spec as { objective: { direction: 'minimize' | 'maximize' } }).objective.direction);
    return best && toTrial(best);
  }

  @FieldResolver(() => ExperimentProgressType)
  async progress(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<ExperimentProgressType> {
    const trials = await ctx.loaders.trialsByExperiment.load(e.id);
    const count = (s: string) => trials.filter((t) => t.state === s).length;
    return {
      maxTrials: (e.spec as { budget: { maxTrials: number } }).budget.maxTrials,
      created: trials.length,
      pending: count('pending'), running: count('running'), succeeded: count('succeeded'), failed: count('failed'), cancelled: count('cancelled'), pruned: count('pruned'),
    };
  }
}

@Resolver(() => TenantRef)
export class TenantExperimentsResolver {
  @FieldResolver(() => [ExperimentType], { description: 'The tenant experiments, newest first.' })
  async experiments(
    @Root() t: TenantRef,
    @Arg('status', () => ExperimentStatusEnum, { nullable: true }) status: ExperimentStatusEnum | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType[]> {
    if (!ctx.principal.canSee(t.slug)) throw errors.notFound('tenant', t.slug);
    const all = await ctx.loaders.experimentsByTenant.load(t.slug);
    return all.filter((e) => !status || e.status === status).map(toExperiment);
  }
}
