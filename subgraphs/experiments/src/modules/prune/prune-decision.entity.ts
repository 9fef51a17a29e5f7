import { Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { PruneInputs } from './prune.domain.js';

/**
 * One pruning decision (prune or continue), append-only (trigger-enforced): who decided (pruner,
 * version, options), on what (the report, its step and value, the inputs and the context's
 * digest), what and why, and when.
 */
@Entity({ tableName: 'prune_decision' })
export class PruneDecisionEntity {
  [OptionalProps]?: 'decidedAt';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id?: string;

  @Property({ type: 'uuid' })
  experimentId!: string;

  @Property({ type: 'uuid' })
  trialId!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'integer' })
  trialIndex!: number;

  /** The objective report (trial_metric row) the decision was made on. */
  @Property({ type: 'bigint' })
  metricId!: string;

  @Property({ type: 'integer' })
  step!: number;

  @Property({ type: 'double' })
  value!: number;

  @Property({ type: 'text' })
  pruner!: string;

  @Property({ type: 'text' })
  prunerVersion!: string;

  @Property({ type: JsonType })
  options!: Record<string, unknown>;

  @Property({ type: 'boolean' })
  prune!: boolean;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: JsonType })
  inputs!: PruneInputs;

  @Property({ type: 'text', fieldName: 'inputs_sha256' })
  inputsSha256!: string;

  @Property({ type: 'text' })
  decidedBy!: string;

  @Property({ type: 'datetime' })
  decidedAt: Date = new Date();
}
