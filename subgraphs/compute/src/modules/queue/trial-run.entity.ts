import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** What the executor needs besides ids and resources; stored with the queued run. */
export interface StoredLaunch {
  command: string[];
  env: Record<string, string>;
  params: Record<string, number | string | boolean>;
  seed: number;
  maxRuntimeSeconds: number | null;
  executor: string;
}

/** A trial as compute sees it: queued → running → finished (exactly once). */
@Entity({ tableName: 'trial_run' })
export class TrialRunEntity {
  @PrimaryKey({ type: 'text' })
  trialId!: string;

  @Property({ type: 'text' })
  experimentId!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'integer' })
  trialIndex!: number;

  @Property({ type: 'json' })
  launch!: StoredLaunch;

  @Property({ type: 'double', runtimeType: 'number' })
  cpus!: number;

  @Property({ type: 'integer' })
  gpus!: number;

  @Property({ type: 'integer' })
  memoryMb!: number;

  @Property({ type: 'text' })
  state!: 'queued' | 'running' | 'finished';

  @Property({ type: 'text', nullable: true })
  pendingReason!: string | null;

  @Property({ type: 'text', nullable: true })
  outcome!: string | null;

  @Property({ type: 'text', nullable: true })
  finishReason!: string | null;

  @Property({ type: 'datetime' })
  enqueuedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  admittedAt!: Date | null;

  @Property({ type: 'datetime', nullable: true })
  finishedAt!: Date | null;
}
