import { ArrayType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Resources held by one attempt of one trial, from admission until the attempt ends. */
@Entity({ tableName: 'allocation' })
export class AllocationEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', unique: true })
  attemptId!: string;

  @Property({ type: 'text' })
  trialId!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text' })
  pool!: string;

  @Property({ type: 'double', runtimeType: 'number' })
  cpus!: number;

  @Property({ type: 'integer' })
  gpus!: number;

  @Property({ type: 'integer' })
  memoryMb!: number;

  @Property({ type: ArrayType })
  devices!: string[];

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'integer' })
  quotaVersion!: number;

  @Property({ type: 'text' })
  owner!: string;

  @Property({ type: 'text' })
  state!: 'active' | 'released';

  @Property({ type: 'text', nullable: true })
  workDir!: string | null;

  @Property({ type: 'datetime', nullable: true })
  cancelRequestedAt!: Date | null;

  @Property({ type: 'text', nullable: true })
  cancelReason!: string | null;

  @Property({ type: 'datetime' })
  admittedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  releasedAt!: Date | null;

  @Property({ type: 'text', nullable: true })
  outcome!: string | null;

  @Property({ type: 'text', nullable: true })
  reason!: string | null;
}
