import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Tenancy owns Project (keyed by id); compute contributes its GPU-hour budget. Compute knows
 * projects by tenant and slug (trial_run.project), so it requires those two from tenancy.
 */
@ObjectType('Project')
@Directive('@key(fields: "id")')
export class ProjectRefType {
  @Field(() => ID)
  id!: string;

  @Field()
  @Directive('@external')
  tenantSlug!: string;

  @Field()
  @Directive('@external')
  slug!: string;
}
