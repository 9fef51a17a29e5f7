const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function slurmTeardown() {
  if (process.env.FAIRSWEEP_SLURM_STARTED_BY_JEST !== '1' || process.env.FAIRSWEEP_SLURM_KEEP === '1') return;
  execFileSync('bash', [path.join(__dirname, '..', '..', 'scripts', 'slurm-fixture.sh'), 'down'], { stdio: ['ignore', 'ignore', 'inherit'] });
};
