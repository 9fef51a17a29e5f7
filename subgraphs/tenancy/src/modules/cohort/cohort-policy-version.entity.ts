import { Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ResourceLimit } from '../quota/quota-version.entity.js';

/** One immutable version of a cohort's own policy (UPDATE/DELETE refused by a trigger). */
@Entity({ tableName: 'cohort_policy_version' })
export class CohortPolicyVersionEntity {
  [OptionalProps]?: 'changedAt';

  /** The cohort name, as tenants' quotas name it. */
  @PrimaryKey({ type: 'text' })
  cohort!: string;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  /** Per-resource lendable capacity the cohort as a whole keeps unlent; null = none (lends all). */
  @Property({ type: JsonType, nullable: true })
  lendingHeadroom!: ResourceLimit | null;

  @Property({ type: 'text' })
  changedBy!: string;

  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  changedAt: Date = new Date();
}
