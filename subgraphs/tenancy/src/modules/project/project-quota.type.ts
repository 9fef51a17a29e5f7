import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('ProjectQuota', {
  description: "A version of a project's policy inside its tenant: hard limits (admitted work of the project never exceeds them, nor the tenant's quota; a null limit means none on that resource) "
    + "and a GPU-hour budget per UTC period. The project budget may be larger than the tenant's: both apply, so the tenant budget still caps the project.",
})
export class ProjectQuotaType {
  @Field() tenant!: string;
  @Field({ description: 'Project slug.' }) project!: string;
  @Field(() => Int, { description: 'Project policy version; every change creates a new one.' }) version!: number;
  @Field(() => Float, { nullable: true }) cpus!: number | null;
  @Field(() => Int, { nullable: true }) gpus!: number | null;
  @Field(() => Int, { nullable: true }) memoryMb!: number | null;
  @Field(() => Int, { nullable: true, description: 'Maximum trials of the project running at once.' }) concurrentTrials!: number | null;
  @Field(() => Float, { nullable: true, description: "GPU-hours the project may consume per budget period; null = no project budget (the tenant's still applies)." })
  gpuHoursBudget!: number | null;
  @Field({ description: 'day, week or month (UTC; the project budget resets at the start of each), or decay (each consumed GPU-hour counts 2^(−age / budgetHalfLifeHours)).' }) budgetPeriod!: string;
  @Field(() => Float, { nullable: true, description: 'decay budgets: hours after which a consumed GPU-hour counts half; null for reset periods.' })
  budgetHalfLifeHours!: number | null;
  @Field({ description: "When true, a GPU trial of the project starts only if its maximum runtime fits in what is left of the project budget (and of the tenant's); when false, none starts once the project budget is spent." })
  budgetSafeMode!: boolean;
  @Field() changedBy!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field() changedAt!: Date;
}

@InputType('ProjectQuotaInput', {
  description: 'A complete new version (omitted fields take their defaults, not the previous version\'s). Omit or null a limit for none on that resource (only the tenant quota applies).',
})
export class ProjectQuotaInput {
  @Field(() => Float, { nullable: true }) cpus?: number | null;
  @Field(() => Int, { nullable: true }) gpus?: number | null;
  @Field(() => Int, { nullable: true }) memoryMb?: number | null;
  @Field(() => Int, { nullable: true }) concurrentTrials?: number | null;
  @Field(() => Float, { nullable: true, description: "GPU-hours per budget period (>= 0); omit or null for no project budget. May exceed the tenant's budget, which still applies." })
  gpuHoursBudget?: number | null;
  @Field(() => String, { nullable: true, description: 'day, week, month or decay; default month.' }) budgetPeriod?: string | null;
  @Field(() => Float, { nullable: true, description: 'decay only: half-life in hours (> 0, <= 8760); default 168 (one week). Must be omitted for reset periods.' })
  budgetHalfLifeHours?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) budgetSafeMode?: boolean | null;
}
