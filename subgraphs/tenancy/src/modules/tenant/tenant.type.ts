import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('Tenant', { description: 'A team sharing the platform. Owned by tenancy; other subgraphs extend it.' })
@Directive('@key(fields: "slug")')
export class TenantType {
  @Field(() => ID, { description: 'Immutable identifier, e.g. "demo".' })
  slug!: string;

  @Field()
  name!: string;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('ResourceLimit', { description: 'A per-resource limit; a null field means no limit on that resource.' })
export class ResourceLimitType {
  @Field(() => Float, { nullable: true }) cpus?: number | null;
  @Field(() => Int, { nullable: true }) gpus?: number | null;
  @Field(() => Int, { nullable: true }) memoryMb?: number | null;
}

@InputType('ResourceLimitInput')
export class ResourceLimitInput {
  @Field(() => Float, { nullable: true }) cpus?: number | null;
  @Field(() => Int, { nullable: true }) gpus?: number | null;
  @Field(() => Int, { nullable: true }) memoryMb?: number | null;
}

@ObjectType('GpuFlavorQuota', {
  description: 'The GPUs of one flavor (GPU device type, as pools declare it) a tenant is guaranteed; without a borrowing limit also its cap.',
})
export class GpuFlavorQuotaType {
  @Field({ description: 'The GPU type, e.g. h100 (a pool\'s deviceType).' }) flavor!: string;
  @Field(() => Int, { description: 'Nominal GPUs of the flavor.' }) gpus!: number;
  @Field(() => Int, { nullable: true, description: 'GPUs of the flavor a cohort member may use above gpus, borrowed from members\' unused nominal of it; null = none (gpus is a hard cap).' })
  borrowingLimit?: number | null;
  @Field(() => Int, { nullable: true, description: 'At most this many of its unused GPUs of the flavor are lent to the cohort; null = all of them.' })
  lendingLimit?: number | null;
}

@InputType('GpuFlavorQuotaInput')
export class GpuFlavorQuotaInput {
  @Field({ description: '1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.' }) flavor!: string;
  @Field(() => Int, { description: 'Nominal GPUs of the flavor, >= 0.' }) gpus!: number;
  @Field(() => Int, { nullable: true, description: 'Cohort members only: GPUs of the flavor it may borrow above gpus (>= 0); omit, null or 0 for none.' })
  borrowingLimit?: number | null;
  @Field(() => Int, { nullable: true, description: 'Cohort members only: the most of its unused GPUs of the flavor it lends (0..gpus); omit or null for all.' })
  lendingLimit?: number | null;
}

@ObjectType('Quota', { description: 'A version of a tenant hard quota: admitted work never exceeds it.' })
export class QuotaType {
  @Field(() => Int, { description: 'Policy version; every change creates a new one.' })
  version!: number;

  @Field(() => Float)
  cpus!: number;

  @Field(() => Int)
  gpus!: number;

  @Field(() => Int)
  memoryMb!: number;

  @Field(() => Int, { description: 'Maximum trials running at once.' })
  concurrentTrials!: number;

  @Field(() => Float, { description: 'Fair-share weight: weight 2 is entitled to twice the share of weight 1.' })
  weight!: number;

  @Field(() => [String], { description: 'Priority classes the tenant may use (critical, standard, preemptible).' })
  priorityClasses!: string[];

  @Field(() => Float, { nullable: true, description: 'GPU-hours the tenant may consume per budget period; null = no budget.' })
  gpuHoursBudget!: number | null;

  @Field({ description: 'day, week or month (UTC; the budget resets at the start of each), or decay (each consumed GPU-hour counts 2^(−age / budgetHalfLifeHours): the budget caps recent use and recovers continuously).' })
  budgetPeriod!: string;

  @Field(() => Float, { nullable: true, description: 'decay budgets: hours after which a consumed GPU-hour counts half; null for reset periods.' })
  budgetHalfLifeHours!: number | null;

  @Field({ description: 'When true, a GPU trial starts only if its maximum runtime fits in what is left of the budget.' })
  budgetSafeMode!: boolean;

  @Field(() => String, { nullable: true, description: 'Cohort whose members lend each other unused nominal quota.' })
  cohort!: string | null;

  @Field(() => ResourceLimitType, { nullable: true, description: 'How far above nominal the tenant may borrow; null = as far as the cohort lends.' })
  borrowingLimit!: ResourceLimitType | null;

  @Field(() => ResourceLimitType, { nullable: true, description: 'How much unused nominal quota the tenant lends; null = all of it.' })
  lendingLimit!: ResourceLimitType | null;

  @Field(() => ResourceLimitType, {
    nullable: true,
    description: 'Unused nominal quota the tenant keeps unlent above what it uses now, per resource, so its own new trials start at once instead of waiting for borrowed work to end; null = none (lends all unused nominal, within lendingLimit).',
  })
  lendingHeadroom!: ResourceLimitType | null;

  @Field(() => Float, { nullable: true, description: 'Bytes the tenant may keep in the artifact store (hard limit); null = no limit.' })
  storageBytes!: number | null;

  @Field(() => [GpuFlavorQuotaType], {
    nullable: true,
    description: 'GPU quota per flavor inside gpus: nominal, a hard cap unless borrowingLimit lets a cohort member borrow more; GPUs of unlisted flavors (and of pools without one) may not be used. null = any flavor.',
  })
  gpuFlavors!: GpuFlavorQuotaType[] | null;

  @Field()
  changedBy!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field()
  changedAt!: Date;
}

@InputType('QuotaInput')
export class QuotaInput {
  @Field(() => Float)
  cpus!: number;

  @Field(() => Int)
  gpus!: number;

  @Field(() => Int)
  memoryMb!: number;

  @Field(() => Int)
  concurrentTrials!: number;

  @Field(() => Float, { nullable: true, description: 'Fair-share weight (> 0); default 1.' })
  weight?: number | null;

  @Field(() => [String], { nullable: true, description: 'Default: standard, preemptible. Add critical to allow it.' })
  priorityClasses?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'GPU-hours per budget period; omit or null for no budget.' })
  gpuHoursBudget?: number | null;

  @Field(() => String, { nullable: true, description: 'day, week, month or decay; default month.' })
  budgetPeriod?: string | null;

  @Field(() => Float, { nullable: true, description: 'decay only: half-life in hours (> 0, <= 8760); default 168 (one week). Must be omitted for reset periods.' })
  budgetHalfLifeHours?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  budgetSafeMode?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Cohort to lend to and borrow from; null = none.' })
  cohort?: string | null;

  @Field(() => ResourceLimitInput, { nullable: true, description: 'Per-resource borrowing limit above nominal; null = no limit.' })
  borrowingLimit?: ResourceLimitInput | null;

  @Field(() => ResourceLimitInput, { nullable: true, description: 'Per-resource lending limit; null = lend all unused nominal quota.' })
  lendingLimit?: ResourceLimitInput | null;

  @Field(() => ResourceLimitInput, {
    nullable: true,
    description: 'Per-resource unused nominal kept unlent above current use (cohort members only; each at most the nominal amount); null = none.',
  })
  lendingHeadroom?: ResourceLimitInput | null;

  @Field(() => Float, { nullable: true, description: 'Artifact store bytes (integer); omit or null for no limit.' })
  storageBytes?: number | null;

  @Field(() => [GpuFlavorQuotaInput], {
    nullable: true,
    description: 'GPU quota per flavor (each flavor once, gpus >= 0, optional borrowing and lending limits within the cohort); when set, other flavors may not be used. Omit, null or [] for any flavor.',
  })
  gpuFlavors?: GpuFlavorQuotaInput[] | null;
}

@InputType('CreateTenantInput')
export class CreateTenantInput {
  @Field({ description: 'Lower-case letters, digits and dashes; 2-40 characters; starts with a letter.' })
  slug!: string;

  @Field()
  name!: string;

  @Field(() => QuotaInput)
  quota!: QuotaInput;

  @Field(() => String, { nullable: true, description: 'Subject (JWT sub) made tenant-admin of the new tenant.' })
  admin?: string | null;
}

@ObjectType('Member')
export class MemberType {
  @Field()
  tenant!: string;

  @Field()
  subject!: string;

  @Field()
  role!: string;

  @Field()
  addedBy!: string;

  @Field()
  addedAt!: Date;
}

@ObjectType('Project')
@Directive('@key(fields: "id")')
export class ProjectType {
  @Field(() => ID)
  id!: string;

  @Field()
  tenantSlug!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('Membership')
export class MembershipType {
  @Field()
  tenant!: string;

  @Field()
  role!: string;
}

@ObjectType('Viewer', { description: 'The caller, as the gateway verified it.' })
export class ViewerType {
  @Field()
  subject!: string;

  @Field()
  platformAdmin!: boolean;

  @Field(() => [MembershipType])
  memberships!: MembershipType[];
}
