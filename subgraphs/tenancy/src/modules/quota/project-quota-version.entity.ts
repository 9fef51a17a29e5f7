import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One immutable version of a project's hard limits inside its tenant (UPDATE/DELETE refused by a trigger). */
@Entity({ tableName: 'project_quota_version' })
export class ProjectQuotaVersionEntity {
  [OptionalProps]?: 'changedAt';

  @PrimaryKey({ type: 'text' })
  tenant!: string;

  /** The project slug. */
  @PrimaryKey({ type: 'text' })
  project!: string;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  /** null: no project limit on this resource (the tenant's quota still applies). */
  @Property({ type: 'double', nullable: true, runtimeType: 'number' })
  cpus!: number | null;

  @Property({ type: 'integer', nullable: true })
  gpus!: number | null;

  @Property({ type: 'integer', nullable: true })
  memoryMb!: number | null;

  @Property({ type: 'integer', nullable: true })
  concurrentTrials!: number | null;

  @Property({ type: 'text' })
  changedBy!: string;

  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  changedAt: Date = new Date();
}
