const { rmSync } = require('node:fs');

module.exports = async function teardown() {
  const pg = globalThis.__FAIRSWEEP_TEST_PG__;
  if (!pg) return;
  await pg.server.stop();
  rmSync(pg.dir, { recursive: true, force: true });
};
