import { ArrayType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A resource pool compute admits work into (today: the local host, from configuration). */
@Entity({ tableName: 'pool' })
export class PoolEntity {
  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'double', runtimeType: 'number' })
  cpus!: number;

  @Property({ type: 'integer' })
  gpus!: number;

  @Property({ type: 'integer' })
  memoryMb!: number;

  @Property({ type: ArrayType })
  gpuIds!: string[];

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
