import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('PriorityChange', { description: 'A queued trial\'s priority class changed: append-only, with who, when and why.' })
export class PriorityChangeType {
  @Field(() => ID)
  id!: string;

  @Field()
  changedAt!: Date;

  @Field()
  tenant!: string;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => ID)
  trialId!: string;

  @Field()
  fromPriority!: string;

  @Field()
  toPriority!: string;

  @Field({ description: 'The subject of the caller who changed it.' })
  changedBy!: string;

  @Field()
  reason!: string;

  @Field(() => Int, { nullable: true, description: 'The quota policy version whose allowed classes it was checked against.' })
  quotaVersion!: number | null;
}
