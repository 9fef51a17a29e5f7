import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ReasonDetailType } from './reason-detail.type.js';

@ObjectType('SchedulingDecision', { description: 'One admission decision, append-only: answers "why is my trial still pending?".' })
export class SchedulingDecisionType {
  @Field(() => ID)
  id!: string;

  @Field()
  decidedAt!: Date;

  @Field()
  pool!: string;

  @Field()
  tenant!: string;

  @Field(() => ID)
  trialId!: string;

  @Field(() => ID, { nullable: true, description: 'The attempt an admit started.' })
  attemptId!: string | null;

  @Field({ description: 'admit, backfill (admitted behind a reservation without delaying it), wait (recorded when the reason changes), reject or preempt.' })
  kind!: string;

  @Field({ description: 'Why, with the resource, what was requested and what was available.' })
  reason!: string;

  @Field(() => [ReasonDetailType], { description: 'For wait, reject and preempt: the reason cause by cause, each with a code and its numbers; [] for admit and backfill.' })
  details!: ReasonDetailType[];

  @Field({ description: 'critical, standard or preemptible.' })
  priority!: string;

  @Field(() => Float, { nullable: true, description: 'The tenant\'s weighted dominant share when it was admitted.' })
  share!: number | null;

  @Field(() => Int, { nullable: true, description: 'The quota policy version the decision was made under.' })
  quotaVersion!: number | null;

  @Field({ description: 'SHA-256 of the canonical scheduler inputs of that cycle.' })
  inputsDigest!: string;
}
