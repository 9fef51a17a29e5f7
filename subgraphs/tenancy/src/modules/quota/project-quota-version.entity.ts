import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One immutable version of a project's hard limits inside its tenant (UPDATE/DELETE refused by a trigger). */
@Entity({ tableName: 'project_quota_version' })
export class ProjectQuotaVersionEntity {
  [OptionalProps]?: 'changedAt' | 'gpuHoursBudget' | 'budgetPeriod' | 'budgetHalfLifeHours' | 'budgetSafeMode';

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

  /** GPU-hours the project may consume per budget period; null = no project budget (the tenant's still applies). */
  @Property({ type: 'double', nullable: true, runtimeType: 'number' })
  gpuHoursBudget: number | null = null;

  /** day, week or month (UTC; the budget resets at the start of each), or decay. */
  @Property({ type: 'text' })
  budgetPeriod: string = 'month';

  /** decay only: hours after which a consumed GPU-hour counts half; null for reset periods. */
  @Property({ type: 'double', nullable: true, runtimeType: 'number' })
  budgetHalfLifeHours: number | null = null;

  /** Admit a GPU trial only if its maximum runtime fits in what is left of the project budget. */
  @Property({ type: 'boolean' })
  budgetSafeMode: boolean = true;

  @Property({ type: 'text' })
  changedBy!: string;

  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  changedAt: Date = new Date();
}
