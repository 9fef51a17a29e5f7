import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

/** Tenancy owns Tenant; compute contributes `usage` and `remaining` to it. */
@ObjectType('Tenant')
@Directive('@key(fields: "slug")')
export class TenantType {
  @Field(() => ID)
  slug!: string;
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
