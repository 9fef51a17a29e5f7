import { Migration } from '@mikro-orm/migrations';

/** Quota versions gain a fair-share weight and the priority classes the tenant may use. */
export class M0002FairShare extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.quota_version
      ADD COLUMN weight double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
      ADD COLUMN priority_classes text[] NOT NULL DEFAULT ARRAY['standard', 'preemptible']
        CHECK (priority_classes <@ ARRAY['critical', 'standard', 'preemptible'] AND cardinality(priority_classes) > 0)`);
  }
}
