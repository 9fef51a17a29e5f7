import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ArtifactRecord } from './artifact.repository.js';

export enum ArtifactKindEnum {
  LOG = 'log',
  CHECKPOINT = 'checkpoint',
  MODEL = 'model',
  DATASET = 'dataset',
  OTHER = 'other',
}
registerEnumType(ArtifactKindEnum, { name: 'ArtifactKind' });

@ObjectType('Artifact', { description: 'A content-addressed file in a tenant artifact store, with its lineage. Records are append-only; deletion is a tombstone.' })
@Directive('@key(fields: "id")')
export class ArtifactType {
  @Field(() => ID) id!: string;
  @Field() tenant!: string;
  @Field() name!: string;
  @Field(() => ArtifactKindEnum) kind!: ArtifactKindEnum;
  @Field({ description: 'SHA-256 of the bytes, 64 hexadecimal characters.' }) sha256!: string;
  @Field({ description: 'The content address, "sha256:<hex>".' }) digest!: string;
  @Field(() => Float) sizeBytes!: number;
  @Field(() => Float, { description: 'Bytes this record added to the tenant usage: 0 when the tenant already held the same content.' }) chargedBytes!: number;
  @Field(() => ID, { nullable: true }) experimentId!: string | null;
  @Field(() => ID, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true }) attemptId!: string | null;
  @Field({ description: 'upload, attempt-output or dataset.' }) source!: string;
  @Field() createdBy!: string;
  @Field() createdAt!: Date;
  @Field(() => String, { nullable: true, description: 'Why it was stored.' }) reason!: string | null;
  @Field(() => Date, { nullable: true }) deletedAt!: Date | null;
  @Field(() => String, { nullable: true }) deletedBy!: string | null;
  @Field(() => String, { nullable: true }) deleteReason!: string | null;
}

@ObjectType('TenantStorage', { description: "A tenant's artifact store: bytes held against its storage quota and dataset cache accounting." })
export class TenantStorageType {
  @Field(() => Float, { description: 'Bytes of distinct live content (de-duplicated within the tenant).' }) usedBytes!: number;
  @Field(() => Float, { nullable: true, description: 'The storage quota (hard limit); null = no limit.' }) allowedBytes!: number | null;
  @Field(() => Float, { nullable: true, description: 'Quota policy version the limit comes from; null = none received yet.' }) quotaVersion!: number | null;
  @Field(() => Float, { description: 'Live (not deleted) artifact records.' }) artifactCount!: number;
  @Field(() => Float) datasetCacheHits!: number;
  @Field(() => Float) datasetCacheMisses!: number;
}

@ObjectType('AttemptOutput', { description: 'What became of one output file of an attempt (its stdout.log or stderr.log).' })
export class AttemptOutputType {
  @Field() attemptId!: string;
  @Field() file!: string;
  @Field({ description: 'ingested, unreachable (not on this host), refused (storage quota) or failed.' }) status!: string;
  @Field(() => ID, { nullable: true }) artifactId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was not ingested.' }) detail!: string | null;
  @Field() recordedAt!: Date;
}

export function toArtifact(a: ArtifactRecord): ArtifactType {
  return Object.assign(new ArtifactType(), { ...a, kind: a.kind as ArtifactKindEnum, digest: `sha256:${a.sha256}` });
}
