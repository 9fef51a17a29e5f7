import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ReasonDetailType } from '../decision/reason-detail.type.js';

@ObjectType('QueuedTrial', { description: 'A trial waiting for admission, with why it waits.' })
export class QueuedTrialType {
  @Field(() => ID)
  trialId!: string;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => Int)
  trialIndex!: number;

  @Field({ description: 'Priority class: critical, standard or preemptible.' })
  priority!: string;

  @Field(() => Int, { description: 'Place in the tenant\'s queue (1 = next): priority class, then enqueue time, then trial index.' })
  position!: number;

  @Field(() => String, { nullable: true, description: 'Why it is not running yet, with numbers; null until the first admission cycle saw it.' })
  pendingReason!: string | null;

  @Field(() => [ReasonDetailType], { description: 'pendingReason cause by cause, each with a code and its numbers (which resource, requested, available).' })
  pendingDetails!: ReasonDetailType[];

  @Field()
  enqueuedAt!: Date;

  @Field(() => Float)
  cpus!: number;

  @Field(() => Int)
  gpus!: number;

  @Field(() => Int)
  memoryMb!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'Estimated start: the admission function replayed forward in virtual time (fair-share order, quotas, cohorts, budgets, backfill) with '
      + 'expected run times (the experiment\'s finished attempts, capped by maxRuntimeSeconds); null when it cannot be told (see estimatedStartReason).',
  })
  estimatedStartAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why estimatedStartAt is null (e.g. it waits behind attempts of unknown duration).' })
  estimatedStartReason!: string | null;
}

@ObjectType('RunningTrial', { description: 'A trial attempt holding an allocation right now.' })
export class RunningTrialType {
  @Field(() => ID)
  trialId!: string;

  @Field(() => ID)
  experimentId!: string;

  @Field(() => ID)
  attemptId!: string;

  @Field(() => Int)
  attempt!: number;

  @Field()
  pool!: string;

  @Field(() => [String], { description: 'GPU ids given to the attempt.' })
  devices!: string[];

  @Field(() => String, { nullable: true, description: 'The attempt\'s working directory on its host: params.json, stdout.log, stderr.log.' })
  workDir!: string | null;

  @Field(() => Int, { description: 'The quota policy version the admission was made under.' })
  quotaVersion!: number;

  @Field({ description: 'Admitted above nominal quota on capacity borrowed from the cohort: reclaimable by the lender.' })
  borrowed!: boolean;

  @Field({ description: 'Priority class: critical, standard or preemptible.' })
  priority!: string;

  @Field({ description: 'Asked to stop (cancelled or preempted); it ends after its grace period.' })
  stopping!: boolean;

  @Field()
  admittedAt!: Date;
}
