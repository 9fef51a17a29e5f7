import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { REASON_CODES, type ReasonCode } from '../admission/reason-codes.js';

/** The enum's values are the catalogue's codes (reason-codes.ts), so the two cannot drift apart. */
export const ReasonCodeEnum = Object.fromEntries(REASON_CODES.map((c) => [c, c])) as { [K in ReasonCode]: K };
registerEnumType(ReasonCodeEnum, {
  name: 'ReasonCode',
  description: 'What holds a trial back or refused it: POOL_CAPACITY (the pool lacks free capacity), TENANT_QUOTA (nominal quota), CONCURRENCY_CAP, '
    + 'BORROWING_LIMIT, COHORT_LENDING (members lend too little), COHORT_HEADROOM (the cohort keeps the rest unlent), FLAVOR_QUOTA (per GPU flavor), '
    + 'PROJECT_QUOTA, PROJECT_GPU_BUDGET, GPU_BUDGET, BORROW_BACKOFF (preempted recently), PREEMPTION_PENDING (attempts it preempted are stopping), '
    + 'RESERVED (its start is reserved; others backfill around it), BACKFILL_HELD (it would delay a reserved start), ROUTING (no live pool may take it), '
    + 'NO_QUOTA, PRIORITY_NOT_ALLOWED, NEVER_FITS (larger than the pool or the quota), REQUEUED (after preemption), RETRYING (after an executor failure); '
    + 'for preempt decisions RECLAIMED (a lender took back its nominal quota) and PREEMPTED_FOR_CRITICAL; OTHER.',
});

@ObjectType('ReasonDetail', { description: 'One cause in a pending reason or refusal, with its code and numbers; the numbers it does not name are null.' })
export class ReasonDetailType {
  @Field(() => ReasonCodeEnum) code!: ReasonCode;
  @Field({ description: 'This cause as the reason words it.' }) text!: string;
  @Field(() => String, { nullable: true, description: 'cpus, gpus, memoryMb, concurrentTrials or gpuHours.' }) resource?: string;
  @Field(() => String, { nullable: true, description: 'The GPU flavor, for per-flavor quota and borrowing.' }) flavor?: string;
  @Field(() => Float, { nullable: true, description: 'What the trial asks for (COHORT_*: what the cohort would borrow with it).' }) requested?: number;
  @Field(() => Float, { nullable: true, description: 'What is free or left now (COHORT_*: what members lend, less what the cohort keeps).' }) available?: number;
  @Field(() => Float, { nullable: true, description: 'What is in use now.' }) inUse?: number;
  @Field(() => Float, { nullable: true, description: 'The limit that applies (COHORT_HEADROOM: what the cohort keeps).' }) limit?: number;
}
