import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { gql, REPO_ROOT, runCli, startTestPlatform, type TestPlatform } from './harness.js';

/**
 * Reproducibility through the gateway and the CLI: a TPE sweep run by the local executor (real,
 * uneven durations, 4 at a time) replays bit for bit; a changed observation is reported; rerun and
 * provenance answer from the record, environment snapshot included.
 */
describe('replay, rerun and provenance end to end', () => {
  let tp: TestPlatform;
  let url: string;
  let env: Record<string, string>;
  let dir: string;
  let experimentId: string;
  const digest = `sha256:${'e'.repeat(64)}`;

  beforeAll(async () => {
    tp = await startTestPlatform();
    url = tp.platform.gatewayUrl;
    const token = tp.platform.mintDevToken({ sub: 'ada', roles: [], memberships: [{ tenant: 'demo', role: 'tenant-admin' }] });
    env = { FAIRSWEEP_URL: url, FAIRSWEEP_TOKEN: token, FAIRSWEEP_E2E_MARK: 'replay-e2e' };
    dir = mkdtempSync(join(tmpdir(), 'fs-replay-e2e-'));
    const spec = readFileSync(join(REPO_ROOT, 'examples', 'quadratic.yaml'), 'utf8').replace('name: random', 'name: tpe\n  options: { nStartupTrials: 2 }').replace('maxTrials: 10', 'maxTrials: 8');
    writeFileSync(join(dir, 'tpe.yaml'), spec);
  });
  afterAll(async () => {
    await tp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('submits with an environment snapshot and replays the finished sweep: exit 0, every suggestion matching', async () => {
    const res = await runCli(['submit', join(dir, 'tpe.yaml'), '--follow', '--image-digest', digest, '--env-allow', 'FAIRSWEEP_E2E_MARK'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    experimentId = /submitted experiment ([0-9a-f-]{36})/.exec(res.stdout)![1]!;
    const replay = await runCli(['replay', experimentId], env);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('(strategy tpe@0.2.0): 8/8 trials match');
  });

  it('answers provenance(trialId) through the gateway with the record, the attempt and the snapshot', async () => {
    const trials = await gql(url, env.FAIRSWEEP_TOKEN!, 'query($id: ID!) { experiment(id: $id) { trials { id index } } }', { id: experimentId });
    const last = trials.data.experiment.trials[7];
    const res = await gql(url, env.FAIRSWEEP_TOKEN!, `query($id: ID!) { provenance(trialId: $id) { trial { index } experiment { id strategy strategyVersion }
      suggestion { observedTrials } seedDerivation attempts { attempt host pool exitCode outcome } environment } }`, { id: last.id });
    expect(res.errors).toBeUndefined();
    const p = res.data.provenance;
    expect(p).toMatchObject({ trial: { index: 7 }, experiment: { id: experimentId, strategy: 'tpe', strategyVersion: '0.2.0' }, attempts: [{ attempt: 1, pool: expect.any(String), exitCode: 0, outcome: 'succeeded' }] });
    expect(p.suggestion.observedTrials.length).toBeGreaterThan(0);
    expect(p.environment).toMatchObject({ imageDigest: digest, env: { FAIRSWEEP_E2E_MARK: 'replay-e2e' }, runtimes: { node: process.version }, git: { commit: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    expect(p.environment.lockfiles['package-lock.json']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports the first divergence after the best recorded observation becomes the worst: exit 1, trial and parameter named', async () => {
    const pg = new Client({ connectionString: tp.db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        `SELECT trial_index FROM experiments.trial t WHERE experiment_id = $1 AND state = 'succeeded'
           AND EXISTS (SELECT 1 FROM experiments.trial u WHERE u.experiment_id = t.experiment_id AND u.suggestion->'observedTrials' @> to_jsonb(ARRAY[t.trial_index]))
         ORDER BY value, trial_index LIMIT 1`, [experimentId]);
      await pg.query('UPDATE experiments.trial SET value = 1e6 WHERE experiment_id = $1 AND trial_index = $2', [experimentId, rows[0].trial_index]);
    } finally {
      await pg.end();
    }
    const replay = await runCli(['replay', experimentId], env);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/DIVERGED at trial \d+ \([0-9a-f-]{36}\): params \w+\n {2}expected \(recorded\): {2}\S+\n {2}actual \(re-derived\): {2}\S+/);
  });

  it('reruns the experiment from the CLI as a child with the same spec hash and seed', async () => {
    const res = await runCli(['rerun', experimentId, '--no-environment'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const childId = res.stdout.trim();
    const q = await gql(url, env.FAIRSWEEP_TOKEN!, 'query($id: ID!) { experiment(id: $id) { seed specHash environment parent { id seed specHash children { id } } } }', { id: childId });
    const child = q.data.experiment;
    expect(child.environment).toBeNull();
    expect(child.parent).toEqual({ id: experimentId, seed: child.seed, specHash: child.specHash, children: [{ id: childId }] });
    await gql(url, env.FAIRSWEEP_TOKEN!, 'mutation($id: ID!) { cancelExperiment(id: $id) { id } }', { id: childId });
  });
});
