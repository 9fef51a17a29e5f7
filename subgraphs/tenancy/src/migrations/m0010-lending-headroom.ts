import { Migration } from '@mikro-orm/migrations';

/**
 * Quota versions gain a lending headroom: per resource, unused nominal quota a cohort member keeps
 * unlent above its current use. Existing versions keep none (null). Adding a column rewrites no
 * row, so the immutability triggers are not involved.
 */
export class M0010LendingHeadroom extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.quota_version ADD COLUMN lending_headroom jsonb`);
  }
}
