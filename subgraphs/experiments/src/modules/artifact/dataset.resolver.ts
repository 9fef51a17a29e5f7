import { Arg, Ctx, Field, Float, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { ArtifactType, toArtifact } from './artifact.type.js';
import { MAX_INLINE_BYTES } from './artifact.rules.js';
import type { DatasetRecord } from './dataset.service.js';

@ObjectType('Dataset', { description: 'A dataset registered once per tenant by (name, version); its bytes are a dataset artifact.' })
export class DatasetType {
  @Field() tenant!: string;
  @Field() name!: string;
  @Field() version!: string;
  @Field() sha256!: string;
  @Field(() => Float) sizeBytes!: number;
  @Field() artifactId!: string;
  @Field() registeredBy!: string;
  @Field() registeredAt!: Date;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field({ description: 'True once its artifact was deleted; a version is never reused.' }) deleted!: boolean;
}

@ObjectType('DatasetResolution', { description: 'Where a dataset is in the tenant cache, and whether it was already there.' })
export class DatasetResolutionType {
  @Field(() => DatasetType) dataset!: DatasetType;
  @Field({ description: 'The materialised file (read-only), readable by trials on this host.' }) path!: string;
  @Field({ description: 'The tenant dataset cache directory.' }) cacheDir!: string;
  @Field({ description: 'True when the cache already held a good copy (counted as a hit, else a miss).' }) hit!: boolean;
}

const toDataset = (d: DatasetRecord): DatasetType => Object.assign(new DatasetType(), d);

@Resolver(() => DatasetType)
export class DatasetResolver {
  @Query(() => [DatasetType], { description: 'Datasets registered in a tenant, by name then newest first.' })
  async datasets(@Arg('tenant', () => String) tenant: string, @Ctx() ctx: ExperimentsContext): Promise<DatasetType[]> {
    return (await ctx.datasets.list(tenant)).map(toDataset);
  }

  @Mutation(() => DatasetType, {
    description: `Registers a dataset version (at most ${MAX_INLINE_BYTES} bytes inline), stored once per tenant and charged to its storage quota once. ` +
      'The same content again is a no-op; other content under an existing version is CONFLICT.',
  })
  async registerDataset(
    @Arg('tenant', () => String) tenant: string,
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('contentBase64', () => String) contentBase64: string,
    @Arg('sha256', () => String, { nullable: true }) sha256: string | null,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<DatasetType> {
    return toDataset(await ctx.datasets.register({ tenant, name, version, contentBase64, sha256, reason }));
  }

  @Mutation(() => DatasetResolutionType, { description: 'Materialises a dataset (by version or content digest) into the tenant cache and counts a hit or miss.' })
  async resolveDataset(
    @Arg('tenant', () => String) tenant: string,
    @Arg('name', () => String) name: string,
    @Arg('version', () => String, { nullable: true }) version: string | null,
    @Arg('sha256', () => String, { nullable: true }) sha256: string | null,
    @Arg('verify', () => Boolean, { defaultValue: false, description: 'Re-hash a cached copy before calling it a hit.' }) verify: boolean,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<DatasetResolutionType> {
    const r = await ctx.datasets.resolve(tenant, name, { version, sha256 }, verify);
    return { ...r, dataset: toDataset(r.dataset) };
  }

  @FieldResolver(() => ArtifactType, { nullable: true })
  async artifact(@Root() d: DatasetType, @Ctx() ctx: ExperimentsContext): Promise<ArtifactType | null> {
    const a = await ctx.datasets.artifactOf(d);
    return a && toArtifact(a);
  }
}
