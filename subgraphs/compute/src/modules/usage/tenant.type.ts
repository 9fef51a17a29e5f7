import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

/** Tenancy owns Tenant; compute contributes `usage` and `remaining` to it. */
@ObjectType('Tenant')
@Directive('@key(fields: "slug")')
export class TenantType {
  @Field(() => ID)
  slug!: string;
}

@ObjectType('FlavorUsage', { description: 'GPUs of one flavor (GPU device type) in use.' })
export class FlavorUsageType {
  @Field({ description: 'The device type of the pools the GPUs are on, e.g. h100.' })
  flavor!: string;

  @Field(() => Int)
  gpus!: number;
}

@ObjectType('TenantUsage', { description: 'Resources held by the tenant\'s running trials (all pools), and its queue length.' })
export class TenantUsageType {
  @Field(() => Float)
  cpus!: number;

  @Field(() => Int)
  gpus!: number;

  @Field(() => Int)
  memoryMb!: number;

  @Field(() => Int)
  runningTrials!: number;

  @Field(() => Int)
  queuedTrials!: number;

  @Field(() => [FlavorUsageType], { description: 'GPUs in use per flavor, all pools (pools without a device type are left out).' })
  gpusByFlavor!: FlavorUsageType[];
}

@ObjectType('RemainingQuota', { description: 'What the tenant may still start under its hard quota (never below zero).' })
export class RemainingQuotaType {
  @Field(() => Int, { description: 'The quota policy version this is computed from.' })
  quotaVersion!: number;

  @Field(() => Float)
  cpus!: number;

  @Field(() => Int)
  gpus!: number;

  @Field(() => Int)
  memoryMb!: number;

  @Field(() => Int)
  concurrentTrials!: number;
}

@ObjectType('TenantQuotaUpdate', { description: 'A tenant\'s usage and remaining quota at one moment.' })
export class TenantQuotaUpdateType {
  @Field()
  tenant!: string;

  @Field(() => TenantUsageType)
  usage!: TenantUsageType;

  @Field(() => RemainingQuotaType, { nullable: true, description: 'Null while compute has no quota for the tenant.' })
  remaining!: RemainingQuotaType | null;

  @Field()
  at!: Date;
}

@ObjectType('GpuBudget', { description: "A tenant's or project's GPU-hour budget for the current UTC period, from allocation records." })
export class GpuBudgetType {
  @Field(() => Float, { description: 'GPU-hours allowed per period.' })
  gpuHours!: number;

  @Field({ description: 'day, week or month.' })
  period!: string;

  @Field({ description: 'GPU trials start only if their maximum runtime fits what is left.' })
  safeMode!: boolean;

  @Field()
  periodStart!: Date;

  @Field({ description: 'When the period ends and the budget resets.' })
  periodEnd!: Date;

  @Field(() => Float, { description: 'Used this period by finished and running attempts.' })
  consumedGpuHours!: number;

  @Field(() => Float, { description: 'What running attempts may still use before their maximum runtime.' })
  committedGpuHours!: number;

  @Field(() => Float, { description: 'gpuHours − consumed − committed (never below 0).' })
  remainingGpuHours!: number;

  @Field(() => Float, { description: 'Average GPU-hours used per hour so far this period.' })
  burnRateGpuHoursPerHour!: number;

  @Field(() => Date, { nullable: true, description: 'When the budget runs out at the current burn rate; null if it will not this period.' })
  exhaustsAt!: Date | null;
}
