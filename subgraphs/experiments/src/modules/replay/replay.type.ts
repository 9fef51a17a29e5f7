import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PruneReplayReportType } from '../prune/prune.type.js';

export enum ReplayFieldEnum {
  STRATEGY = 'strategy',
  OBSERVATIONS = 'observations',
  SEED = 'seed',
  PARAMS = 'params',
  RNG_POSITION = 'rngPosition',
}
registerEnumType(ReplayFieldEnum, { name: 'ReplayField', description: 'What part of a recorded suggestion did not re-derive.' });

@ObjectType('ReplayDivergence', { description: 'The first trial whose recorded suggestion or seed did not re-derive.' })
export class ReplayDivergenceType {
  @Field(() => Int) trialIndex!: number;
  @Field(() => ID, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true, description: 'The parameter that differs (field PARAMS).' }) parameter!: string | null;
  @Field(() => ReplayFieldEnum) field!: ReplayFieldEnum;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The recorded value.' }) expected!: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The re-derived value.' }) actual!: unknown;
  @Field() message!: string;
}

@ObjectType('ReplayReport', { description: 'Every suggestion and seed of an experiment re-derived from its record.' })
export class ReplayReportType {
  @Field(() => ID) experimentId!: string;
  @Field({ description: 'True when every trial re-derived bit for bit.' }) match!: boolean;
  @Field(() => Int, { description: 'Trials re-derived.' }) checked!: number;
  @Field(() => Int, { description: 'Trials whose seed and suggestion matched the record.' }) matched!: number;
  @Field() strategy!: string;
  @Field({ description: 'The strategy version the experiment was recorded with.' }) strategyVersion!: string;
  @Field(() => ReplayDivergenceType, { nullable: true }) firstDivergence!: ReplayDivergenceType | null;
  @Field(() => PruneReplayReportType, { nullable: true, description: 'The pruning decisions re-derived; null when the experiment has no pruner.' })
  prune!: PruneReplayReportType | null;
}
