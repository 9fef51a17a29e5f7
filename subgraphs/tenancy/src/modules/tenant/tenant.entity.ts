import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'tenant' })
export class TenantEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'text' })
  slug!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'member' })
export class MemberEntity {
  [OptionalProps]?: 'addedAt';

  @PrimaryKey({ type: 'text' })
  tenant!: string;

  @PrimaryKey({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  role!: 'tenant-admin' | 'member' | 'viewer';

  @Property({ type: 'text' })
  addedBy!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  addedAt: Date = new Date();
}
