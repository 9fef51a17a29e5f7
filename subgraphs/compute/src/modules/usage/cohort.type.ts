import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { PoolResourcesType } from '../pool/pool.type.js';

/** Cohort is owned by tenancy (its members and policy); compute adds what the members hold, lend and borrow now. */
@ObjectType('Cohort')
@Directive('@key(fields: "name")')
export class CohortRefType {
  @Field()
  name!: string;
}

@ObjectType('CohortBalance', {
  description: 'What a cohort\'s members hold, lend and borrow now (active allocations on all pools), per resource, as admission counts it.',
})
export class CohortBalanceType {
  @Field(() => Int, { description: 'Member tenants compute has a quota for.' }) members!: number;
  @Field(() => PoolResourcesType, { description: "Sum of the members' nominal quota." }) nominal!: PoolResourcesType;
  @Field(() => PoolResourcesType, { description: "Held by the members' running trials." }) inUse!: PoolResourcesType;
  @Field(() => PoolResourcesType, { description: 'What the members lend now: unused nominal within their lending limits, less their own lending headroom.' })
  lent!: PoolResourcesType;
  @Field(() => PoolResourcesType, { description: 'What members hold above their nominal quota.' }) borrowed!: PoolResourcesType;
  @Field(() => PoolResourcesType, { description: 'Unused nominal the members keep unlent as their own lending headroom (quota lendingHeadroom).' })
  keptByMembers!: PoolResourcesType;
  @Field(() => PoolResourcesType, { description: "Of what is lent, what the cohort keeps unlent as its lending headroom (cohort policy)." })
  keptByCohort!: PoolResourcesType;
  @Field(() => PoolResourcesType, { description: "What members may still borrow now: lent − keptByCohort − borrowed (each member's borrowing limit and the pools' free capacity still apply)." })
  borrowable!: PoolResourcesType;
  @Field(() => Int, { nullable: true, description: 'The cohort policy version compute applies; null: none (no cohort headroom).' })
  policyVersion!: number | null;
}
