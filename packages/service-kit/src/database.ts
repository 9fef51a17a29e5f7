import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import pg from 'pg';

export type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

export interface DatabaseOptions {
  /** postgres:// connection string. */
  url: string;
  /** The PostgreSQL schema this service owns (e.g. "tenancy"); nothing else is written to. */
  schema: string;
  entities: Options['entities'];
  /** Committed migrations in order, listed as classes so they run from dist/ and under jest alike. */
  migrations: { name: string; class: MigrationClass }[];
  poolMax?: number;
  debug?: boolean;
}

/**
 * Opens the service's MikroORM instance on its own schema and applies its committed migrations.
 * Concurrent replicas serialise migrations with a PostgreSQL advisory lock keyed by the schema.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<MikroORM> {
  await withAdvisoryLock(opts.url, `fairsweep:migrate:${opts.schema}`, async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
  });
  const orm = await MikroORM.init({
    clientUrl: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    migrations: {
      migrationsList: opts.migrations,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      silent: true,
      snapshot: false,
    },
    pool: { min: 0, max: opts.poolMax ?? 10 },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: opts.debug ?? false,
  });
  await withAdvisoryLock(opts.url, `fairsweep:migrate:${opts.schema}`, async () => {
    await orm.getMigrator().up();
  });
  return orm;
}

/** Runs `fn` while holding a session-level advisory lock on a dedicated connection. */
export async function withAdvisoryLock<T>(url: string, key: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      return await fn(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid SQL identifier "${name}"`);
  return `"${name}"`;
}
