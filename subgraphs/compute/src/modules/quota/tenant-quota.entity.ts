import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** compute's replica of a tenant's hard quota: the latest version tenancy published. */
@Entity({ tableName: 'tenant_quota' })
export class TenantQuotaEntity {
  @PrimaryKey({ type: 'text' })
  tenant!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'double', runtimeType: 'number' })
  cpus!: number;

  @Property({ type: 'integer' })
  gpus!: number;

  @Property({ type: 'integer' })
  memoryMb!: number;

  @Property({ type: 'integer' })
  concurrentTrials!: number;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
