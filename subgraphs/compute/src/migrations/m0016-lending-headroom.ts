import { Migration } from '@mikro-orm/migrations';

/**
 * The tenant quota replica gains the lending headroom (tenancy m0010): per resource, unused
 * nominal quota a cohort member keeps unlent above its current use. Existing rows keep none.
 */
export class M0016LendingHeadroom extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.tenant_quota ADD COLUMN lending_headroom jsonb`);
  }
}
