import { Migration } from '@mikro-orm/migrations';

/**
 * Cohorts and preemption: quota replicas gain cohort, borrowing and lending limits; allocations
 * record whether they were borrowed and their priority, and can be marked for preemption (the
 * attempt stops gracefully and its trial is requeued); decisions gain kind "preempt".
 */
export class M0004CohortsPreemption extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.tenant_quota
      ADD COLUMN cohort text,
      ADD COLUMN borrowing_limit jsonb,
      ADD COLUMN lending_limit jsonb`);
    this.addSql(`CREATE INDEX tenant_quota_cohort ON compute.tenant_quota (cohort) WHERE cohort IS NOT NULL`);
    this.addSql(`ALTER TABLE compute.allocation
      ADD COLUMN borrowed boolean NOT NULL DEFAULT false,
      ADD COLUMN priority text NOT NULL DEFAULT 'standard',
      ADD COLUMN preempt boolean NOT NULL DEFAULT false`);
    this.addSql(`ALTER TABLE compute.allocation DROP CONSTRAINT allocation_outcome_check`);
    this.addSql(`ALTER TABLE compute.allocation ADD CONSTRAINT allocation_outcome_check
      CHECK (outcome IN ('succeeded', 'failed', 'cancelled', 'preempted'))`);
    this.addSql(`ALTER TABLE compute.decision DROP CONSTRAINT decision_kind_check`);
    this.addSql(`ALTER TABLE compute.decision ADD CONSTRAINT decision_kind_check CHECK (kind IN ('admit', 'wait', 'reject', 'preempt'))`);
  }
}
