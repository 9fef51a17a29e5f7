import { BigIntType, Entity, JsonType, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { ParamValues } from '@fairsweep/sdk';

export type TrialState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'pruned';
export const TERMINAL_STATES: readonly TrialState[] = ['succeeded', 'failed', 'cancelled', 'pruned'];

/** How a suggestion was made: enough to re-derive it (strategy, version, conditioning). */
export interface SuggestionRecord {
  strategy: string;
  strategyVersion: string;
  options: Record<string, unknown>;
  /** Trial indices of the observations it was conditioned on, in order. */
  observedTrials: number[];
  rngPosition: number | null;
}

@Entity({ tableName: 'trial' })
export class TrialEntity {
  [OptionalProps]?: 'createdAt' | 'attempt' | 'value' | 'host' | 'exitCode' | 'reason' | 'startedAt' | 'finishedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  experimentId!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'integer', fieldName: 'trial_index' })
  index!: number;

  @Property({ type: JsonType })
  params!: ParamValues;

  @Property({ type: new BigIntType('number') })
  seed!: number;

  @Property({ type: JsonType })
  suggestion!: SuggestionRecord;

  @Property({ type: 'text' })
  state!: TrialState;

  @Property({ type: 'double', nullable: true })
  value: number | null = null;

  @Property({ type: 'integer' })
  attempt: number = 0;

  @Property({ type: 'text', nullable: true })
  host: string | null = null;

  @Property({ type: 'integer', nullable: true })
  exitCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;
}

@Entity({ tableName: 'trial_metric' })
export class TrialMetricEntity {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id?: string;

  @Property({ type: 'uuid' })
  trialId!: string;

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'double' })
  value!: number;

  @Property({ type: 'integer', nullable: true })
  step!: number | null;

  @Property({ type: 'datetime' })
  reportedAt!: Date;
}
