import { Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** One immutable version of an experiment template (a partial spec), append-only in PostgreSQL. */
@Entity({ tableName: 'template_version' })
export class TemplateVersionEntity {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text' })
  project!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: JsonType })
  document!: Record<string, unknown>;

  /** SHA-256 (hex) of the document's canonical JSON. */
  @Property({ type: 'text' })
  hash!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'text' })
  reason!: string;
}
