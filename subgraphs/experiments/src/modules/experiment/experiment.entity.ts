import { BigIntType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ExperimentSpec } from '@fairsweep/sdk';

export type ExperimentStatus = 'running' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled';

@Entity({ tableName: 'experiment' })
export class ExperimentEntity {
  [OptionalProps]?: 'createdAt' | 'trialsCreated' | 'finishedAt' | 'environment' | 'parentId' | 'templateName' | 'templateVersion' | 'templateHash' | 'stopReason';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text', nullable: true })
  project!: string | null;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: JsonType })
  spec!: ExperimentSpec;

  @Property({ type: 'text' })
  specHash!: string;

  @Property({ type: new BigIntType('number') })
  seed!: number;

  @Property({ type: 'text' })
  strategy!: string;

  @Property({ type: 'text' })
  strategyVersion!: string;

  @Property({ type: 'text' })
  status!: ExperimentStatus;

  @Property({ type: 'integer' })
  trialsCreated: number = 0;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  /** The submitter's environment snapshot (immutable, see environment.rules.ts); null when none was sent. */
  @Property({ type: JsonType, nullable: true })
  environment: Record<string, unknown> | null = null;

  /** The experiment this one reruns (immutable lineage link). */
  @Property({ type: 'uuid', nullable: true })
  parentId: string | null = null;

  /** The template version the spec was resolved from (`extends`), with its hash; null when none (immutable, m0005). */
  @Property({ type: 'text', nullable: true })
  templateName: string | null = null;

  @Property({ type: 'integer', nullable: true })
  templateVersion: number | null = null;

  @Property({ type: 'text', nullable: true })
  templateHash: string | null = null;

  /** Why the sweep stopped creating trials before maxTrials (budget.gpuHours or budget.deadline spent); null otherwise. */
  @Property({ type: 'text', nullable: true })
  stopReason: string | null = null;
}
