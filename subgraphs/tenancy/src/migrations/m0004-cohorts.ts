import { Migration } from '@mikro-orm/migrations';

/** Quota versions gain a cohort and borrowing / lending limits (Kueue's model). */
export class M0004Cohorts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.quota_version
      ADD COLUMN cohort text CHECK (cohort IS NULL OR cohort ~ '^[a-z][a-z0-9-]{1,39}$'),
      ADD COLUMN borrowing_limit jsonb,
      ADD COLUMN lending_limit jsonb`);
  }
}
