import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ExperimentStatusEnum {
  RUNNING = 'running',
  CANCELLING = 'cancelling',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(ExperimentStatusEnum, { name: 'ExperimentStatus' });

export enum TrialStateEnum {
  PENDING = 'pending',
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  /** Stopped early by the experiment's pruner (see pruneDecisions). */
  PRUNED = 'pruned',
}
registerEnumType(TrialStateEnum, { name: 'TrialState' });

export enum SpecFormat {
  YAML = 'yaml',
  JSON = 'json',
}
registerEnumType(SpecFormat, { name: 'SpecFormat' });

/** Tenant as the experiments subgraph sees it: a key, extended with the tenant's experiments. */
@ObjectType('Tenant')
@Directive('@key(fields: "slug")')
export class TenantRef {
  @Field(() => ID)
  slug!: string;
}

@ObjectType('Objective')
export class ObjectiveType {
  @Field()
  metric!: string;

  @Field({ description: 'minimize or maximize' })
  direction!: string;
}

@ObjectType('ExperimentProgress')
export class ExperimentProgressType {
  @Field(() => Int) maxTrials!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) pending!: number;
  @Field(() => Int) running!: number;
  @Field(() => Int) succeeded!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Int, { description: 'Trials stopped early by the pruner.' }) pruned!: number;
}

@ObjectType('Experiment', { description: 'An immutable experiment record and its live status.' })
@Directive('@key(fields: "id")')
export class ExperimentType {
  @Field(() => ID)
  id!: string;

  @Field()
  tenantSlug!: string;

  @Field(() => String, { nullable: true })
  project!: string | null;

  @Field()
  name!: string;

  @Field(() => ExperimentStatusEnum)
  status!: ExperimentStatusEnum;

  @Field(() => GraphQLJSON, { description: 'The normalised spec (fairsweep/v1) with every default explicit.' })
  spec!: unknown;

  @Field({ description: 'SHA-256 of the canonical spec.' })
  specHash!: string;

  @Field(() => Float, { description: 'Experiment seed (uint32); trial seeds derive from it.' })
  seed!: number;

  @Field()
  strategy!: string;

  @Field()
  strategyVersion!: string;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Environment snapshot taken at submit (commit, lockfile hashes, image digest, runtimes, allowlisted variables); immutable.' })
  environment!: unknown;

  /** The experiment this one reruns; exposed as `parent`. */
  parentId!: string | null;
}

@ObjectType('Metric')
export class MetricType {
  @Field() name!: string;
  @Field(() => Float) value!: number;
  @Field(() => Int, { nullable: true }) step!: number | null;
  @Field() reportedAt!: Date;
}

@ObjectType('Trial', { description: 'One configuration of an experiment, with its result.' })
@Directive('@key(fields: "id")')
export class TrialType {
  @Field(() => ID) id!: string;
  @Field(() => ID) experimentId!: string;
  @Field() tenant!: string;
  @Field(() => Int) index!: number;
  @Field(() => GraphQLJSON) params!: unknown;
  @Field(() => Float, { description: 'derive(experimentSeed, index); passed to the trial as FAIRSWEEP_SEED.' }) seed!: number;
  @Field(() => TrialStateEnum) state!: TrialStateEnum;
  @Field(() => Float, { nullable: true, description: 'Last reported value of the objective metric.' }) value!: number | null;
  @Field(() => Int) attempt!: number;
  @Field(() => String, { nullable: true }) host!: string | null;
  @Field(() => Int, { nullable: true }) exitCode!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => GraphQLJSON, { description: 'Strategy, version, options and the observations the suggestion was conditioned on.' }) suggestion!: unknown;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}

export enum ProgressKind {
  TRIAL_STATE = 'trial_state',
  METRIC = 'metric',
  EXPERIMENT_FINISHED = 'experiment_finished',
}
registerEnumType(ProgressKind, { name: 'TrialProgressKind' });

@ObjectType('TrialProgressEvent')
export class TrialProgressEventType {
  @Field(() => ProgressKind) kind!: ProgressKind;
  @Field(() => ID) experimentId!: string;
  @Field(() => TrialType, { nullable: true }) trial!: TrialType | null;
  @Field(() => MetricType, { nullable: true }) metric!: MetricType | null;
  @Field(() => ExperimentType) experiment!: ExperimentType;
  @Field() at!: Date;
}
