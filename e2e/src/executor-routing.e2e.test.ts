import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { platformConfigFromEnv, startPlatform, type RunningPlatform } from '@fairsweep/platform';
import { executorSettingsFromEnv, startCompute } from '@fairsweep/subgraph-compute';
import type { RunningService } from '@fairsweep/service-kit';
import { createTestDatabase, type TestDatabase } from '@fairsweep/service-kit/testing';
import { gql, REPO_ROOT, slurmFixtureConf } from './harness.js';

/**
 * Routing trials by `trial.executor` with two real executors side by side
 * (docs/designs/3-executor-routing.md): the platform's compute runs pool `box` on the local
 * executor, a second compute process runs pool `hpc` on the real Slurm of the project's fixture
 * (scripts/slurm-fixture.sh up), both on one database and one queue. Each experiment's trials run
 * where their spec says — sbatch jobs that sacct records for `executor: slurm`, child processes for
 * `local` — and a spec naming an executor no pool runs runs on either, the decision log saying so.
 */
const conf = slurmFixtureConf();
if (!conf) console.warn(`executor routing e2e: skipped — the Slurm fixture is not up (start it with: bash scripts/slurm-fixture.sh up)`);
const describeWithSlurm = conf ? describe : describe.skip;

const spec = (name: string, executor: string, trials: number) => `apiVersion: fairsweep/v1
name: ${name}
seed: 5
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
strategy: { name: random }
budget: { maxTrials: ${trials}, maxParallel: ${trials} }
trial:
  command: [/bin/sh, -c, 'sleep 1; echo "FAIRSWEEP_METRIC loss=$FAIRSWEEP_PARAM_X"']
  resources: { cpus: 1, memoryMb: 64 }
  executor: ${executor}
  maxRuntimeSeconds: 120
`;

describeWithSlurm('routing by executor: a real Slurm pool beside a real local pool', () => {
  let db: TestDatabase;
  let dataDir: string;
  let platform: RunningPlatform;
  let hpc: RunningService;

  const listed = process.env.FAIRSWEEP_EXECUTORS;
  beforeAll(async () => {
    // Specs may name the executors of registered pools (slurm: pool hpc registers it) and those the
    // deployment lists: kubernetes is installed, but no pool of it runs now.
    process.env.FAIRSWEEP_EXECUTORS = 'kubernetes';
    db = await createTestDatabase('fs_e2e_route');
    dataDir = mkdtempSync(join(tmpdir(), 'fairsweep-e2e-route-'));
    const base = platformConfigFromEnv({ FAIRSWEEP_DATA_DIR: dataDir, FAIRSWEEP_EXECUTOR: 'local', FAIRSWEEP_POOL_NAME: 'box' });
    platform = await startPlatform({
      ...base, databaseUrl: db.url, port: 0, seedDemo: false, projectDir: REPO_ROOT,
      pool: { ...base.pool, cpus: 4, memoryMb: 4096, gpus: 0, gpuIds: [] },
    });
    hpc = await startCompute({
      databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: 'e2e-routing-'.padEnd(32, 'x'),
      pool: { name: 'hpc', cpus: 4, gpus: 0, memoryMb: 4096 },
      workRoot: join(dataDir, 'work-hpc'),
      executorSettings: executorSettingsFromEnv({
        FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_CONF: conf!, FAIRSWEEP_SLURM_POLL_MS: '200', FAIRSWEEP_SLURM_ACCOUNTS: 'team-a=acme',
      }),
      trialHostEnv: { FAIRSWEEP_PROJECT_DIR: REPO_ROOT },
    });
  }, 60_000);
  afterAll(async () => {
    if (listed === undefined) delete process.env.FAIRSWEEP_EXECUTORS;
    else process.env.FAIRSWEEP_EXECUTORS = listed;
    await hpc?.close();
    await platform?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each experiment on the pool of its executor, and one naming no pool\'s executor on either, saying so', async () => {
    const url = platform.gatewayUrl;
    const root = platform.mintDevToken({ sub: 'root', roles: ['platform-admin'], memberships: [] });
    const created = await gql(url, root, 'mutation($i: CreateTenantInput!) { createTenant(input: $i, reason: "e2e") { slug } }', {
      i: { slug: 'team-a', name: 'team-a', quota: { cpus: 8, gpus: 0, memoryMb: 4096, concurrentTrials: 8 } },
    });
    expect(created.errors).toBeUndefined();
    const admin = platform.mintDevToken({ sub: 'team-a-admin', roles: [], memberships: [{ tenant: 'team-a', role: 'tenant-admin' }] });
    // Both pools are registered with their executors before anything is submitted.
    const pools = await gql(url, admin, '{ pools { name live executor { name } } }');
    expect(pools.data.pools).toEqual(expect.arrayContaining([
      { name: 'box', live: true, executor: { name: 'local' } }, { name: 'hpc', live: true, executor: { name: 'slurm' } },
    ]));
    // Experiments learns hpc's executor from compute's pool.registered event (eventually consistent).
    const probe = new Client({ connectionString: db.url });
    await probe.connect();
    try {
      for (let i = 0; i < 100 && (await probe.query(`SELECT 1 FROM experiments.registered_pool WHERE executor = 'slurm'`)).rowCount === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await probe.end();
    }
    const ids: Record<string, string> = {};
    for (const [name, executor, trials] of [['on-slurm', 'slurm', 3], ['on-local', 'local', 3], ['on-k8s', 'kubernetes', 1]] as const) {
      const res = await gql(url, admin, 'mutation($t: String!, $s: String!) { submitExperiment(tenant: $t, spec: $s) { id } }', { t: 'team-a', s: spec(name, executor, trials) });
      expect(res.errors).toBeUndefined();
      ids[name] = res.data.submitExperiment.id;
    }
    for (const [name, id] of Object.entries(ids)) {
      let exp: { status: string } | undefined;
      for (let i = 0; i < 240; i++) {
        exp = (await gql(url, admin, 'query($id: ID!) { experiment(id: $id) { status } }', { id })).data.experiment;
        if (exp!.status !== 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect({ name, status: exp!.status }).toEqual({ name, status: 'SUCCEEDED' });
    }

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ experiment_id: string; trial_id: string; pool: string; work_dir: string; outcome: string }>(
        `SELECT r.experiment_id, a.trial_id, a.pool, a.work_dir, a.outcome FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id`,
      );
      const of = (name: string) => rows.filter((r) => r.experiment_id === ids[name]);
      expect(of('on-slurm').map((r) => [r.pool, r.outcome])).toEqual([['hpc', 'succeeded'], ['hpc', 'succeeded'], ['hpc', 'succeeded']]);
      expect(of('on-local').map((r) => [r.pool, r.outcome])).toEqual([['box', 'succeeded'], ['box', 'succeeded'], ['box', 'succeeded']]);
      // A Slurm trial is an sbatch job that sacct records, charged to the tenant's account; a local one is not.
      for (const r of of('on-slurm')) {
        const jobId = readFileSync(join(r.work_dir, 'slurm-job-id'), 'utf8').trim();
        const sacct = execFileSync('sacct', ['-X', '-n', '-P', '-j', jobId, '-o', 'Account,State'], { encoding: 'utf8', env: { ...process.env, SLURM_CONF: conf! } }).trim();
        expect(sacct).toBe('acme|COMPLETED');
      }
      for (const r of of('on-local')) expect(existsSync(join(r.work_dir, 'slurm-job-id'))).toBe(false);
      // kubernetes: no pool runs it, so either pool ran it, and its admission says which and why.
      const [k8s] = of('on-k8s');
      const executor = k8s!.pool === 'hpc' ? 'slurm' : 'local';
      const { rows: admits } = await pg.query<{ pool: string; reason: string }>(`SELECT pool, reason FROM compute.decision WHERE trial_id = $1 AND kind = 'admit'`, [k8s!.trial_id]);
      expect(admits).toEqual([{ pool: k8s!.pool, reason: expect.stringContaining(`requested executor kubernetes: no pool runs it, runs on executor ${executor} of pool ${k8s!.pool}`) }]);
    } finally {
      await pg.end();
    }
  }, 180_000);
});
