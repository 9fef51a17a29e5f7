import { Directive, Field, InputType, Int, ObjectType } from 'type-graphql';
import { ResourceLimitInput, ResourceLimitType } from '../tenant/tenant.type.js';

const HEADROOM = 'Lendable capacity the cohort as a whole keeps unlent, per resource: members borrow only while what is borrowed stays this far below what members lend, '
  + "so members' own new trials start at once. null = none: idle quota is lent in full.";

@ObjectType('CohortPolicy', { description: "A version of a cohort's own policy: what the cohort as a whole keeps. Every change creates a new version." })
export class CohortPolicyType {
  @Field({ description: 'The cohort name, as tenants\' quotas name it.' }) cohort!: string;
  @Field(() => Int, { description: 'Cohort policy version; every change creates a new one.' }) version!: number;
  @Field(() => ResourceLimitType, { nullable: true, description: HEADROOM }) lendingHeadroom!: ResourceLimitType | null;
  @Field() changedBy!: string;
  @Field() changedAt!: Date;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('Cohort', {
  description: "A group of tenants that lend each other unused nominal quota. It exists while a tenant's current quota names it or it has a policy. Owned by tenancy; compute adds its balance.",
})
@Directive('@key(fields: "name")')
export class CohortType {
  @Field({ description: 'The name tenants\' quotas give as their cohort.' }) name!: string;
  @Field(() => [String], { description: 'Slugs of the tenants whose current quota names the cohort, those the caller can see, sorted.' }) members!: string[];
  @Field(() => CohortPolicyType, { nullable: true, description: "The cohort's current policy (latest version); null when none was ever set (no cohort headroom)." })
  policy!: CohortPolicyType | null;
  @Field(() => [CohortPolicyType], { description: 'Every cohort policy version, newest first.' }) history!: CohortPolicyType[];
}

@InputType('CohortPolicyInput', { description: "A complete new version of a cohort's policy (omitted fields take their defaults, not the previous version's)." })
export class CohortPolicyInput {
  @Field(() => ResourceLimitInput, {
    nullable: true,
    description: 'Per-resource capacity the cohort keeps unlent (cpus >= 0; gpus and memoryMb integers >= 0); omit, null or all zeros for none.',
  })
  lendingHeadroom?: ResourceLimitInput | null;
}
