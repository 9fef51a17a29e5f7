// Brings up the Slurm fixture (installing its Debian packages if missing) and exports SLURM_CONF
// to the test workers. If it was not running before, the teardown stops it again.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const script = path.join(__dirname, '..', '..', 'scripts', 'slurm-fixture.sh');

module.exports = async function slurmSetup() {
  const status = execFileSync('bash', [script, 'status'], { encoding: 'utf8' });
  process.env.FAIRSWEEP_SLURM_STARTED_BY_JEST = /^slurmctld: running/m.test(status) ? '' : '1';
  execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300000 });
  const env = execFileSync('bash', [script, 'env'], { encoding: 'utf8' });
  const conf = /^export SLURM_CONF=(.+)$/m.exec(env);
  if (!conf) throw new Error(`slurm-fixture.sh env printed no SLURM_CONF: ${env}`);
  process.env.SLURM_CONF = conf[1].trim();
};
