import { ArrayType, BigIntType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export interface ResourceLimit {
  cpus?: number;
  gpus?: number;
  memoryMb?: number;
}

/**
 * The GPUs of one flavor (GPU device type, as pools declare it) a tenant is guaranteed; without a
 * borrowing limit also its cap. A cohort member may borrow above it from the cohort's unused
 * nominal of the flavor, and lends its own unused nominal of it (within the lending limit).
 */
export interface GpuFlavorLimit {
  flavor: string;
  gpus: number;
  /** GPUs of the flavor it may use above `gpus`, borrowed within its cohort; absent: none. */
  borrowingLimit?: number;
  /** At most this many of its unused GPUs of the flavor are lent to its cohort; absent: all. */
  lendingLimit?: number;
}

/** One immutable version of a tenant's hard quota (UPDATE/DELETE refused by a trigger). */
@Entity({ tableName: 'quota_version' })
export class QuotaVersionEntity {
  [OptionalProps]?: 'changedAt' | 'weight' | 'priorityClasses' | 'gpuHoursBudget' | 'budgetPeriod' | 'budgetHalfLifeHours' | 'budgetSafeMode' | 'cohort' | 'borrowingLimit' | 'lendingLimit' | 'lendingHeadroom' | 'storageBytes' | 'gpuFlavors';

  @PrimaryKey({ type: 'text' })
  tenant!: string;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Property({ type: 'double' })
  cpus!: number;

  @Property({ type: 'integer' })
  gpus!: number;

  @Property({ type: 'integer' })
  memoryMb!: number;

  @Property({ type: 'integer' })
  concurrentTrials!: number;

  /** Fair-share weight: a tenant with weight 2 is entitled to twice the share of weight 1. */
  @Property({ type: 'double', default: 1 })
  weight: number = 1;

  @Property({ type: ArrayType, columnType: 'text[]' })
  priorityClasses: string[] = ['standard', 'preemptible'];

  /** GPU-hours the tenant may consume per budget period; null = no budget. */
  @Property({ type: 'double', nullable: true })
  gpuHoursBudget: number | null = null;

  /** day, week or month (UTC reset), or decay. */
  @Property({ type: 'text' })
  budgetPeriod: string = 'month';

  /** decay only: hours after which a consumed GPU-hour counts half; null for reset periods. */
  @Property({ type: 'double', nullable: true, runtimeType: 'number' })
  budgetHalfLifeHours: number | null = null;

  /** Admit a GPU trial only if its maximum runtime fits in what is left of the budget. */
  @Property({ type: 'boolean' })
  budgetSafeMode: boolean = true;

  /** Cohort whose members lend each other unused nominal quota; null = none. */
  @Property({ type: 'text', nullable: true })
  cohort: string | null = null;

  /** Per-resource limit on borrowing above nominal ({cpus, gpus, memoryMb}); null = none. */
  @Property({ type: JsonType, nullable: true })
  borrowingLimit: ResourceLimit | null = null;

  /** Per-resource limit on lending unused nominal; null = lends all of it. */
  @Property({ type: JsonType, nullable: true })
  lendingLimit: ResourceLimit | null = null;

  /** Per-resource unused nominal kept unlent above current use (cohort members); null = none. */
  @Property({ type: JsonType, nullable: true })
  lendingHeadroom: ResourceLimit | null = null;

  /** Bytes the tenant may keep in the artifact store (hard limit, enforced by experiments); null = no limit. */
  @Property({ type: new BigIntType('number'), nullable: true })
  storageBytes: number | null = null;

  /** Per-flavor GPU caps inside `gpus`; when set, other flavors may not be used. null = any flavor. */
  @Property({ type: JsonType, nullable: true })
  gpuFlavors: GpuFlavorLimit[] | null = null;

  @Property({ type: 'text' })
  changedBy!: string;

  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  changedAt: Date = new Date();
}
