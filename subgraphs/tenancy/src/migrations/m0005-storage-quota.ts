import { Migration } from '@mikro-orm/migrations';

/** Quota versions gain a storage limit for the artifact store (bytes; null = no limit). */
export class M0005StorageQuota extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.quota_version ADD COLUMN storage_bytes bigint CHECK (storage_bytes IS NULL OR storage_bytes >= 0)`);
  }
}
