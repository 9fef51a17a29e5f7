import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

@ObjectType('InstalledPruner', { description: 'A pruner (early stopping) plugin installed in this deployment.' })
export class InstalledPrunerType {
  @Field({ description: 'The name a spec uses in pruner.name.' }) name!: string;
  @Field({ description: 'Always "pruner".' }) kind!: string;
  @Field({ description: 'Plugin package version, recorded with every decision.' }) version!: string;
  @Field({ description: 'SDK plugin API version it implements.' }) apiVersion!: string;
}

@ObjectType('PruneDecision', { description: 'One pruning decision (append-only): who decided, on which report, what and why.' })
export class PruneDecisionType {
  @Field(() => ID) id!: string;
  @Field(() => ID) experimentId!: string;
  @Field(() => ID) trialId!: string;
  @Field(() => Int) trialIndex!: number;
  @Field(() => Int, { description: 'The step of the report the decision was made on.' }) step!: number;
  @Field(() => Float, { description: 'The reported objective value at that step.' }) value!: number;
  @Field() pruner!: string;
  @Field() prunerVersion!: string;
  @Field(() => GraphQLJSON) options!: unknown;
  @Field({ description: 'True: the trial was stopped.' }) prune!: boolean;
  @Field() reason!: string;
  @Field(() => GraphQLJSON, { description: 'What replay needs besides the reports: throughMetricId, the states of ended trials, the number of values.' }) inputs!: unknown;
  @Field({ description: 'SHA-256 of the canonical JSON of the context the pruner saw.' }) inputsSha256!: string;
  @Field() decidedBy!: string;
  @Field() decidedAt!: Date;
}

export enum PruneReplayFieldEnum {
  PRUNER = 'pruner',
  REPORT = 'report',
  DECISION = 'decision',
  INPUTS = 'inputs',
}
registerEnumType(PruneReplayFieldEnum, { name: 'PruneReplayField', description: 'What part of a recorded pruning decision did not re-derive.' });

@ObjectType('PruneReplayDivergence', { description: 'The first recorded pruning decision that did not re-derive.' })
export class PruneReplayDivergenceType {
  @Field(() => Int, { description: '1-based position of the decision in record order.' }) decision!: number;
  @Field(() => Int) trialIndex!: number;
  @Field(() => ID, { nullable: true }) trialId!: string | null;
  @Field(() => Int) step!: number;
  @Field(() => PruneReplayFieldEnum) field!: PruneReplayFieldEnum;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The recorded value.' }) expected!: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The re-derived value.' }) actual!: unknown;
  @Field() message!: string;
}

@ObjectType('PruneReplayReport', { description: "An experiment's pruning decisions re-derived from its record." })
export class PruneReplayReportType {
  @Field() pruner!: string;
  @Field(() => Int, { description: 'Decisions re-derived.' }) checked!: number;
  @Field(() => Int, { description: 'Decisions that matched the record.' }) matched!: number;
  @Field(() => PruneReplayDivergenceType, { nullable: true }) firstDivergence!: PruneReplayDivergenceType | null;
}
