import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ExperimentType, TrialType } from '../experiment/experiment.type.js';

@ObjectType('SuggestionRecord', { description: 'How a suggestion was made: enough to re-derive it.' })
export class SuggestionRecordType {
  @Field() strategy!: string;
  @Field() strategyVersion!: string;
  @Field(() => GraphQLJSON) options!: unknown;
  @Field(() => [Int], { description: 'Trial indices of the observations it was conditioned on, in order.' }) observedTrials!: number[];
  @Field(() => Int, { nullable: true, description: 'How far the strategy random stream advanced.' }) rngPosition!: number | null;
}

@ObjectType('TrialAttempt', { description: 'One launch of a trial: where it ran and how it ended.' })
export class TrialAttemptType {
  @Field(() => ID, { nullable: true, description: 'Allocation attempt id; null for attempts recorded before attempts were kept.' }) attemptId!: string | null;
  @Field(() => Int) attempt!: number;
  @Field(() => String, { nullable: true }) pool!: string | null;
  @Field(() => String, { nullable: true }) host!: string | null;
  @Field(() => [String]) devices!: string[];
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => Int, { nullable: true }) exitCode!: number | null;
  @Field(() => String, { nullable: true }) signal!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'The device type its pool declares; null when none.' }) deviceType!: string | null;
  @Field(() => Float, { nullable: true, description: 'Its pool\'s throughput relative to the reference device; null when not declared.' }) throughputFactor!: number | null;
  @Field(() => String, { nullable: true, description: 'The executor plugin that ran it; null when not reported.' }) executor!: string | null;
  @Field(() => String, { nullable: true }) executorVersion!: string | null;
  @Field(() => Int, { nullable: true, description: 'The tenant quota policy version it was admitted under.' }) quotaVersion!: number | null;
  @Field(() => GraphQLJSON, { description: 'What each lent device is: [{ id, uuid, name, memoryMb }].' }) gpus!: unknown[];
  @Field(() => [String], { description: 'How it was isolated (e.g. cgroup v2 limits applied, or why not).' }) isolation!: string[];
}

@ObjectType('TrialProvenance', { description: 'Everything recorded about how a trial came to be and where it ran.' })
export class TrialProvenanceType {
  @Field(() => TrialType) trial!: TrialType;
  @Field(() => ExperimentType, { description: 'The immutable record: spec hash, seed, strategy and version, author, time, environment.' }) experiment!: ExperimentType;
  @Field(() => SuggestionRecordType) suggestion!: SuggestionRecordType;
  @Field(() => Float, { description: 'The experiment seed the trial seed derives from.' }) experimentSeed!: number;
  @Field({ description: 'How the trial seed was derived, e.g. derive(7, 3) = 123.' }) seedDerivation!: string;
  @Field(() => [TrialAttemptType], { description: 'Attempts in order.' }) attempts!: TrialAttemptType[];
  @Field(() => GraphQLJSON, { nullable: true, description: 'The environment snapshot taken at submit.' }) environment!: unknown;
}
