import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { errors } from '@fairsweep/service-kit';
import { toExperiment, toTrial } from '../experiment/experiment.mapper.js';
import { ExperimentType, TenantRef, TrialType } from '../experiment/experiment.type.js';
import { TrialProvenanceType } from '../provenance/provenance.type.js';
import { MAX_INLINE_BYTES } from './artifact.rules.js';
import { ArtifactKindEnum, ArtifactType, AttemptOutputType, TenantStorageType, toArtifact } from './artifact.type.js';

/** Thin GraphQL layer over ArtifactService; tenant scoping lives in the service. */
@Resolver(() => ArtifactType)
export class ArtifactResolver {
  @Query(() => ArtifactType, { nullable: true, description: 'An artifact by id (deleted ones too, with their tombstone); null when missing or not visible.' })
  async artifact(@Arg('id', () => ID) id: string, @Ctx() ctx: ExperimentsContext): Promise<ArtifactType | null> {
    const a = await ctx.artifacts.get(id);
    return a && toArtifact(a);
  }

  @Query(() => [ArtifactType], { description: 'Artifacts of a tenant, newest first, optionally of one experiment or trial.' })
  async artifacts(
    @Arg('tenant', () => String) tenant: string,
    @Arg('experimentId', () => ID, { nullable: true }) experimentId: string | null,
    @Arg('trialId', () => ID, { nullable: true }) trialId: string | null,
    @Arg('kind', () => ArtifactKindEnum, { nullable: true }) kind: ArtifactKindEnum | null,
    @Arg('includeDeleted', () => Boolean, { defaultValue: false }) includeDeleted: boolean,
    @Arg('limit', () => Int, { defaultValue: 100, description: '1-1000' }) limit: number,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ArtifactType[]> {
    return (await ctx.artifacts.list(tenant, { experimentId, trialId, kind, includeDeleted, limit })).map(toArtifact);
  }

  @Mutation(() => ArtifactType, {
    description: `Stores a small artifact (at most ${MAX_INLINE_BYTES} bytes decoded) in the tenant store. Content the tenant already holds costs no quota. ` +
      'Over the storage quota: STORAGE_QUOTA_EXCEEDED with usedBytes, requestedBytes and allowedBytes.',
  })
  async uploadArtifact(
    @Arg('tenant', () => String) tenant: string,
    @Arg('name', () => String) name: string,
    @Arg('kind', () => ArtifactKindEnum) kind: ArtifactKindEnum,
    @Arg('contentBase64', () => String) contentBase64: string,
    @Arg('experimentId', () => ID, { nullable: true }) experimentId: string | null,
    @Arg('trialId', () => ID, { nullable: true }) trialId: string | null,
    @Arg('attemptId', () => String, { nullable: true }) attemptId: string | null,
    @Arg('sha256', () => String, { nullable: true, description: 'When given, the content must hash to it (transfer check).' }) sha256: string | null,
    @Arg('reason', () => String, { nullable: true, description: 'Why it is stored (provenance).' }) reason: string | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ArtifactType> {
    return toArtifact(await ctx.artifacts.upload({ tenant, name, kind, contentBase64, experimentId, trialId, attemptId, sha256, reason }));
  }

  @Mutation(() => ArtifactType, { description: 'Deletes an artifact: an append-only tombstone (who, when, why) that frees its quota when no other record holds the same content.' })
  async deleteArtifact(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: ExperimentsContext): Promise<ArtifactType> {
    return toArtifact(await ctx.artifacts.delete(id, reason));
  }

  @FieldResolver(() => String, { description: `The bytes, base64 (artifacts up to ${MAX_INLINE_BYTES} bytes); verified against the digest on read.` })
  async contentBase64(@Root() a: ArtifactType, @Ctx() ctx: ExperimentsContext): Promise<string> {
    const record = await ctx.artifacts.get(a.id);
    if (!record) throw errors.notFound('artifact', a.id);
    return ctx.artifacts.contentBase64(record);
  }

  @FieldResolver(() => ExperimentType, { nullable: true })
  async experiment(@Root() a: ArtifactType, @Ctx() ctx: ExperimentsContext) {
    if (!a.experimentId) return null;
    const e = await ctx.loaders.experiment.load(a.experimentId);
    return e && ctx.principal.canSee(e.tenant) ? toExperiment(e) : null;
  }

  @FieldResolver(() => TrialType, { nullable: true })
  async trial(@Root() a: ArtifactType, @Ctx() ctx: ExperimentsContext) {
    if (!a.trialId) return null;
    const t = await ctx.loaders.trial.load(a.trialId);
    return t && ctx.principal.canSee(t.tenant) ? toTrial(t) : null;
  }
}

@Resolver(() => TenantRef)
export class TenantStorageResolver {
  @FieldResolver(() => TenantStorageType, { description: 'The tenant artifact store: usage against the storage quota, dataset cache hits and misses.' })
  async storage(@Root() t: TenantRef, @Ctx() ctx: ExperimentsContext): Promise<TenantStorageType> {
    return ctx.artifacts.tenantStorage(t.slug);
  }
}

@Resolver(() => ExperimentType)
export class ExperimentArtifactsResolver {
  @FieldResolver(() => [ArtifactType], { description: 'Live artifacts linked to the experiment (or its trials), oldest first.' })
  async artifacts(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<ArtifactType[]> {
    return (await ctx.artifacts.loaders.byExperiment.load(e.id)).map(toArtifact);
  }
}

@Resolver(() => TrialType)
export class TrialArtifactsResolver {
  @FieldResolver(() => [ArtifactType], { description: 'Live artifacts of the trial (logs, checkpoints, models), oldest first.' })
  async artifacts(@Root() t: TrialType, @Ctx() ctx: ExperimentsContext): Promise<ArtifactType[]> {
    return (await ctx.artifacts.loaders.byTrial.load(t.id)).map(toArtifact);
  }

  @FieldResolver(() => [AttemptOutputType], { description: 'What became of each attempt output file: ingested as a log artifact, or why not.' })
  async attemptOutputs(@Root() t: TrialType, @Ctx() ctx: ExperimentsContext): Promise<AttemptOutputType[]> {
    return (await ctx.artifacts.loaders.outputsByTrial.load(t.id)).filter((o) => ctx.principal.canSee(o.tenant));
  }
}

@Resolver(() => TrialProvenanceType)
export class ProvenanceArtifactsResolver {
  @FieldResolver(() => [ArtifactType], { description: 'Artifacts the trial produced or was given (lineage).' })
  async artifacts(@Root() p: TrialProvenanceType, @Ctx() ctx: ExperimentsContext): Promise<ArtifactType[]> {
    return (await ctx.artifacts.loaders.byTrial.load(p.trial.id)).map(toArtifact);
  }

  @FieldResolver(() => [AttemptOutputType], { description: 'Each attempt output file: ingested or why not.' })
  async attemptOutputs(@Root() p: TrialProvenanceType, @Ctx() ctx: ExperimentsContext): Promise<AttemptOutputType[]> {
    return (await ctx.artifacts.loaders.outputsByTrial.load(p.trial.id)).filter((o) => ctx.principal.canSee(o.tenant));
  }
}
