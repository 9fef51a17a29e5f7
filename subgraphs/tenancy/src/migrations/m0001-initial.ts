import { Migration } from '@mikro-orm/migrations';
import { outboxTablesSql } from '@fairsweep/service-kit';

export class M0001Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE TABLE tenancy.tenant (
      slug text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
      name text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    this.addSql(`CREATE TABLE tenancy.project (
      id uuid PRIMARY KEY,
      tenant text NOT NULL REFERENCES tenancy.tenant(slug),
      slug text NOT NULL CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
      name text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant, slug)
    )`);
    this.addSql(`CREATE TABLE tenancy.member (
      tenant text NOT NULL REFERENCES tenancy.tenant(slug),
      subject text NOT NULL,
      role text NOT NULL CHECK (role IN ('tenant-admin', 'member', 'viewer')),
      added_by text NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, subject)
    )`);
    // Quota policy: one immutable row per version; the current quota is the highest version.
    this.addSql(`CREATE TABLE tenancy.quota_version (
      tenant text NOT NULL REFERENCES tenancy.tenant(slug),
      version integer NOT NULL CHECK (version >= 1),
      cpus double precision NOT NULL CHECK (cpus >= 0),
      gpus integer NOT NULL CHECK (gpus >= 0),
      memory_mb integer NOT NULL CHECK (memory_mb >= 0),
      concurrent_trials integer NOT NULL CHECK (concurrent_trials >= 0),
      changed_by text NOT NULL,
      reason text,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant, version)
    )`);
    this.addSql(`CREATE FUNCTION tenancy.immutable_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% rows are immutable (% refused)', TG_TABLE_NAME, TG_OP; END $$`);
    this.addSql(`CREATE TRIGGER quota_version_immutable BEFORE UPDATE OR DELETE ON tenancy.quota_version
      FOR EACH ROW EXECUTE FUNCTION tenancy.immutable_row()`);
    for (const sql of outboxTablesSql('tenancy')) this.addSql(sql);
  }
}
