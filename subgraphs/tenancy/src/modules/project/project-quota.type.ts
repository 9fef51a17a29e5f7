import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('ProjectQuota', {
  description: "A version of a project's hard limits inside its tenant: admitted work of the project never exceeds them (nor the tenant's quota). A null limit means none on that resource.",
})
export class ProjectQuotaType {
  @Field() tenant!: string;
  @Field({ description: 'Project slug.' }) project!: string;
  @Field(() => Int, { description: 'Project policy version; every change creates a new one.' }) version!: number;
  @Field(() => Float, { nullable: true }) cpus!: number | null;
  @Field(() => Int, { nullable: true }) gpus!: number | null;
  @Field(() => Int, { nullable: true }) memoryMb!: number | null;
  @Field(() => Int, { nullable: true, description: 'Maximum trials of the project running at once.' }) concurrentTrials!: number | null;
  @Field() changedBy!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field() changedAt!: Date;
}

@InputType('ProjectQuotaInput', { description: 'Omit or null a limit for none on that resource (only the tenant quota applies).' })
export class ProjectQuotaInput {
  @Field(() => Float, { nullable: true }) cpus?: number | null;
  @Field(() => Int, { nullable: true }) gpus?: number | null;
  @Field(() => Int, { nullable: true }) memoryMb?: number | null;
  @Field(() => Int, { nullable: true }) concurrentTrials?: number | null;
}
