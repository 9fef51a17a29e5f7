import { Migration } from '@mikro-orm/migrations';

/**
 * Experiment templates: immutable, numbered versions of a partial spec per (tenant, project,
 * name), with who, when, why and the SHA-256 of their canonical JSON; and, on each experiment
 * record, the template version it was resolved from (provenance, immutable like the rest), and
 * why the sweep stopped creating trials early when an experiment budget ran out.
 */
export class M0005Templates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE experiments.template_version (
      id uuid PRIMARY KEY,
      tenant text NOT NULL,
      project text NOT NULL,
      name text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      document jsonb NOT NULL,
      hash char(64) NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      UNIQUE (tenant, project, name, version)
    )`);
    this.addSql(`CREATE FUNCTION experiments.template_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'template versions are immutable: publish a new version instead';
      END $$`);
    this.addSql(`CREATE TRIGGER template_version_append_only BEFORE UPDATE OR DELETE ON experiments.template_version
      FOR EACH ROW EXECUTE FUNCTION experiments.template_version_append_only()`);
    this.addSql(`ALTER TABLE experiments.experiment ADD COLUMN template_name text`);
    this.addSql(`ALTER TABLE experiments.experiment ADD COLUMN template_version integer`);
    this.addSql(`ALTER TABLE experiments.experiment ADD COLUMN template_hash char(64)`);
    // Why a sweep stopped creating trials early (budget.gpuHours or budget.deadline spent); set once.
    this.addSql(`ALTER TABLE experiments.experiment ADD COLUMN stop_reason text`);
    // Its own trigger (not a new version of experiment_record_immutable, which other migrations extend).
    this.addSql(`CREATE FUNCTION experiments.experiment_template_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.template_name IS DISTINCT FROM OLD.template_name OR NEW.template_version IS DISTINCT FROM OLD.template_version
           OR NEW.template_hash IS DISTINCT FROM OLD.template_hash THEN
          RAISE EXCEPTION 'experiment records are immutable: the template they were resolved from cannot change';
        END IF;
        RETURN NEW;
      END $$`);
    this.addSql(`CREATE TRIGGER experiment_template_immutable BEFORE UPDATE ON experiments.experiment
      FOR EACH ROW EXECUTE FUNCTION experiments.experiment_template_immutable()`);
  }
}
