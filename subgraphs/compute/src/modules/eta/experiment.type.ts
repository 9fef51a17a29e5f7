import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Experiments owns Experiment; compute contributes its estimated completion. */
@ObjectType('Experiment')
@Directive('@key(fields: "id")')
export class ExperimentRefType {
  @Field(() => ID)
  id!: string;

  /** The owning tenant, as compute knows it (null: compute has no trial of it). Not exposed. */
  tenant!: string | null;
}
