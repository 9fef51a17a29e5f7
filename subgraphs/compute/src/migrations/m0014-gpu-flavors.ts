import { Migration } from '@mikro-orm/migrations';

/**
 * GPU types as quota flavors (docs/designs/3-gpu-flavors.md): a queued run keeps the GPU type its
 * spec asks for (null: any pool), and the tenant quota replica keeps its per-flavor GPU caps
 * (`[{ flavor, gpus }]`; null: none). Existing rows: no type, no caps — nothing changes for them.
 */
export class M0014GpuFlavors extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE compute.trial_run ADD COLUMN gpu_type text`);
    this.addSql(`ALTER TABLE compute.tenant_quota ADD COLUMN gpu_flavors jsonb`);
  }
}
