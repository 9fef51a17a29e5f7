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

@ObjectType('GpuBudget', {
  description: "A tenant's or project's GPU-hour budget, from allocation records: for the current UTC period (day, week, month), or with usage decay "
    + '(decay: each consumed GPU-hour counts 2^(−age / halfLifeHours), so the budget caps recent use and recovers continuously).',
})
export class GpuBudgetType {
  @Field(() => Float, { description: 'GPU-hours allowed per period.' })
  gpuHours!: number;

  @Field({ description: 'day, week, month or decay.' })
  period!: string;

  @Field(() => Float, { nullable: true, description: 'decay: hours after which a consumed GPU-hour counts half; null for reset periods.' })
  halfLifeHours!: number | null;

  @Field({ description: 'GPU trials start only if their maximum runtime fits what is left.' })
  safeMode!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the current period started; null for decay budgets (no periods).' })
  periodStart!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the period ends and the budget resets; null for decay budgets (they never reset).' })
  periodEnd!: Date | null;

  @Field(() => Float, { description: 'Used this period by finished and running attempts (decay: the decayed sum).' })
  consumedGpuHours!: number;

  @Field(() => Float, { description: 'What running attempts may still use before their maximum runtime.' })
  committedGpuHours!: number;

  @Field(() => Float, { description: 'gpuHours − consumed − committed (never below 0).' })
  remainingGpuHours!: number;

  @Field(() => Float, { description: 'Average GPU-hours used per hour so far this period (decay: the decayed average, consumed × ln 2 / halfLifeHours).' })
  burnRateGpuHoursPerHour!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the budget runs out at the current burn rate; null if it will not this period. '
      + 'decay: if the GPUs running now keep running (consumption then tends to GPUs × halfLifeHours / ln 2); null if that stays within the budget.',
  })
  exhaustsAt!: Date | null;
}
