import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('PoolResources')
export class PoolResourcesType {
  @Field(() => Float)
  cpus!: number;

  @Field(() => Int)
  gpus!: number;

  @Field(() => Int)
  memoryMb!: number;
}

@ObjectType('Pool', { description: 'Where trials run: capacity, and what running trials of all tenants hold.' })
export class PoolType {
  @Field(() => ID)
  name!: string;

  @Field(() => PoolResourcesType)
  capacity!: PoolResourcesType;

  @Field(() => PoolResourcesType, { description: 'Held by active allocations (all tenants, totals only).' })
  used!: PoolResourcesType;

  @Field(() => Int)
  runningTrials!: number;

  @Field(() => [String])
  gpuIds!: string[];
}
