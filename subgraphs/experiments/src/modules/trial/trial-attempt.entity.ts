import { Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One launch of a trial as compute reported it: where it ran and how it ended. */
@Entity({ tableName: 'trial_attempt' })
export class TrialAttemptEntity {
  [OptionalProps]?: 'finishedAt' | 'outcome' | 'exitCode' | 'signal' | 'reason' | 'deviceType' | 'throughputFactor' | 'executor' | 'executorVersion' | 'quotaVersion' | 'gpus' | 'isolation';

  @PrimaryKey({ type: 'text' })
  attemptId!: string;

  @Property({ type: 'uuid' })
  trialId!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'text' })
  pool!: string;

  @Property({ type: 'text' })
  host!: string;

  @Property({ type: JsonType })
  devices!: string[];

  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  outcome: string | null = null;

  @Property({ type: 'integer', nullable: true })
  exitCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  signal: string | null = null;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  /** The pool's declared device type; null when it declares none. */
  @Property({ type: 'text', nullable: true })
  deviceType: string | null = null;

  /** The pool's throughput relative to the reference device; null when not declared (counts as 1). */
  @Property({ type: 'double', nullable: true })
  throughputFactor: number | null = null;

  /** The executor plugin that ran the attempt, and its version; null when compute did not say. */
  @Property({ type: 'text', nullable: true })
  executor: string | null = null;

  @Property({ type: 'text', nullable: true })
  executorVersion: string | null = null;

  /** The tenant quota policy version the attempt was admitted under. */
  @Property({ type: 'integer', nullable: true })
  quotaVersion: number | null = null;

  /** What each lent device is: `{ id, uuid?, name?, memoryMb? }`. */
  @Property({ type: JsonType })
  gpus: { id: string; uuid?: string; name?: string; memoryMb?: number }[] = [];

  /** How the attempt was isolated, in words (e.g. cgroup limits applied or why not). */
  @Property({ type: JsonType })
  isolation: string[] = [];
}
