import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ExperimentType } from '../experiment/experiment.type.js';

@ObjectType('TrialCounts')
export class TrialCountsType {
  @Field(() => Int) total!: number;
  @Field(() => Int) succeeded!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Int) pruned!: number;
  @Field(() => Int, { description: 'Pending or running.' }) unfinished!: number;
}

@ObjectType('DeviceUsage', { description: 'Finished attempts on one kind of device, as their pools declare it.' })
export class DeviceUsageType {
  @Field(() => String, { nullable: true }) deviceType!: string | null;
  @Field(() => Float, { nullable: true, description: 'Throughput relative to the reference device; null: not declared (counted as 1).' }) throughputFactor!: number | null;
  @Field(() => Int) attempts!: number;
  @Field(() => Float, { description: 'Wall-clock seconds, not normalised.' }) seconds!: number;
}

@ObjectType('ComparedExperiment', { description: 'One experiment in a comparison. Normalised times are scaled to the reference device: seconds × the pool\'s throughput factor.' })
export class ComparedExperimentType {
  @Field(() => ExperimentType) experiment!: ExperimentType;
  @Field(() => Int, { nullable: true, description: '1 = best objective value; null when it has no result yet or the objectives differ.' }) rank!: number | null;
  @Field(() => TrialCountsType) trials!: TrialCountsType;
  @Field(() => Float, { nullable: true }) bestValue!: number | null;
  @Field(() => Int, { nullable: true }) bestTrialIndex!: number | null;
  @Field(() => GraphQLJSON, { nullable: true }) bestParams!: Record<string, unknown> | null;
  @Field(() => Float, { nullable: true, description: 'Median wall-clock seconds of the succeeded trials\' last attempts.' }) medianTrialSeconds!: number | null;
  @Field(() => Float, { nullable: true }) medianNormalizedTrialSeconds!: number | null;
  @Field(() => Float, { description: 'Wall-clock seconds of every finished attempt.' }) computeSeconds!: number;
  @Field(() => Float) normalizedComputeSeconds!: number;
  @Field(() => Float, { nullable: true, description: 'Normalised seconds of the attempts that finished no later than the best trial.' }) normalizedSecondsToBest!: number | null;
  @Field(() => [DeviceUsageType]) devices!: DeviceUsageType[];
}

@ObjectType('SpecDifference')
export class SpecDifferenceType {
  @Field({ description: 'Dotted path in the normalised spec, e.g. strategy.name or searchSpace.lr.high.' }) path!: string;
  @Field(() => [GraphQLJSON], { nullable: 'items', description: 'One value per experiment, in the order compared; null where absent.' }) values!: unknown[];
}

@ObjectType('ExperimentComparison')
export class ExperimentComparisonType {
  @Field() metric!: string;
  @Field() direction!: string;
  @Field({ description: 'False when the experiments do not optimise the same metric in the same direction (then nothing is ranked).' }) comparable!: boolean;
  @Field(() => [String]) notes!: string[];
  @Field(() => [ComparedExperimentType]) experiments!: ComparedExperimentType[];
  @Field(() => [SpecDifferenceType]) specDifferences!: SpecDifferenceType[];
}
