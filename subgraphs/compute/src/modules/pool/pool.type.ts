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

  @Field(() => String, { nullable: true, description: 'The device type the pool declares (FAIRSWEEP_POOL_DEVICE_TYPE); null when none.' })
  deviceType!: string | null;

  @Field(() => Float, { nullable: true, description: 'Throughput relative to the reference device (FAIRSWEEP_POOL_THROUGHPUT_FACTOR); compareExperiments scales trial times by it. Null: not declared (counts as 1).' })
  throughputFactor!: number | null;

  @Field(() => InstalledExecutorType, { nullable: true, description: 'The executor plugin that runs this pool\'s trials. A trial whose trial.executor names it runs only on pools of this executor; one naming an executor no pool runs, on any pool.' })
  executor!: InstalledExecutorType | null;

  @Field({ description: 'A compute replica of the pool heartbeated within the last 30 s: it admits and runs trials now.' })
  live!: boolean;

  @Field(() => Date, { nullable: true, description: 'When a compute replica of the pool was last seen; routing forgets a pool not seen for FAIRSWEEP_POOL_RETENTION_HOURS (default 24 h).' })
  lastSeenAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a platform admin decommissioned the pool (routing forgets it; registering again clears this); null when not.' })
  decommissionedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who decommissioned it, and why.' })
  decommissionedBy!: string | null;

  @Field(() => String, { nullable: true })
  decommissionReason!: string | null;
}

@ObjectType('InstalledExecutor', { description: 'An executor plugin installed in this deployment.' })
export class InstalledExecutorType {
  @Field({ description: 'The name a spec uses in trial.executor.' })
  name!: string;

  @Field({ description: 'Always "executor".' })
  kind!: string;

  @Field()
  version!: string;

  @Field({ description: 'SDK plugin API version it implements.' })
  apiVersion!: string;
}
