import { Migration } from '@mikro-orm/migrations';

/**
 * Quota versions gain per-flavor GPU caps (docs/designs/3-gpu-flavors.md): `[{ flavor, gpus }]`
 * inside the tenant's `gpus`; null = none (any flavor). Existing versions keep null.
 */
export class M0008GpuFlavors extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE tenancy.quota_version ADD COLUMN gpu_flavors jsonb CHECK (gpu_flavors IS NULL OR jsonb_typeof(gpu_flavors) = 'array')`);
  }
}
